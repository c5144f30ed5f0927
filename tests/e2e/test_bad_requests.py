"""Signed requests no Slack client sends: a 4xx (or a modal answer), one log line, no traceback.

Slack sends a request again after a 5xx, so a request that cannot be read must not get one:
the same bytes would fail the same way three more times.
"""

from __future__ import annotations

import json
import logging
import re
import time
from urllib.parse import quote

import pytest
from sqlalchemy import func, select

from bot.app import after_ack_work
from bot.emulator import SEED
from bot.emulator.blockkit import view_errors
from bot.rendering.ids import ActionId
from storage.engine import session_scope
from storage.models import DialogueSession, Discovery, ProcessedRequest
from tests.e2e.test_card_actions import logged
from tests.e2e.test_dialogue_modal import ANSWERS, modal_state, open_modal

pytestmark = pytest.mark.sqlite_only  # how the app answers, not what storage does

FORM = "application/x-www-form-urlencoded"


def refusal_reference(caplog, capfd) -> str:
    """The one warning line that refused the request, with no ERROR and no traceback anywhere."""
    lines = [r for r in caplog.records if "refused a signed Slack request" in r.getMessage()]
    assert [r.levelno for r in lines] == [logging.WARNING]
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    assert "Traceback" not in caplog.text and "Traceback" not in capfd.readouterr().err
    return re.search(r"ref (\w+)", lines[0].getMessage()).group(1)


def count(engine, model) -> int:
    with session_scope(engine) as session:
        return session.scalar(select(func.count()).select_from(model))


BODIES = {
    "event-not-json": (b'{"type": "event_callback", "event": ', "application/json"),
    "payload-not-json": ("payload=" + quote("{not json"), FORM),
    "body-not-utf8": (b'{"type": "event_callback", "text": "\xff\xfe"}', "application/json"),
    "payload-not-utf8": (b"payload=%7B%7D\xc3\x28", FORM),
    "event-not-an-object": (b"[1, 2, 3]", "application/json"),
    "payload-not-an-object": ("payload=" + quote('"just a string"'), FORM),
    "nested-too-deep": (b"[" * 100_000 + b"]" * 100_000, "application/json"),
}


@pytest.mark.parametrize("case", list(BODIES))
def test_a_signed_body_that_is_not_json_or_not_utf8_gets_400_once_logged(
    driver, emulator, engine, caplog, capfd, case
):
    body, content_type = BODIES[case]
    caplog.set_level(logging.INFO)
    response = driver.raw(body, {"Content-Type": content_type, **driver.sign(body)})
    time.sleep(0.2)  # had anything been dispatched, its Web API call would land by now
    assert response.status == 400
    assert response.json["ref"] == refusal_reference(caplog, capfd)
    assert emulator.calls == [] and count(engine, ProcessedRequest) == 0


def test_a_lone_surrogate_in_a_dm_gets_400_and_starts_nothing(
    driver, emulator, engine, caplog, capfd
):
    caplog.set_level(logging.INFO)
    response = driver.message(SEED.scout, "half an emoji \ud83d here")
    time.sleep(0.2)
    assert response.status == 400 and response.json["ref"] == refusal_reference(caplog, capfd)
    assert emulator.calls_to("chat.postMessage") == [] and count(engine, DialogueSession) == 0


def test_a_lone_surrogate_in_a_modal_field_is_shown_on_that_field(
    driver, emulator, engine, caplog, capfd
):
    view = open_modal(driver, emulator)
    caplog.set_level(logging.INFO)
    values = modal_state(view, ANSWERS | {"account": "Umbrella \udc00 Corp"})
    response = driver.view_submission(user=SEED.scout, view=view["id"], values=values)
    assert response.status == 200
    assert response.json["response_action"] == "errors"
    assert list(response.json["errors"]) == ["account"]
    assert "type it again" in response.json["errors"]["account"]
    refusal_reference(caplog, capfd)
    fixed = modal_state(view, ANSWERS)
    answer = driver.view_submission(user=SEED.scout, view=view["id"], values=fixed)
    assert answer.json["response_action"] == "update"  # retyped, the modal moves on


def test_a_lone_surrogate_in_a_button_payload_gets_400(driver, emulator, caplog, capfd):
    caplog.set_level(logging.INFO)
    response = driver.block_action(
        user=SEED.scout, action_id=ActionId.DIALOGUE_SKIP.value, value="1:account:\ud800"
    )
    assert response.status == 400 and response.json["ref"] == refusal_reference(caplog, capfd)


GARBAGE = ["not json", "", "[1]", "null", '{"dialogue_id": "x"}', '{"d": 1e999, "c": "C1"}']


@pytest.mark.parametrize("metadata", GARBAGE)
def test_a_discovery_modal_with_garbage_metadata_asks_to_start_again(
    driver, emulator, engine, caplog, capfd, metadata
):
    view = open_modal(driver, emulator)
    caplog.set_level(logging.INFO)
    forged = view | {"private_metadata": metadata}
    response = driver.view_submission(
        user=SEED.scout, view=forged, values=modal_state(view, ANSWERS)
    )
    assert_start_again(response, refusal_reference(caplog, capfd))
    assert count(engine, Discovery) == 0


@pytest.mark.parametrize("label", ["Actioned", "Decline", "Re-route"])
def test_a_card_modal_with_garbage_metadata_asks_to_start_again(
    driver, emulator, caplog, capfd, label
):
    _scout, _receipt, team = logged(driver, emulator)
    view = team.modal(label)
    caplog.set_level(logging.INFO)
    forged = view | {"private_metadata": json.dumps({"d": 1, "c": 42})}
    response = driver.view_submission(user=SEED.dana, view=forged, values={})
    assert_start_again(response, refusal_reference(caplog, capfd))


def assert_start_again(response, reference: str) -> None:
    """A modal (valid Block Kit) that says nothing was saved, naming the logged reference."""
    assert response.status == 200 and response.json["response_action"] == "update"
    view = response.json["view"]
    assert view_errors(view) == []
    assert reference in str(view) and "nothing was saved" in str(view)


def test_a_form_forged_to_name_another_scouts_dialogue_shows_and_changes_none_of_it(
    driver, emulator, engine, components
):
    """private_metadata is the client's to forge: naming another scout's submitted dialogue
    must not thank the forger for it (the thanks names its teams) nor store anything."""
    _scout, _receipt, _team = logged(driver, emulator)  # the scout's DM discovery, never thanked
    with session_scope(engine) as session:
        theirs = session.scalars(
            select(DialogueSession.id).where(DialogueSession.user_id == SEED.scout)
        ).one()
    driver.command("/scout", "", user=SEED.dana)
    emulator.wait_for_call("views.open")
    own = emulator.modal_stack(SEED.dana)[-1]
    driver.view_submission(user=SEED.dana, view=own["id"], values=modal_state(own, ANSWERS))
    confirm = emulator.modal_stack(SEED.dana)[-1]
    forged = confirm | {"private_metadata": json.dumps({"dialogue_id": theirs})}
    response = driver.view_submission(user=SEED.dana, view=forged, values=modal_state(confirm, {}))

    assert response.status == 200
    assert after_ack_work(components.app).wait_idle(10)  # the thanks, had there been one
    assert emulator.messages(emulator.dm_channel_for(SEED.dana)) == []  # no thanks for theirs
    assert count(engine, Discovery) == 1
