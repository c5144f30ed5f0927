"""Admins and coaches are each workspace's own: installed by OAuth, the installer is a
workspace's first admin and VALUESCOUT_ADMINS / VALUESCOUT_COACHES name nobody there; in one
workspace, they stay the environment's until an admin changes them in the settings."""

import pytest

from bot.cli.forms import view_state
from bot.emulator import SEED, SlackEmulator
from bot.emulator.seed import GLOBEX, GRID, GRID_EAST, GRID_WEST
from bot.rendering.ids import BlockId, Command
from bot.settings import Settings
from storage.engine import session_scope
from storage.queries.config import ADMINS, COACHES, workspace_setting
from tests.e2e import test_installs
from tests.e2e.conftest import e2e_settings
from tests.e2e.people import wait_until
from tests.e2e.test_card_actions import Team
from tests.e2e.test_config import open_config
from tests.e2e.test_edit_withdraw import card_menu, opened_modal
from tests.e2e.test_installs import CLIENT_ID, CLIENT_SECRET, cards, log_discovery, person_in
from tests.e2e.test_workspaces import install

app_url = test_installs.app_url
COACHES_ONLY = "Quality per scout is for coaches"  # coach_only.md.j2's refusal


@pytest.fixture
def settings(emulator: SlackEmulator, database_url: str) -> Settings:
    """OAuth mode; the environment names an admin and a coach (another workspace's people)."""
    return e2e_settings(
        emulator, database_url, SLACK_BOT_TOKEN="", SLACK_CLIENT_ID=CLIENT_ID,
        SLACK_CLIENT_SECRET=CLIENT_SECRET, VALUESCOUT_COACHES=SEED.sally,
    )  # fmt: skip


def config_refused(driver, user: str) -> str:
    """`/scout config` by someone who is no admin there: the refusal's text."""
    answer = driver.command(Command.SCOUT.value, "config", user=user)
    assert answer.status == 200 and answer.json["response_type"] == "ephemeral", answer.body
    return answer.json["text"]


def coach_answer(driver, workspace: SlackEmulator, user: str) -> str:
    before = len(workspace.response_url_posts)
    assert driver.command(Command.SCOUT.value, "coach", user=user).status == 200
    return str(wait_until(lambda: workspace.response_url_posts[before:], what="the answer"))


def test_an_admin_of_one_workspace_is_refused_in_another(app_url, emulator, engine):
    globex = emulator.add_team(GLOBEX)
    emulator.install_approved_by(GLOBEX.team_id, GLOBEX.dana)  # Globex's installer: Dana
    install(app_url, emulator.seed.team_id, GLOBEX.team_id)
    acme, globex_scout = person_in(app_url, emulator).driver, person_in(app_url, globex)

    # Alex (U0ADMIN, VALUESCOUT_ADMINS, Acme's installer) is no admin in Globex.
    refusal = config_refused(globex_scout.driver, GLOBEX.admin)
    assert f"<@{GLOBEX.dana}>" in refusal and f"<@{GLOBEX.admin}>" not in refusal
    assert globex.calls_to("views.open") == []
    assert open_config(acme, emulator, SEED.admin)["title"]["text"] == "Value Scout settings"
    assert open_config(globex_scout.driver, globex, GLOBEX.dana)

    log_discovery(globex_scout, "Hooli")
    wait_until(lambda: len(cards(globex)) == 2, what="Globex's cards")
    team = Team(globex_scout.driver, globex)
    card_menu(team, globex, "withdraw", user=GLOBEX.admin)  # only the scout or an admin may
    note = wait_until(lambda: globex.ephemerals(GLOBEX.product), what="a refusal")[-1]
    assert note["to_user"] == GLOBEX.admin and f"<@{GLOBEX.dana}>" in note["text"]
    assert not globex.modal_stack(GLOBEX.admin)
    before = len(globex.calls_to("views.open"))
    card_menu(team, globex, "withdraw", user=GLOBEX.dana)
    assert opened_modal(globex, GLOBEX.dana, before)["type"] == "modal"

    with session_scope(engine) as session:
        stored = {
            team: workspace_setting(session=session, key=ADMINS, team_id=team)
            for team in (SEED.team_id, GLOBEX.team_id)
        }
    assert stored == {SEED.team_id: [SEED.admin], GLOBEX.team_id: [GLOBEX.dana]}


def test_coaches_one_workspace_names_are_refused_in_another(app_url, emulator, engine):
    globex = emulator.add_team(GLOBEX)
    install(app_url, emulator.seed.team_id, GLOBEX.team_id)
    acme, globex_driver = person_in(app_url, emulator).driver, person_in(app_url, globex).driver
    # VALUESCOUT_COACHES names Sally, but an installed workspace starts with no coaches named.
    assert COACHES_ONLY in coach_answer(acme, emulator, SEED.sally)

    view = open_config(acme, emulator, SEED.admin)  # Acme's admin names Sally its coach
    changes = {BlockId.CONFIG_COACHES.value: [SEED.sally]}
    saved = acme.view_submission(user=SEED.admin, view=view["id"], values=view_state(view, changes))
    assert saved.json == {"response_action": "clear"}

    assert COACHES_ONLY not in coach_answer(acme, emulator, SEED.sally)
    assert COACHES_ONLY in coach_answer(globex_driver, globex, GLOBEX.sally)
    with session_scope(engine) as session:
        assert workspace_setting(session=session, key=COACHES, team_id=GLOBEX.team_id) == []
        assert workspace_setting(session=session, key=ADMINS, team_id=SEED.team_id) == [SEED.admin]


def test_an_org_wide_installer_administers_each_workspace_of_the_organisation(app_url, emulator):
    east, west = emulator.add_team(GRID_EAST), emulator.add_team(GRID_WEST)
    install(app_url, GRID)  # one install, approved by the organisation's W0ADMIN
    for workspace in (east, west):
        driver = person_in(app_url, workspace, org_wide=True).driver
        assert open_config(driver, workspace, workspace.seed.admin)["type"] == "modal"
        assert f"<@{workspace.seed.admin}>" in config_refused(driver, workspace.seed.dana)
