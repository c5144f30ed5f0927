"""Installs by OAuth: workspaces install the app through /slack/install and Slack's redirect,
each is served with its own token, an uninstalled one stops, a Grid organisation installs once."""

import html
import re
import urllib.error
import urllib.request

import pytest
from sqlalchemy import Engine, func
from sqlmodel import select

from bot.cli.demo.workspaces import map_own_channels
from bot.cli.runtime import scheduled_jobs
from bot.emulator import SlackDriver, SlackEmulator, payloads
from bot.emulator.seed import GLOBEX, GRID, GRID_EAST, GRID_WEST
from bot.metrics.database import DatabaseCollector
from bot.settings import Settings
from bot.web import LocalServer
from bot.wording import say
from storage.engine import session_scope
from storage.enums import OutboxStatus
from storage.models import DialogueSession, Discovery, OutboxMessage, SlackBot
from storage.types import utc_now
from tests.e2e.commands import free_port
from tests.e2e.conftest import SIGNING_SECRET, e2e_settings
from tests.e2e.people import Scout, wait_until
from tests.e2e.test_dialogue_dm import skip_the_rest
from tests.e2e.test_processes import environment, start, stop, wait_for_health

CLIENT_ID, CLIENT_SECRET = "1111.2222", "e2e-client-secret"
STATE_COOKIE = "slack-app-oauth-state"


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # each hop is looked at, as a browser's network panel shows it


class Browser:
    """An admin's browser on the install pages. Bolt's state cookie is `Secure`: browsers
    send it to http://127.0.0.1 (a secure context), urllib's cookie jar would not."""

    def __init__(self) -> None:
        self._opener = urllib.request.build_opener(NoRedirects)
        self.cookie = ""

    def get(self, url: str) -> tuple[int, dict, str]:
        request = urllib.request.Request(
            url, headers={"Cookie": self.cookie} if self.cookie else {}
        )
        try:
            with self._opener.open(request, timeout=10) as response:
                status, headers, body = response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            status, headers, body = error.code, error.headers, error.read()
        for cookie in headers.get_all("Set-Cookie") or []:
            self.cookie = cookie.split(";")[0]
        return status, headers, body.decode()

    def install(self, app_url: str, team: str) -> tuple[int, str]:
        """/slack/install → Slack's authorize page (approved) → the app's redirect page."""
        status, _, page = self.get(f"{app_url}/slack/install?team={team}")
        assert status == 200 and self.cookie.startswith(STATE_COOKIE), page
        link = html.unescape(re.search(r'href="([^"]+/oauth/v2/authorize[^"]*)"', page)[1])
        status, headers, _ = self.get(link)
        assert status == 302, status
        status, _, page = self.get(headers["Location"])
        return status, page


@pytest.fixture
def settings(emulator: SlackEmulator, database_url: str) -> Settings:
    """The app in OAuth mode: no bot token, the client id and secret of a distributed app
    (conftest's components and app_server build and serve it)."""
    settings = e2e_settings(
        emulator, database_url, SLACK_BOT_TOKEN="", SLACK_CLIENT_ID=CLIENT_ID,
        SLACK_CLIENT_SECRET=CLIENT_SECRET,
    )  # fmt: skip
    assert settings.mode == "oauth"
    return settings


@pytest.fixture
def app_url(app_server: LocalServer, emulator: SlackEmulator, engine: Engine) -> str:
    """The web process; the emulated Slack app redirects installs back to it. The other
    workspaces' admins have mapped their own channels (the environment's are Acme's)."""
    base = app_server.url.removesuffix("/slack/events")
    emulator.accept_installs(
        client_id=CLIENT_ID, client_secret=CLIENT_SECRET,
        redirect_url=f"{base}/slack/oauth_redirect",
    )  # fmt: skip
    for seed in (GLOBEX, GRID_EAST, GRID_WEST):
        map_own_channels(engine, seed)
    return base


