"""Several workspaces in one database, installed by OAuth: two workspaces and a Grid
organisation of two (whose people share one W… id in both). A scout in one never sees,
is matched to or is linked with another's accounts and discoveries; deleting one workspace's
rows leaves the other working."""

import io
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import col, delete, select

from bot.cli.doctor import run_doctor
from bot.cli.forms import view_state
from bot.cli.jobs import run_jobs
from bot.cli.runtime import run_per_team
from bot.cli.workspaces import run_workspace
from bot.config import TIMEZONE
from bot.domain.themes import load_network
from bot.emulator import SlackEmulator
from bot.emulator.seed import GLOBEX, GRID, GRID_EAST, GRID_WEST
from bot.jobs import job
from bot.rendering.ids import BlockId
from bot.wording import say
from storage.engine import session_scope
from storage.models import Account, DialogueSession, Discovery, OutboxMessage, RouteChannel
from storage.queries import set_setting
from storage.types import utc_now
from tests.e2e import test_installs
from tests.e2e.people import Scout, wait_until
from tests.e2e.test_config import channel_block, open_config
from tests.e2e.test_installs import Browser, cards, log_discovery, person_in

# The app installed by OAuth, as test_installs serves it (fixtures of that module).
settings, app_url = test_installs.settings, test_installs.app_url

OUTCOME = "Onboard a new store in one day"  # log_discovery's outcome: alike in every workspace


def search(scout: Scout, workspace: SlackEmulator, words: str) -> str:
    """`/scout search <words>` as this scout; the ephemeral answer's text and blocks."""
    before = len(workspace.response_url_posts)
    response = scout.driver.command("/scout", f"search {words}", user=scout.user)
    assert response.status == 200, response.body
    posts = wait_until(lambda: workspace.response_url_posts[before:], what="the answer")
    return str(posts[0].payload)


def home_of(scout: Scout, workspace: SlackEmulator) -> str:
    """The scout's App Home as published in their workspace."""
    before = len(workspace.calls_to("views.publish"))
    scout.driver.app_home_opened(scout.user)
    wait_until(lambda: len(workspace.calls_to("views.publish")) > before, what="a publish")
    return str(workspace.home_view(scout.user))


def accounts_by_team(engine) -> list[tuple[str, str]]:
    with session_scope(engine) as session:
        return sorted(session.exec(select(Account.team_id, Account.name)).all())


def install(app_url: str, *teams: str) -> None:
    for team in teams:
        status, page = Browser().install(app_url, team)
        assert status == 200 and "Thank you" in page, page


def test_two_workspaces_share_nothing_and_deleting_one_leaves_the_other_working(
    app_url, emulator, engine, settings
):
    globex = emulator.add_team(GLOBEX)
    install(app_url, emulator.seed.team_id, GLOBEX.team_id)
    acme_scout, globex_scout = person_in(app_url, emulator), person_in(app_url, globex)

    log_discovery(acme_scout, "Umbrella")
    wait_until(lambda: len(cards(emulator)) == 2, what="Acme's cards")
    # The same account name and outcome in Globex: a new account there, no look-alike offered.
    log_discovery(globex_scout, "Umbrella")
    wait_until(lambda: len(cards(globex)) == 2, what="Globex's cards")

    lookalike = say("summary_lookalike", discovery_id=1, account="Umbrella", outcome=OUTCOME)
    assert lookalike.split("“")[0] not in str(globex_scout.bot_messages())
    assert accounts_by_team(engine) == [
        (GLOBEX.team_id, "Umbrella"), (emulator.seed.team_id, "Umbrella"),
    ]  # fmt: skip
    # Both workspaces hold one discovery about a store: a search that crossed would find two.
    for scout, workspace in ((acme_scout, emulator), (globex_scout, globex)):
        assert "The 1 discovery with *store*" in search(scout, workspace, "store")

    listed = io.StringIO()
    assert run_workspace(type("Args", (), {"action": "list"}), settings, out=listed) == 0
    assert listed.getvalue().splitlines() == [
        f"{team}: installed; 1 discoveries, 1 dialogue_sessions, 1 accounts"
        for team in sorted((emulator.seed.team_id, GLOBEX.team_id))
    ]
    out = io.StringIO()
    args = type("Args", (), {"action": "delete", "team": emulator.seed.team_id, "yes": True})
    assert run_workspace(args, settings, out=out) == 0
    assert f"workspace {emulator.seed.team_id}:" in out.getvalue()
    assert accounts_by_team(engine) == [(GLOBEX.team_id, "Umbrella")]

    log_discovery(globex_scout, "Hooli")  # the other workspace goes on working
    wait_until(lambda: len(cards(globex)) == 4, what="Globex's new cards")


