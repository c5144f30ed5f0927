"""Admins change the route map, digest schedule and nudge delay; anyone else is told who can."""

from __future__ import annotations

import pytest

from bot.cli.forms import view_state
from bot.config import HOLIDAYS, TIMEZONE, load_config
from bot.emulator import SEED
from bot.rendering.ids import ActionId, BlockId, Command
from storage.engine import session_scope
from storage.queries.config import ADMINS, COACHES, get_setting
from tests.e2e.people import wait_until
from tests.e2e.test_card_actions import logged

pytestmark = pytest.mark.sqlite_only  # how the app answers, not what storage does

SETTINGS_TITLE = "Value Scout settings"


def open_config(driver, emulator, user: str = SEED.admin) -> dict:
    before = len(emulator.calls_to("views.open"))
    response = driver.command(Command.SCOUT.value, "config", user=user)
    assert response.status == 200
    wait_until(lambda: len(emulator.calls_to("views.open")) > before, what="the settings modal")
    return emulator.modal_stack(user)[-1]


def channel_block(role: str) -> str:
    return f"{BlockId.CONFIG_CHANNEL_PREFIX}{role}"


def test_an_admin_changes_the_settings_and_the_home_tab_shows_them(
    driver, emulator, engine, components
):
    view = open_config(driver, emulator)
    state = view_state(view, {})
    assert state[channel_block("product")]["input"]["selected_conversation"] == SEED.product
    assert state[BlockId.CONFIG_SCHEDULE]["input"]["value"] == "mon 09:00"
    assert state[BlockId.CONFIG_NUDGE]["input"]["value"] == "3"
    zone = state[BlockId.CONFIG_TIMEZONE]["input"]["selected_option"]
    assert zone["value"] == components.settings.timezone == "Europe/Berlin"

    changes = {
        channel_block("product"): SEED.general,
        BlockId.CONFIG_SCHEDULE.value: "Thursday 08:30",
        BlockId.CONFIG_NUDGE.value: "5",
        BlockId.CONFIG_TIMEZONE.value: "America/Los_Angeles",
        BlockId.CONFIG_HOLIDAYS.value: "us",
    }
    saved = driver.view_submission(
        user=SEED.admin, view=view["id"], values=view_state(view, changes)
    )

    assert saved.json == {"response_action": "clear"}
    with session_scope(engine) as session:
        config = load_config(session=session, settings=components.settings)
    assert config.channels["product"] == SEED.general and config.channels["sales"] == SEED.sales
    assert (str(config.schedule), config.nudge_days) == ("thu 08:30", 5)
    assert (config.timezone, config.holidays) == ("America/Los_Angeles", "US")
    home = str(wait_until(lambda: emulator.home_view(SEED.admin), what="the admin's Home tab"))
    assert "Settings (admins)" in home and f"<#{SEED.general}>" in home
    assert "thu 08:30 (America/Los" in home and "5 working days" in home  # _ kept from italics
    assert "without the public holidays of US" in home


def test_bad_settings_are_refused_on_their_fields_and_nothing_changes(
    driver, emulator, engine, components
):
    view = open_config(driver, emulator)
    changes = {BlockId.CONFIG_SCHEDULE.value: "someday", BlockId.CONFIG_NUDGE.value: "0",
               BlockId.CONFIG_HOLIDAYS.value: "Narnia"}  # fmt: skip
    values = view_state(view, changes)
    # A forged submit: a zone the list never offered (a client sends only listed options).
    forged_zone = {"value": "Mars/Olympus_Mons", "text": {"type": "plain_text", "text": "Mars"}}
    values[BlockId.CONFIG_TIMEZONE]["input"]["selected_option"] = forged_zone

    refused = driver.view_submission(user=SEED.admin, view=view["id"], values=values)

    assert refused.json["response_action"] == "errors"
    assert set(refused.json["errors"]) == {
        BlockId.CONFIG_SCHEDULE, BlockId.CONFIG_NUDGE, BlockId.CONFIG_TIMEZONE,
        BlockId.CONFIG_HOLIDAYS,
    }  # fmt: skip
    assert "mon 09:00" in refused.json["errors"][BlockId.CONFIG_SCHEDULE]
    assert "Europe/Berlin" in refused.json["errors"][BlockId.CONFIG_TIMEZONE]
    twice = {BlockId.CONFIG_SCHEDULE.value: "mon,thu 09:00"}
    weekly = driver.view_submission(
        user=SEED.admin, view=view["id"], values=view_state(view, twice)
    )
    assert "digests are weekly: one day" in weekly.json["errors"][BlockId.CONFIG_SCHEDULE]
    with session_scope(engine) as session:
        config = load_config(session=session, settings=components.settings)
    assert (str(config.schedule), config.nudge_days) == ("mon 09:00", 3)


def test_anyone_else_gets_a_polite_refusal_naming_the_admins(driver, emulator, components):
    answer = driver.command(Command.SCOUT.value, "config", user=SEED.dana)

    assert answer.json["response_type"] == "ephemeral"
    assert f"<@{SEED.admin}>" in answer.json["text"] and "Only" in answer.json["text"]
    assert emulator.calls_to("views.open") == []