def person_in(app_url: str, workspace: SlackEmulator, *, org_wide: bool = False) -> Scout:
    """The scout of a workspace, talking to the app as Slack signs that workspace's requests."""
    driver = SlackDriver(
        f"{app_url}/slack/events", SIGNING_SECRET, emulator=workspace, org_wide=org_wide
    )
    return Scout(driver, workspace, user=workspace.seed.scout)


def log_discovery(scout: Scout, account: str) -> None:
    """A discovery with fit partly, money and an event: it goes to #product and #sales."""
    scout.say("hi", expect="Which customer")
    scout.say(account, expect="achieve")
    scout.say("Onboard a new store in one day instead of two weeks", expect="stands in the way")
    scout.say("Every store waits two weeks for a consultant on site", expect="deliver this today")
    scout.click("Partly", expect="worth")
    scout.say("40k EUR", expect="pressure")
    scout.say("skip", expect="Who wants")
    skip_the_rest(scout)
    scout.click("Submit", expect="on its way")


def cards(workspace: SlackEmulator) -> list[str]:
    """The text of what the bot posted in this workspace's #product and #sales."""
    seed = workspace.seed
    return [str(m) for channel in (seed.product, seed.sales) for m in workspace.messages(channel)]


def installed_teams(engine: Engine) -> list[tuple[str | None, str | None]]:
    with session_scope(engine) as session:
        rows = session.exec(select(SlackBot.enterprise_id, SlackBot.team_id)).all()
    return sorted(rows, key=str)


def test_two_workspaces_install_and_each_is_served_with_its_own_token(app_url, emulator, engine):
    globex = emulator.add_team(GLOBEX)
    for team in (emulator.seed.team_id, GLOBEX.team_id):
        status, page = Browser().install(app_url, team)
        assert status == 200 and "Thank you" in page, page
    assert installed_teams(engine) == [(None, GLOBEX.team_id), (None, emulator.seed.team_id)]

    log_discovery(person_in(app_url, emulator), "Umbrella")
    log_discovery(person_in(app_url, globex), "Hooli")

    wait_until(lambda: len(cards(emulator)) == 2 and len(cards(globex)) == 2, what="the cards")
    assert all("Umbrella" in card and "Hooli" not in card for card in cards(emulator))
    assert all("Hooli" in card and "Umbrella" not in card for card in cards(globex))
    with session_scope(engine) as session:
        teams = session.exec(select(Discovery.account, Discovery.team_id)).all()
    assert sorted(teams) == [("Hooli", GLOBEX.team_id), ("Umbrella", emulator.seed.team_id)]


def test_a_redirect_to_another_browser_than_the_one_that_started_is_refused(
    app_url, emulator, engine
):
    browser = Browser()
    browser.get(f"{app_url}/slack/install")  # this browser's cookie holds another state
    status, _, page = browser.get(f"{app_url}/slack/oauth_redirect?code=c0de&state=forged")

    assert status == 400 and "Something Went Wrong" in page and "invalid_browser" in page
    assert installed_teams(engine) == []
    assert emulator.calls_to("oauth.v2.access") == []  # refused before the code is spent


def test_a_state_the_app_never_issued_is_refused_with_a_page(app_url, emulator, engine):
    browser = Browser()
    browser.cookie = f"{STATE_COOKIE}=forged"  # a forged cookie to match the forged state
    status, _, page = browser.get(f"{app_url}/slack/oauth_redirect?code=c0de&state=forged")

    assert status == 401 and "Something Went Wrong" in page and "invalid_state" in page
    assert installed_teams(engine) == [] and emulator.calls_to("oauth.v2.access") == []


def test_a_replayed_redirect_is_refused(app_url, engine):
    browser = Browser()
    _, _, page = browser.get(f"{app_url}/slack/install")
    started = browser.cookie
    link = html.unescape(re.search(r'href="([^"]+/oauth/v2/authorize[^"]*)"', page)[1])
    _, headers, _ = browser.get(link)
    assert browser.get(headers["Location"])[0] == 200

    browser.cookie = started  # the same cookie, state and code again
    status, _, page = browser.get(headers["Location"])

    assert status == 401 and "invalid_state" in page
    assert len(installed_teams(engine)) == 1