def test_a_grid_scout_sees_only_the_workspace_they_are_in(app_url, emulator, engine):
    east, west = emulator.add_team(GRID_EAST), emulator.add_team(GRID_WEST)
    install(app_url, GRID)
    east_scout = person_in(app_url, east, org_wide=True)
    west_scout = person_in(app_url, west, org_wide=True)  # the same W0SCOUT id
    assert east_scout.user == west_scout.user

    log_discovery(east_scout, "Umbrella")
    log_discovery(west_scout, "Hooli")
    wait_until(lambda: len(cards(east)) == 2 and len(cards(west)) == 2, what="the cards")

    assert "Umbrella" in home_of(east_scout, east) and "Hooli" not in home_of(east_scout, east)
    assert "Hooli" in home_of(west_scout, west) and "Umbrella" not in home_of(west_scout, west)
    assert "Hooli" not in search(east_scout, east, "store")
    assert accounts_by_team(engine) == [
        (GRID_EAST.team_id, "Umbrella"), (GRID_WEST.team_id, "Hooli"),
    ]  # fmt: skip


def idle_dialogue(engine, team_id: str) -> DialogueSession:
    with session_scope(engine) as session:
        return session.exec(select(DialogueSession).where(DialogueSession.team_id == team_id)).one()


def test_reminders_run_per_installed_workspace_and_stop_for_an_uninstalled_one(
    app_url, emulator, engine, components
):
    globex = emulator.add_team(GLOBEX)
    install(app_url, emulator.seed.team_id, GLOBEX.team_id)
    acme_scout, globex_scout = person_in(app_url, emulator), person_in(app_url, globex)
    for scout in (acme_scout, globex_scout):
        scout.say("hi", expect="Which customer")
    emulator.uninstall(GLOBEX.team_id)
    assert globex_scout.driver.event({"type": "app_uninstalled"}).status == 200
    heard = {scout: len(scout.bot_messages()) for scout in (acme_scout, globex_scout)}

    later = utc_now() + timedelta(hours=2)
    done = run_per_team(components, job("idle_dialogues"), network=load_network(), now=later)

    assert done == {emulator.seed.team_id: (1, 0)}  # Globex has no token: its job stops
    wait_until(lambda: len(acme_scout.bot_messages()) > heard[acme_scout], what="the reminder")
    assert len(globex_scout.bot_messages()) == heard[globex_scout]
    assert idle_dialogue(engine, emulator.seed.team_id).reminded_at is not None
    assert idle_dialogue(engine, GLOBEX.team_id).reminded_at is None  # kept, not claimed


def test_each_workspace_gets_digests_of_its_own_discoveries(
    app_url, emulator, engine, components, settings
):
    """The digest job runs once per installed workspace with its token: each one's product
    digest counts and names its own discoveries only, and is sent once."""
    globex = emulator.add_team(GLOBEX)
    install(app_url, emulator.seed.team_id, GLOBEX.team_id)
    acme_scout, globex_scout = person_in(app_url, emulator), person_in(app_url, globex)
    log_discovery(acme_scout, "Umbrella")
    log_discovery(globex_scout, "Hooli")
    wait_until(lambda: len(cards(emulator)) == 2 and len(cards(globex)) == 2, what="the cards")
    digests = job("digests")
    run_per_team(components, digests, network=load_network(), now=utc_now())  # nothing due yet

    monday = next_monday_at_nine(settings.zone)
    sent = run_per_team(components, digests, network=load_network(), now=monday)

    assert set(sent) == {emulator.seed.team_id, GLOBEX.team_id} and all(sent.values())
    acme, globex_text = digest_text(emulator), digest_text(globex)
    assert "Product digest" in acme and "*Umbrella*" in acme and "Hooli" not in acme
    assert "Product digest" in globex_text and "*Hooli*" in globex_text
    assert "Umbrella" not in globex_text
    again = run_per_team(components, digests, network=load_network(), now=monday)
    assert again == {emulator.seed.team_id: [], GLOBEX.team_id: []}  # each sent once


def next_monday_at_nine(zone: ZoneInfo) -> datetime:
    """The next digest fire (Monday 09:05 in the zone), after today there."""
    today = utc_now().astimezone(zone).date()
    monday = today + timedelta(days=7 - today.weekday())
    return datetime.combine(monday, time(9, 5), tzinfo=zone)


def set_time_zone(admin: Scout, workspace: SlackEmulator, zone: str) -> None:
    """The workspace's admin picks its time zone in the settings modal and saves."""
    view = open_config(admin.driver, workspace, workspace.seed.admin)
    values = view_state(view, {BlockId.CONFIG_TIMEZONE.value: zone})
    saved = admin.driver.view_submission(user=workspace.seed.admin, view=view["id"], values=values)
    assert saved.json == {"response_action": "clear"}, saved.body