def test_a_forged_save_by_someone_else_changes_nothing(driver, emulator, engine, components):
    view = open_config(driver, emulator)
    changes = {BlockId.CONFIG_NUDGE.value: "9"}

    forged = driver.view_submission(user=SEED.dana, view=view, values=view_state(view, changes))

    assert forged.json["response_action"] == "errors"
    with session_scope(engine) as session:
        assert load_config(session=session, settings=components.settings).nudge_days == 3


def test_the_home_tab_shows_settings_to_admins_only(driver, emulator, components):
    for user in (SEED.admin, SEED.scout):
        driver.app_home_opened(user)
    admin = str(wait_until(lambda: emulator.home_view(SEED.admin), what="the admin's Home"))
    scout = str(wait_until(lambda: emulator.home_view(SEED.scout), what="the scout's Home"))

    assert "Settings (admins)" in admin and ActionId.CONFIG_OPEN.value in admin
    assert "Settings (admins)" not in scout and ActionId.CONFIG_OPEN.value not in scout


def test_a_new_channel_mapping_routes_the_next_discovery_there(driver, emulator, components):
    view = open_config(driver, emulator)
    changes = {channel_block("product"): SEED.coaches}
    driver.view_submission(user=SEED.admin, view=view["id"], values=view_state(view, changes))

    logged(driver, emulator)

    assert wait_until(lambda: emulator.messages(SEED.coaches), what="the card in the new channel")
    assert emulator.messages(SEED.product) == []


def test_the_bot_joins_a_public_channel_an_admin_maps(driver, emulator, components):
    view = open_config(driver, emulator)
    changes = {channel_block("product"): SEED.general}  # the bot is not in #general

    driver.view_submission(user=SEED.admin, view=view["id"], values=view_state(view, changes))

    wait_until(lambda: emulator.calls_to("conversations.join"), what="the bot joining")
    [join] = emulator.calls_to("conversations.join")
    assert join.params["channel"] == SEED.general and join.ok


def test_an_admin_hears_which_channels_the_bot_cannot_join(driver, emulator, components):
    emulator.faults.error("conversations.join", "method_not_supported_for_channel_type")
    view = open_config(driver, emulator)
    changes = {channel_block("product"): SEED.general}

    driver.view_submission(user=SEED.admin, view=view["id"], values=view_state(view, changes))

    admin_dm = emulator.dm_channel_for(SEED.admin)
    note = wait_until(lambda: emulator.messages(admin_dm), what="a note to the admin")[-1]
    assert (
        f"I'm not in <#{SEED.general}>" in note["text"] and "/invite @Value Scout" in note["text"]
    )


def test_admins_see_the_set_up_checks_on_the_home_tab_and_what_is_wrong(
    driver, emulator, components
):
    emulator.scopes.remove("groups:read")
    emulator.workspace.leave(SEED.product, SEED.bot_user_id)
    for user in (SEED.admin, SEED.scout):
        driver.app_home_opened(user)
    admin = str(wait_until(lambda: emulator.home_view(SEED.admin), what="the admin's Home"))
    scout = str(wait_until(lambda: emulator.home_view(SEED.scout), what="the scout's Home"))

    assert "*Set-up checks*, the same as `valuescout doctor`" in admin
    assert "✓ Slack token: accepted for @valuescout in Acme Corp" in admin
    assert "✗ Scopes: not granted: groups:read — fix:" in admin
    assert "✗ Channel for product: #product (C0PRODUCT): the bot is not a member" in admin
    assert "✓ Channel for sales: #sales (C0SALES): the bot is a member" in admin
    assert "(SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET)" in admin  # shown as written, in a code block
    assert "```\\n✓ Slack set-up" in admin  # str() of the view shows its line breaks as \\n
    assert "Set-up checks" not in scout


def test_an_admin_names_another_admin_and_a_save_leaves_unchanged_lists_to_the_environment(
    driver, emulator, engine, components
):
    view = open_config(driver, emulator)
    state = view_state(view, {})
    assert state[BlockId.CONFIG_ADMINS]["input"]["selected_users"] == [SEED.admin]
    driver.view_submission(user=SEED.admin, view=view["id"], values=state)  # nothing changed
    with session_scope(engine) as session:  # so VALUESCOUT_ADMINS (and _TIMEZONE) still decide
        assert get_setting(session=session, key=ADMINS) is None
        assert get_setting(session=session, key=COACHES) is None
        assert get_setting(session=session, key=TIMEZONE) is None
        assert get_setting(session=session, key=HOLIDAYS) is None

    view = open_config(driver, emulator)
    both = {BlockId.CONFIG_ADMINS.value: [SEED.admin, SEED.dana]}
    driver.view_submission(user=SEED.admin, view=view["id"], values=view_state(view, both))

    assert open_config(driver, emulator, SEED.dana)["title"]["text"] == SETTINGS_TITLE
    none = {BlockId.CONFIG_ADMINS.value: []}  # someone must stay admin
    refused = driver.view_submission(user=SEED.dana, view=view["id"], values=view_state(view, none))
    assert set(refused.json["errors"]) == {BlockId.CONFIG_ADMINS}