def outbox_gauges(engine: Engine) -> dict[str, dict[str, float]]:
    """The outbox gauges a scrape shows, installed by OAuth: {metric: {kind: value}}."""
    collector = DatabaseCollector(
        engine=engine, kinds=("discovery_card",), clock=utc_now, oauth=True
    )
    return {
        family.name: {sample.labels.get("kind", ""): sample.value for sample in family.samples}
        for family in collector.collect()
    }


def test_an_uninstalled_workspace_is_ignored_and_its_cards_wait_while_the_other_works(
    app_url, components, emulator, engine, caplog
):
    globex = emulator.add_team(GLOBEX)
    for team in (emulator.seed.team_id, GLOBEX.team_id):
        assert Browser().install(app_url, team)[0] == 200
    acme_scout, globex_scout = person_in(app_url, emulator), person_in(app_url, globex)
    components.delivery.stop(timeout=5)  # cards queue up; drained by hand below
    log_discovery(globex_scout, "Hooli")

    emulator.uninstall(GLOBEX.team_id)
    assert globex_scout.driver.event({"type": "app_uninstalled"}).status == 200
    assert installed_teams(engine) == [(None, emulator.seed.team_id)]
    log_discovery(acme_scout, "Umbrella")
    wait_until(lambda: components.delivery.drain_once() == 0 and len(cards(emulator)) == 2,
               what="Acme's cards")  # fmt: skip

    assert cards(globex) == []
    with session_scope(engine) as session:
        waiting = session.exec(
            select(OutboxMessage).where(OutboxMessage.status == OutboxStatus.PENDING)
        ).all()
    assert {row.kind for row in waiting} >= {"discovery_card"} and all(
        row.attempts == 0 for row in waiting
    )  # parked, not failed
    gauges = outbox_gauges(engine)  # parked rows are no delivery falling behind: no alert
    assert gauges["valuescout_outbox_parked"]["discovery_card"] == 2  # its #product and #sales cards
    assert gauges["valuescout_outbox_pending"]["discovery_card"] == 0
    assert gauges["valuescout_outbox_oldest_pending_seconds"]["discovery_card"] == 0
    dialogues = _dialogues(engine, GLOBEX.team_id)
    reply = globex_scout.driver.message(GLOBEX.scout, "hi again")
    assert reply.status == 200  # acked, so Slack does not retry, and nothing done
    assert _dialogues(engine, GLOBEX.team_id) == dialogues
    assert globex_scout.driver.command("/scout", user=GLOBEX.scout).status == 200
    told = wait_until(lambda: globex.response_url_posts, what="the answer to /scout")
    assert [post.payload["text"] for post in told] == [say("install_missing")]
    ignored = [r for r in caplog.records if r.name == "slack_bolt.MultiTeamsAuthorization"]
    assert ignored and all(r.levelname == "WARNING" for r in ignored)  # expected: no ERROR

    assert Browser().install(app_url, GLOBEX.team_id)[0] == 200  # installed again
    wait_until(lambda: components.delivery.drain_once() == 0 and len(cards(globex)) == 2,
               what="Globex's cards, kept while it was uninstalled")  # fmt: skip
    assert all("Hooli" in card for card in cards(globex))


def _dialogues(engine: Engine, team_id: str) -> int:
    with session_scope(engine) as session:
        query = select(func.count()).select_from(DialogueSession)
        return session.scalar(query.where(DialogueSession.team_id == team_id))