def test_each_workspace_gets_its_digest_on_its_own_monday_morning(
    app_url, emulator, engine, components, settings
):
    """Acme keeps the deployment's Europe/Berlin, Globex's admin picks America/Los_Angeles:
    as the clock moves (the jobs run as the scheduler runs them) each workspace's digest of
    its week arrives at 09:00 on its own Monday, not at the other's."""
    globex = emulator.add_team(GLOBEX)
    install(app_url, emulator.seed.team_id, GLOBEX.team_id)
    acme_scout, globex_scout = person_in(app_url, emulator), person_in(app_url, globex)
    set_time_zone(globex_scout, globex, "America/Los_Angeles")
    log_discovery(acme_scout, "Umbrella")
    log_discovery(globex_scout, "Hooli")
    wait_until(lambda: len(cards(emulator)) == 2 and len(cards(globex)) == 2, what="the cards")
    digests = job("digests")
    run_per_team(components, digests, network=load_network(), now=utc_now())  # nothing due yet

    own = {emulator: "*Umbrella*", globex: "*Hooli*"}  # each one's digest names its discovery
    fires = {
        emulator: next_monday_at_nine(ZoneInfo("Europe/Berlin")),
        globex: next_monday_at_nine(ZoneInfo("America/Los_Angeles")),  # 9 hours later
    }
    for moment in sorted(fires.values()):
        run_per_team(components, digests, network=load_network(), now=moment)
        for workspace, fire in fires.items():
            sent = own[workspace] in digest_text(workspace)
            assert sent == (fire <= moment), (workspace.seed.team_name, moment)


def digest_text(workspace: SlackEmulator) -> str:
    """What the bot posted in the workspace's #product besides its cards: the digest, its thread."""
    posted = workspace.messages(workspace.seed.product)
    return str([m for m in posted if "Value gap at" not in str(m)])


def far_zone() -> ZoneInfo:
    """A zone whose date differs from UTC's right now: UTC+14 from 10:00 UTC, else UTC-11."""
    return ZoneInfo("Pacific/Kiritimati" if utc_now().hour >= 10 else "Pacific/Pago_Pago")


def test_each_workspaces_home_shows_dates_on_its_own_clock(app_url, emulator, engine):
    globex = emulator.add_team(GLOBEX)
    install(app_url, emulator.seed.team_id, GLOBEX.team_id)
    acme_scout, globex_scout = person_in(app_url, emulator), person_in(app_url, globex)
    zone = far_zone()
    set_time_zone(globex_scout, globex, zone.key)
    log_discovery(acme_scout, "Umbrella")
    log_discovery(globex_scout, "Hooli")
    with session_scope(engine) as session:
        logged = dict(session.exec(select(Discovery.team_id, Discovery.created_at)).all())

    def day(team_id: str, where: ZoneInfo) -> str:
        return logged[team_id].astimezone(where).strftime("%-d %b %Y")

    assert day(GLOBEX.team_id, zone) != day(GLOBEX.team_id, ZoneInfo("UTC"))
    assert f"logged {day(GLOBEX.team_id, zone)}" in home_of(globex_scout, globex)
    berlin = ZoneInfo("Europe/Berlin")  # Acme keeps the deployment's zone
    assert f"logged {day(emulator.seed.team_id, berlin)}" in home_of(acme_scout, emulator)


def test_jobs_run_for_one_installed_workspace_reads_at_on_its_clock(
    app_url, emulator, engine, settings
):
    """`valuescout jobs run --team T0GLOBEX --at 2026-…T09:05`: Globex's jobs, with its token,
    the time read in Los Angeles; Acme's digest is not sent by it."""
    globex = emulator.add_team(GLOBEX)
    install(app_url, emulator.seed.team_id, GLOBEX.team_id)
    globex_scout = person_in(app_url, globex)
    set_time_zone(globex_scout, globex, "America/Los_Angeles")
    log_discovery(globex_scout, "Hooli")
    wait_until(lambda: len(cards(globex)) == 2, what="Globex's cards")
    monday = next_monday_at_nine(ZoneInfo("America/Los_Angeles"))

    def jobs_run(at: datetime) -> list[str]:
        out = io.StringIO()
        args = type("Args", (), {"at": at.isoformat(), "team": GLOBEX.team_id})
        assert run_jobs(args, settings, out=out) == 0
        return out.getvalue().splitlines()

    jobs_run(utc_now().astimezone(ZoneInfo("America/Los_Angeles")))  # digests start here
    said = jobs_run(monday.replace(tzinfo=None))  # no offset: Globex's clock

    assert said[0] == f"jobs due at {monday.isoformat()} (America/Los_Angeles)"
    assert [line for line in said if line.startswith("digests:")] == ["digests: 5 sent"]
    assert "*Hooli*" in digest_text(globex) and "Product digest" not in digest_text(emulator)


