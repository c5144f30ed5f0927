"""What real users do that the happy paths don't: mistyped commands, stale buttons, wrong people.

Every test here reproduced a failure found by walking the product through signed HTTP; each
also checks, on the way out, that nobody got an apology, the log has no error and Slack
refused no call.
"""

from __future__ import annotations

import logging
import time

import pytest
from sqlmodel import select

from bot.cli.terminal import find_button
from bot.emulator import SEED
from bot.rendering.ids import Command
from storage.engine import session_scope
from storage.models import DialogueSession
from tests.e2e.people import wait_until
from tests.e2e.test_card_actions import logged


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
