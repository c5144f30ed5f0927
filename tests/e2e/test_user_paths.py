"""What real users do that the happy paths don't: mistyped commands, stale buttons, wrong people.

Every test here reproduced a failure found by walking the product through signed HTTP; each
also checks, on the way out, that nobody got an apology, the log has no error and Slack
refused no call.
"""

from __future__ import annotations

import copy
import logging
import time
from datetime import timedelta

import pytest
from sqlmodel import select

from bot.cli.terminal import find_button
from bot.discoveries.reminders import nudge_idle_dialogues
from bot.emulator import SEED
from bot.rendering.ids import CallbackId, Command
from storage.engine import session_scope
from storage.enums import DiscoveryStatus
from storage.models import DialogueSession, Discovery
from tests.e2e.people import Scout, wait_until
from tests.e2e.test_card_actions import logged
from tests.e2e.test_dialogue_dm import answer_everything, count
from tests.e2e.test_reroute import reroute


@pytest.fixture(autouse=True)
def no_failures(caplog, emulator):
    """Afterwards: no apology in any DM, no ERROR in the log, no call Slack refused.

    A test that provokes a refusal on purpose adds its summary ("method(channel) -> error")
    to the set this fixture yields.
    """
    caplog.set_level(logging.INFO)
    expected: set[str] = set()
    yield expected
    settle(emulator)
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    refused = [call.summary() for call in emulator.calls if not call.ok]
    refused = [summary for summary in refused if summary not in expected]
    apologies = [
        m["text"]
        for user in (SEED.scout, SEED.dana, SEED.sally, SEED.admin)
        for m in emulator.messages(emulator.dm_channel_for(user))
        if "went wrong" in m.get("text", "")
    ]
    assert (errors, refused, apologies) == ([], [], [])


def settle(emulator, quiet: float = 0.3, timeout: float = 5.0) -> None:
    """Wait until the app has made no Web API call for `quiet` seconds (its work is done)."""
    deadline = time.monotonic() + timeout
    seen, since = len(emulator.calls), time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(0.05)
        if len(emulator.calls) != seen:
            seen, since = len(emulator.calls), time.monotonic()
        elif time.monotonic() - since >= quiet:
            return


def dialogues(engine) -> list[DialogueSession]:
    with session_scope(engine) as session:
        return list(session.exec(select(DialogueSession).order_by(DialogueSession.id)))


# --- /scout <text> ------------------------------------------------------------------------------


@pytest.mark.parametrize("word", ["frobnicate", "hlep", "settings", "Globex"])
def test_a_single_unknown_word_after_scout_gets_the_list_of_commands_only(
    driver, emulator, engine, word
):
    response = driver.command(Command.SCOUT.value, word, user=SEED.scout)

    assert response.status == 200
    answer = response.json
    assert answer["response_type"] == "ephemeral"  # only the asker sees it
    assert (
        f"`{Command.SCOUT} help`" in answer["text"]
        and f"`{Command.SCOUT} config`" in answer["text"]
    )
    settle(emulator)
    assert emulator.calls_to("views.open") == [] and dialogues(engine) == []


@pytest.mark.parametrize(
    ("typo", "meant"), [("hlep", "help"), ("settings", "config"), ("confg", "config")]
)
def test_a_near_miss_of_a_command_is_suggested(driver, emulator, typo, meant):
    answer = driver.command(Command.SCOUT.value, typo, user=SEED.scout).json

    assert f"Did you mean `{Command.SCOUT} {meant}`?" in answer["text"]


def test_scout_with_a_story_opens_the_form_with_the_story_kept_as_evidence(
    driver, emulator, engine
):
    story = "Acme's CFO wants month-end close in 3 days"

    response = driver.command(Command.SCOUT.value, story, user=SEED.scout)

    assert response.status == 200 and not response.body  # nothing to say in the channel
    emulator.wait_for_call("views.open")
    view = emulator.modal_stack(SEED.scout)[-1]
    evidence = next(b for b in view["blocks"] if b.get("block_id") == "evidence")
    assert evidence["element"]["initial_value"] == story
    [dialogue] = dialogues(engine)
    assert dialogue.answers["evidence"] == story


# --- the wrong person --------------------------------------------------------------------------


@pytest.mark.parametrize("label", ["Edit", "Withdraw"])
def test_someone_else_clicking_the_scouts_receipt_is_told_who_can_without_an_apology(
    driver, emulator, no_failures, label
):
    no_failures.add("chat.postEphemeral(D0SCOUT) -> user_not_in_channel")  # not Sally's DM
    scout, receipt, _team = logged(driver, emulator)
    found = find_button([receipt], label)
    assert found is not None
    _message, block, button = found

    driver.block_action(
        user=SEED.sally, action_id=button["action_id"], value=button["value"],
        block_id=block.get("block_id"), message=receipt, channel=scout.dm,
    )  # fmt: skip

    sally = emulator.dm_channel_for(SEED.sally)
    told = wait_until(lambda: emulator.messages(sally), what="a word to Sally")
    assert "Only the scout who logged this discovery" in told[-1]["text"]
    assert emulator.modal_stack(SEED.sally) == []


# --- a form and the DM at once -----------------------------------------------------------------


def open_form(driver, emulator, *, channel: str | None = None) -> dict:
    """/scout with nothing after it: the discovery form, once it is open."""
    opened = len(emulator.calls_to("views.open"))
    assert driver.command(Command.SCOUT.value, "", user=SEED.scout, channel=channel).status == 200
    wait_until(lambda: len(emulator.calls_to("views.open")) > opened, what="the form")
    return emulator.modal_stack(SEED.scout)[-1]