def section(lines: list[str], team: str) -> list[str]:
    """A workspace's lines of `doctor`: its heading up to the next one (or the summary)."""
    start = lines.index(f"✓ Workspace {team}: installed; the checks below are its own")
    rest = lines[start + 1 :]
    end = next((i for i, line in enumerate(rest) if "Workspace" in line or "check" in line), None)
    return lines[start : start + 1 + (len(rest) if end is None else end)]


def doctor(settings, team: str | None = None) -> list[str]:
    out = io.StringIO()
    run_doctor(settings, out=out, team=team)
    return out.getvalue().splitlines()


def test_doctor_checks_each_installed_workspace_with_its_own_token_channels_and_zone(
    app_url, emulator, engine, settings
):
    globex = emulator.add_team(GLOBEX)
    install(app_url, emulator.seed.team_id, GLOBEX.team_id)
    set_time_zone(person_in(app_url, globex), globex, "America/Los_Angeles")

    lines = doctor(settings)
    acme, globex_lines = (section(lines, team) for team in (emulator.seed.team_id, GLOBEX.team_id))
    assert acme[1] == "✓ Slack token: accepted for @valuescout in Acme Corp"
    assert globex_lines[1] == "✓ Slack token: accepted for @valuescout in Globex"
    assert any(line.startswith("✓ Channel for product: #product") for line in globex_lines)
    assert globex_lines[-1] == "✓ Time zone: America/Los_Angeles, as an admin chose it in Slack"
    assert acme[-1].startswith("✓ Time zone: Europe/Berlin (VALUESCOUT_TIMEZONE")

    with session_scope(engine) as session:  # a hand-edited row names a zone nobody knows
        set_setting(session=session, key=TIMEZONE, value="Mars/Olympus", changed_by=None,
                    team_id=GLOBEX.team_id)  # fmt: skip
    emulator.uninstall(emulator.seed.team_id)
    assert person_in(app_url, emulator).driver.event({"type": "app_uninstalled"}).status == 200
    only_globex = doctor(settings, team=GLOBEX.team_id)
    assert not any(emulator.seed.team_id in line for line in only_globex)
    assert "✗ Time zone: the stored zone 'Mars/Olympus' is not one this machine knows," in str(
        only_globex
    )
    acme_gone = doctor(settings, team=emulator.seed.team_id)
    assert f"✗ Workspace {emulator.seed.team_id}: has no bot token" in str(acme_gone)


def refused_cards(engine) -> int:
    """Cards kept pending because Slack did not know their channel."""
    with session_scope(engine) as session:
        errors = session.exec(select(OutboxMessage.last_error)).all()
    return errors.count("channel_not_found")


def test_a_workspace_without_its_own_channels_never_posts_into_anothers(
    app_url, emulator, engine
):
    """Globex's admin has not mapped its channels: the deployment's (Acme's ids) are not
    Globex's, so its cards wait (Slack: channel_not_found) and nothing lands in Acme; once
    mapped in *Change settings*, the waiting cards go to Globex's own channels."""
    globex = emulator.add_team(GLOBEX)
    install(app_url, emulator.seed.team_id, GLOBEX.team_id)
    with session_scope(engine) as session:
        session.exec(delete(RouteChannel).where(col(RouteChannel.team_id) == GLOBEX.team_id))
    globex_scout = person_in(app_url, globex)

    log_discovery(globex_scout, "Hooli")
    wait_until(lambda: refused_cards(engine) == 2, what="Globex's cards refused, kept waiting")
    assert cards(globex) == [] and not any("Hooli" in card for card in cards(emulator))
    admins_dm = globex.dm_channel_for(GLOBEX.admin)  # told in Globex, with the fix
    told = wait_until(lambda: globex.messages(admins_dm), what="Globex's admin told")
    assert "map another channel with `/scout config`" in told[-1]["text"]
    assert not emulator.messages(emulator.dm_channel_for(GLOBEX.admin))  # nothing in Acme

    view = open_config(globex_scout.driver, globex, GLOBEX.admin)
    own = {channel_block("product"): GLOBEX.product, channel_block("sales"): GLOBEX.sales}
    saved = globex_scout.driver.view_submission(
        user=GLOBEX.admin, view=view["id"], values=view_state(view, own)
    )
    assert saved.json == {"response_action": "clear"}
    wait_until(lambda: len(cards(globex)) == 2, what="Globex's cards in its own channels")
    assert not any("Hooli" in card for card in cards(emulator))
