"""The installation and OAuth state stores on both databases, and each team's client."""

from datetime import timedelta

from slack_sdk.oauth.installation_store import Installation

from bot.installs.clients import InstalledWorkspaces
from bot.installs.store import DatabaseInstallationStore, DatabaseOAuthStateStore
from bot.slack_client import KeepAliveWebClient
from storage.engine import session_scope
from storage.queries.installs import note_team
from storage.types import utc_now

CLIENT_ID = "111.222"


def install(store, *, team=None, enterprise=None, token="xoxb-1", at=1_700_000_000.0):
    store.save(Installation(
        app_id="A1", enterprise_id=enterprise, team_id=team, user_id="U1", bot_token=token,
        bot_id="B1", bot_user_id="UBOT", bot_scopes="chat:write,im:history",
        is_enterprise_install=team is None, installed_at=at,
    ))  # fmt: skip


def clients(engine, store):
    return InstalledWorkspaces(client=KeepAliveWebClient(), store=store, engine=engine)


def test_a_workspace_install_is_found_by_its_team_and_the_newest_token_wins(engine):
    store = DatabaseInstallationStore(engine=engine, client_id=CLIENT_ID)
    install(store, team="T1", token="xoxb-old", at=1_700_000_000.0)
    install(store, team="T1", token="xoxb-new", at=1_700_000_100.0)

    assert store.find_bot(enterprise_id=None, team_id="T1").bot_token == "xoxb-new"
    found = store.find_installation(enterprise_id=None, team_id="T1")
    assert found.bot_token == "xoxb-new" and found.bot_scopes == ["chat:write", "im:history"]
    assert found.installed_at == 1_700_000_100.0
    assert store.find_bot(enterprise_id=None, team_id="T2") is None
    assert clients(engine, store).for_team("T1").token == "xoxb-new"
    assert clients(engine, store).for_team("T2") is None


def test_another_app_id_does_not_see_the_installs(engine):
    install(DatabaseInstallationStore(engine=engine, client_id=CLIENT_ID), team="T1")
    other = DatabaseInstallationStore(engine=engine, client_id="999.999")

    assert other.find_bot(enterprise_id=None, team_id="T1") is None


def test_an_org_wide_install_serves_every_workspace_seen_in_the_org(engine):
    store = DatabaseInstallationStore(engine=engine, client_id=CLIENT_ID)
    install(store, enterprise="E1", token="xoxb-org")
    with session_scope(engine) as session:
        note_team(session=session, team_id="T1", enterprise_id="E1", now=utc_now())

    bot = store.find_bot(enterprise_id="E1", team_id="T1", is_enterprise_install=True)
    assert bot.bot_token == "xoxb-org" and bot.is_enterprise_install
    client = clients(engine, store).for_team("T1")
    assert client.token == "xoxb-org" and client.default_params["team_id"] == "T1"
    assert clients(engine, store).for_team("T2", "E1").default_params["team_id"] == "T2"
    assert clients(engine, store).for_team("T3") is None  # never seen: no organisation known


def test_uninstalling_one_workspace_forgets_its_tokens_only(engine):
    store = DatabaseInstallationStore(engine=engine, client_id=CLIENT_ID)
    install(store, team="T1", token="xoxb-1")
    install(store, team="T2", token="xoxb-2")

    store.delete_all(enterprise_id=None, team_id="T1")

    assert store.find_installation(enterprise_id=None, team_id="T1") is None
    assert clients(engine, store).for_team("T1") is None
    assert clients(engine, store).for_team("T2").token == "xoxb-2"


def test_a_state_is_accepted_once_and_unknown_or_expired_ones_never(engine):
    states = DatabaseOAuthStateStore(engine=engine)
    state = states.issue()

    assert states.consume(state) is True
    assert states.consume(state) is False  # a replayed redirect
    assert states.consume("made-up") is False
    expired = DatabaseOAuthStateStore(engine=engine, lifetime=timedelta(seconds=-1))
    assert expired.consume(expired.issue()) is False