def shortcut_on(driver, emulator, text: str) -> dict:
    """The message shortcut on a customer's words in #general: the form, once it is open."""
    ts = emulator.workspace.add_user_message(SEED.general, SEED.sally, text)
    opened = len(emulator.calls_to("views.open"))
    driver.message_shortcut(
        user=SEED.scout, callback_id=CallbackId.LOG_DISCOVERY_SHORTCUT.value,
        message=ts, channel=SEED.general,
    )  # fmt: skip
    wait_until(lambda: len(emulator.calls_to("views.open")) > opened, what="the form")
    return emulator.modal_stack(SEED.scout)[-1]


def test_a_dm_while_the_form_is_open_is_not_taken_as_the_answer_to_a_question_never_asked(
    driver, emulator, engine
):
    open_form(driver, emulator)
    scout = Scout(driver, emulator)

    reply = scout.say("hello there", expect="Which customer")

    assert "hello there" in str(reply)  # quoted back: not lost, not taken as the account
    [dialogue] = dialogues(engine)
    assert "account" not in dialogue.answers
    scout.say("Globex", expect="achieve")
    assert dialogues(engine)[0].answers["account"] == "Globex"


def test_an_answer_typed_after_the_shortcut_is_not_stored_in_the_shortcuts_discovery(
    driver, emulator, engine
):
    scout = Scout(driver, emulator)
    scout.say("hi", expect="Which customer")
    scout.say("Globex", expect="achieve")
    shortcut_on(driver, emulator, "We need month-end close in 2 days")

    reply = scout.say("Onboard a store in a day", expect="Which customer")

    assert "Onboard a store in a day" in str(reply)
    parked, fresh = dialogues(engine)
    assert parked.answers == {"account": "Globex"}
    assert "account" not in fresh.answers and fresh.answers["evidence"].startswith("We need")


def test_a_button_of_a_discovery_put_aside_as_a_draft_says_so(driver, emulator, engine):
    scout = Scout(driver, emulator)
    scout.say("hi", expect="Which customer")
    question = scout.say("Globex", expect="achieve")
    shortcut_on(driver, emulator, "We need month-end close in 2 days")

    answer = scout.click("Back", message=question, expect="draft")

    assert "submitted or cancelled" not in str(answer)
    assert dialogues(engine)[0].answers == {"account": "Globex"}


@pytest.mark.parametrize("how", ["command", "shortcut"])
def test_a_form_left_alone_is_recalled_in_the_scouts_dm_not_the_channel_it_came_from(
    driver, emulator, engine, components, how
):
    if how == "command":
        open_form(driver, emulator, channel=SEED.general)
    else:
        shortcut_on(driver, emulator, "We need month-end close in 2 days")
    idle = dialogues(engine)[0].updated_at + timedelta(hours=2)

    assert nudge_idle_dialogues(engine=engine, client=components.client, now=idle) == (1, 0)

    [reminder] = emulator.calls_to("chat.postMessage")
    assert reminder.params["channel"] in (SEED.scout, emulator.dm_channel_for(SEED.scout))


# --- stale cards --------------------------------------------------------------------------------


@pytest.mark.parametrize("label", ["Acknowledge", "Actioned", "Decline"])
def test_a_stale_copy_of_a_card_that_moved_to_another_team_changes_nothing(
    driver, emulator, engine, label
):
    _scout, _receipt, team = logged(driver, emulator)
    stale = copy.deepcopy(team.card())  # #product's card, as Dana's client still shows it
    reroute(team, team.modal("Re-route"), to="marketing", note="A story for marketing")
    wait_until(lambda: emulator.messages(SEED.marketing), what="the card in #marketing")
    settle(emulator)
    before = len(emulator.calls_to("chat.postEphemeral"))

    team.click(label, card=stale, user=SEED.sally)

    told = emulator.wait_for_call(
        "chat.postEphemeral", lambda call: len(emulator.calls_to("chat.postEphemeral")) > before
    )
    assert "re-routed" in told.params["text"] and emulator.modal_stack(SEED.sally) == []
    with session_scope(engine) as session:
        assert session.exec(select(Discovery)).one().status == DiscoveryStatus.NEW


def test_re_route_on_a_discovery_every_team_has_had_says_so_not_that_a_channel_is_missing(
    driver, emulator
):
    _scout, _receipt, team = logged(driver, emulator)  # in #sales and #product
    reroute(team, team.modal("Re-route"), to="marketing", note="A story for marketing")
    wait_until(lambda: emulator.messages(SEED.marketing), what="the card in #marketing")

    team.click("Re-route", channel=SEED.sales, user=SEED.sally)

    told = emulator.wait_for_call("chat.postEphemeral")
    assert "No channel serves" not in told.params["text"]
    assert "every team" in told.params["text"]


# --- the DM summary -----------------------------------------------------------------------------


def test_submit_on_a_summary_older_than_an_edit_shows_the_current_one_instead_of_sending(
    driver, emulator, engine
):
    scout = Scout(driver, emulator)
    old_summary = answer_everything(scout)
    scout.click("Edit", message=old_summary, expect="Which customer")  # the first Edit: account
    scout.say("Initech", expect="check and submit")

    shown = scout.click("Submit", message=old_summary, expect="check and submit")

    assert "Initech" in str(shown) and "older than your last change" in str(shown)
    assert count(engine, Discovery) == 0
    scout.click("Submit", message=shown, expect="on its way")
    with session_scope(engine) as session:
        assert session.exec(select(Discovery)).one().account == "Initech"