def test_an_org_wide_install_serves_both_workspaces_of_the_organisation(app_url, emulator, engine):
    east, west = emulator.add_team(GRID_EAST), emulator.add_team(GRID_WEST)
    status, page = Browser().install(app_url, GRID)
    assert status == 200 and "Thank you" in page, page
    assert installed_teams(engine) == [(GRID, None)]

    east_scout = person_in(app_url, east, org_wide=True)
    log_discovery(east_scout, "Umbrella")
    log_discovery(person_in(app_url, west, org_wide=True), "Hooli")

    wait_until(lambda: len(cards(east)) == 2 and len(cards(west)) == 2, what="the cards")
    assert all("Umbrella" in card and "Hooli" not in card for card in cards(east))
    assert all("Hooli" in card and "Umbrella" not in card for card in cards(west))
    assert cards(emulator) == []  # Acme never installed
    with session_scope(engine) as session:
        scouts = session.exec(select(Discovery.team_id, Discovery.scout_user_id)).all()
    assert sorted(scouts) == [(GRID_EAST.team_id, "W0SCOUT"), (GRID_WEST.team_id, "W0SCOUT")]

    emulator.uninstall(GRID)  # removed from the organisation: one event, from any workspace
    assert east_scout.driver.event({"type": "app_uninstalled"}).status == 200
    assert installed_teams(engine) == []


def test_installed_by_oauth_every_job_is_scheduled(components):
    scheduled = {job.id for job in scheduled_jobs(components)}

    assert {"compelling_event_radar", "follow_up_actioned_routes"} <= scheduled
    # Per installed workspace (tests/e2e/test_workspaces.py runs them):
    assert {"nudge_idle_dialogues", "nudge_open_loops", "digests", "digests_catch_up"} <= scheduled


def test_web_installed_by_oauth_under_gunicorn_shares_states_and_tokens_between_workers(
    emulator, database_url, tmp_path
):
    port = free_port()
    env = environment(emulator, database_url, PORT=str(port), SLACK_BOT_TOKEN="")
    env |= {"SLACK_CLIENT_ID": CLIENT_ID, "SLACK_CLIENT_SECRET": CLIENT_SECRET}
    app_url = f"http://127.0.0.1:{port}"
    emulator.accept_installs(
        client_id=CLIENT_ID, client_secret=CLIENT_SECRET,
        redirect_url=f"{app_url}/slack/oauth_redirect",
    )  # fmt: skip
    globex = emulator.add_team(GLOBEX)
    web = start(["web", "--host", "127.0.0.1", "--workers", "2"], env, tmp_path)
    try:
        wait_for_health(port, web)
        # The install page and the redirect may reach either worker: both read the database.
        for _ in range(2):
            assert Browser().install(app_url, GLOBEX.team_id)[0] == 200
        person_in(app_url, globex).say("hi", expect="Which customer")
    finally:
        output = stop(web)
    assert web.returncode == 0, output
    assert CLIENT_SECRET not in output and "xoxb-" not in output


def test_an_event_several_installs_can_see_is_served_by_the_first_authorization(
    app_url, emulator, engine
):
    globex = emulator.add_team(GLOBEX)
    for team in (emulator.seed.team_id, GLOBEX.team_id):
        assert Browser().install(app_url, team)[0] == 200
    scout = person_in(app_url, globex)
    acme = person_in(app_url, emulator).driver.origin
    ts = globex.workspace.add_user_message(scout.dm, GLOBEX.scout, "hi")
    event = payloads.message_event(
        scout.driver.origin, user=GLOBEX.scout, text="hi", channel=scout.dm, ts=ts
    )

    assert scout.driver.event(event, also_authorized=(acme,)).status == 200

    scout.wait_for("Which customer")  # answered in Globex, with Globex's token
    assert Scout(scout.driver, emulator, user=emulator.seed.scout).bot_messages() == []
    assert _dialogues(engine, GLOBEX.team_id) == 1
    assert _dialogues(engine, emulator.seed.team_id) == 0


def test_a_revoked_bot_token_is_forgotten_for_that_workspace_only(app_url, emulator, engine):
    globex = emulator.add_team(GLOBEX)
    for team in (emulator.seed.team_id, GLOBEX.team_id):
        assert Browser().install(app_url, team)[0] == 200
    emulator.uninstall(GLOBEX.team_id)  # what revoking does to the token at Slack

    revoked = {"type": "tokens_revoked", "tokens": {"oauth": [], "bot": [GLOBEX.bot_user_id]}}
    assert person_in(app_url, globex).driver.event(revoked).status == 200

    assert installed_teams(engine) == [(None, emulator.seed.team_id)]
