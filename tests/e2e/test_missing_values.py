"""A modal submitted without its required values (a forged or buggy client; Slack's own clients
enforce them) gets an error on each such field, and nothing changes."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import func, select

from bot.cli.forms import view_state
from bot.emulator import SEED
from bot.emulator.blockkit import view_errors
from storage.engine import session_scope
from storage.models import Discovery, StatusChange
from tests.e2e.test_card_actions import logged
from tests.e2e.test_config import channel_block, open_config
from tests.e2e.test_dialogue_modal import ANSWERS, modal_state, open_modal
from tests.e2e.test_edit_withdraw import scout_opens

pytestmark = pytest.mark.sqlite_only  # how the app answers, not what storage does


def discovery(driver, emulator) -> tuple[str, dict]:
    return SEED.scout, open_modal(driver, emulator)


def routes_step(driver, emulator) -> tuple[str, dict]:
    view = open_modal(driver, emulator)
    moved = driver.view_submission(
        user=SEED.scout, view=view["id"], values=modal_state(view, ANSWERS)
    )
    assert moved.json["response_action"] == "update"
    return SEED.scout, emulator.modal_stack(SEED.scout)[-1]


def card_modal(label: str):
    def opened(driver, emulator) -> tuple[str, dict]:
        _scout, _receipt, team = logged(driver, emulator)
        return SEED.dana, team.modal(label)

    return opened


def edit(driver, emulator) -> tuple[str, dict]:
    scout, receipt, _team = logged(driver, emulator)
    return SEED.scout, scout_opens(scout, emulator, "Edit", receipt)


def config(driver, emulator) -> tuple[str, dict]:
    return SEED.admin, open_config(driver, emulator)


# Withdraw is a confirmation without inputs: submitting it is all it asks.
MODALS = {
    "discovery": discovery, "routes step": routes_step, "actioned": card_modal("Actioned"),
    "declined": card_modal("Decline"), "re-route": card_modal("Re-route"), "edit": edit,
    "config": config,
}  # fmt: skip


def required_blocks(view: dict) -> set[str]:
    """The inputs this very view marks as required (every other input is optional)."""
    return {b["block_id"] for b in view["blocks"] if b["type"] == "input" and not b.get("optional")}


def snapshot(engine) -> tuple[int, int]:
    with session_scope(engine) as session:
        counts = [select(func.count()).select_from(m) for m in (Discovery, StatusChange)]
        return tuple(session.scalar(c) for c in counts)


@pytest.mark.parametrize("modal", list(MODALS))
@pytest.mark.parametrize("state", ["absent", "empty"])
def test_a_modal_without_its_required_values_shows_an_error_on_each(
    driver, emulator, engine, caplog, modal, state
):
    user, view = MODALS[modal](driver, emulator)
    assert required_blocks(view)  # else the test would prove nothing
    before = snapshot(engine)
    caplog.set_level(logging.INFO)
    values = {} if state == "absent" else blanked(view)
    response = driver.view_submission(user=user, view=view["id"], values=values)
    assert response.status == 200, response.body
    assert response.json["response_action"] == "errors", response.json
    errors = response.json["errors"]
    assert set(errors) == required_blocks(view) and all(errors.values())
    assert snapshot(engine) == before
    assert emulator.modal_stack(user)[-1]["id"] == view["id"]  # still open, to be fixed
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def blanked(view: dict) -> dict:
    """Every input present as Slack shapes it, but empty: no text, no option, no date."""
    state = view_state(view, {})
    for block in state.values():
        for element in block.values():
            for key in ("value", "selected_date", "selected_conversation"):
                if key in element:
                    element[key] = "" if key == "value" else None
            if "selected_option" in element:
                element["selected_option"] = None
            for key in ("selected_options", "selected_users"):  # a multi-select: none chosen
                if key in element:
                    element[key] = []
    return state


def test_the_routes_step_never_shows_an_empty_summary(driver, emulator):
    view = open_modal(driver, emulator)
    response = driver.view_submission(user=SEED.scout, view=view["id"], values={})
    assert response.json["response_action"] == "errors"
    good = driver.view_submission(
        user=SEED.scout, view=view["id"], values=modal_state(view, ANSWERS)
    )
    assert view_errors(good.json["view"]) == []


def test_a_team_no_client_offers_is_refused_on_the_routes_field(driver, emulator, engine):
    _user, view = routes_step(driver, emulator)
    forged = {"routes": {"input": {"type": "checkboxes", "selected_options": [{"value": "legal"}]}}}
    response = driver.view_submission(user=SEED.scout, view=view["id"], values=forged)
    assert response.json["response_action"] == "errors" and list(response.json["errors"]) == [
        "routes"
    ]
    assert snapshot(engine) == (0, 0)


def test_a_choice_the_question_does_not_offer_is_refused_on_its_field(driver, emulator):
    view = open_modal(driver, emulator)
    state = modal_state(view, ANSWERS)
    state["fit"]["input"]["selected_option"] = {"value": "banana"}
    response = driver.view_submission(user=SEED.scout, view=view["id"], values=state)
    assert response.json["response_action"] == "errors" and list(response.json["errors"]) == ["fit"]


def test_a_channel_that_is_not_a_channel_id_is_refused_in_the_settings(driver, emulator):
    view = open_config(driver, emulator)
    state = view_state(view, {channel_block("product"): "not a channel"})
    response = driver.view_submission(user=SEED.admin, view=view["id"], values=state)
    assert response.json["response_action"] == "errors"
    assert list(response.json["errors"]) == [channel_block("product")]
