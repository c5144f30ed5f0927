"""/scout and the message shortcut: the same questions in a modal, errors inline, then Submit."""

import pytest
from sqlmodel import select

from bot.cli.forms import view_state
from bot.emulator import SEED
from bot.rendering.ids import CallbackId, Command
from storage.engine import session_scope
from storage.enums import DiscoverySource
from storage.models import Discovery
from tests.e2e.people import wait_until

pytestmark = pytest.mark.sqlite_only  # how the app answers, not what storage does


def modal_state(view: dict, changes: dict[str, object]) -> dict:
    """The state Slack sends on submit: every input's current value, as prefilled or changed."""
    return view_state(view, changes)


def open_modal(driver, emulator) -> dict:
    response = driver.command(Command.SCOUT.value, "", user=SEED.scout)
    assert response.status == 200
    emulator.wait_for_call("views.open")
    return emulator.modal_stack(SEED.scout)[-1]


ANSWERS = {
    "account": "Umbrella",
    "outcome": "Cut audit preparation from 3 weeks to 3 days",
    "gap": "Evidence is spread over 5 tools",
    "fit": "yes",
    "value": "100k_1m",
}


def test_scout_opens_a_modal_whose_errors_show_on_their_fields_then_submits(
    driver, emulator, engine
):
    view = open_modal(driver, emulator)
    assert view["callback_id"] == CallbackId.DISCOVERY_MODAL
    bad = driver.view_submission(
        user=SEED.scout,
        view=view["id"],
        values=modal_state(view, ANSWERS | {"event": "2001-01-01"}),
    )
    assert bad.json["response_action"] == "errors" and "event" in bad.json["errors"]
    good = driver.view_submission(
        user=SEED.scout, view=view["id"], values=modal_state(view, ANSWERS)
    )
    assert good.json["response_action"] == "update"
    confirm = emulator.modal_stack(SEED.scout)[-1]
    assert confirm["callback_id"] == CallbackId.DISCOVERY_ROUTES
    done = driver.view_submission(
        user=SEED.scout, view=confirm["id"], values=modal_state(confirm, {})
    )
    assert done.json["response_action"] == "clear"
    wait_until(
        lambda: emulator.messages(SEED.sales) and emulator.messages(SEED.marketing), what="cards"
    )
    assert emulator.messages(SEED.product) == []  # fit yes: sales (money) and marketing
    with session_scope(engine) as session:
        discovery = session.exec(select(Discovery)).one()
    assert (discovery.account, discovery.source) == ("Umbrella", DiscoverySource.MODAL)


def test_a_retried_modal_submit_stores_one_discovery(driver, emulator, engine):
    view = open_modal(driver, emulator)
    driver.view_submission(user=SEED.scout, view=view["id"], values=modal_state(view, ANSWERS))
    confirm = emulator.modal_stack(SEED.scout)[-1]
    state = modal_state(confirm, {})
    first = driver.view_submission(user=SEED.scout, view=confirm, values=state)
    second = driver.view_submission(user=SEED.scout, view=confirm, values=state)
    assert first.json["response_action"] == second.json["response_action"] == "clear"
    with session_scope(engine) as session:
        assert len(session.exec(select(Discovery)).all()) == 1


def test_no_team_ticked_is_refused_on_the_field(driver, emulator):
    view = open_modal(driver, emulator)
    driver.view_submission(user=SEED.scout, view=view["id"], values=modal_state(view, ANSWERS))
    confirm = emulator.modal_stack(SEED.scout)[-1]
    refused = driver.view_submission(
        user=SEED.scout, view=confirm["id"], values=modal_state(confirm, {"routes": []})
    )
    assert refused.json == {
        "response_action": "errors",
        "errors": {"routes": "Pick at least one team."},
    }


def test_the_shortcut_prefills_evidence_and_keeps_a_huge_message_whole(driver, emulator, engine):
    words = "We lose two weeks on every store opening. " * 1000  # 42,000 characters
    message = driver.message(SEED.sally, words, channel=SEED.general).sent["event"]
    response = driver.message_shortcut(
        user=SEED.scout,
        callback_id=CallbackId.LOG_DISCOVERY_SHORTCUT.value,
        message=message["ts"],
        channel=SEED.general,
    )
    assert response.status == 200
    emulator.wait_for_call("views.open")
    view = emulator.modal_stack(SEED.scout)[-1]
    assert "store opening" in str(view) and "archives" in str(view)
    [link] = [b for b in view["blocks"] if "Evidence link" in str(b)]
    assert "/archives/C0GENERAL/" in link["elements"][0]["text"] and "|" in link["elements"][0]["text"]
    driver.view_submission(user=SEED.scout, view=view["id"], values=modal_state(view, ANSWERS))
    confirm = emulator.modal_stack(SEED.scout)[-1]
    driver.view_submission(user=SEED.scout, view=confirm["id"], values=modal_state(confirm, {}))
    card = wait_until(lambda: emulator.messages(SEED.sales), what="the card")[0]
    assert "shortened" in str(card)
    with session_scope(engine) as session:
        discovery = session.exec(select(Discovery)).one()
    assert discovery.evidence == words.strip() or discovery.evidence == words
    assert discovery.source == DiscoverySource.SHORTCUT and "archives" in discovery.evidence_url


def test_answers_in_a_modal_outlive_a_dialogue_cancelled_by_dm_meanwhile(driver, emulator, engine):
    view = open_modal(driver, emulator)
    driver.message(SEED.scout, "cancel")
    wait_until(
        lambda: any(
            "Cancelled" in str(m) for m in emulator.messages(emulator.dm_channel_for(SEED.scout))
        )
    )
    moved_on = driver.view_submission(
        user=SEED.scout, view=view["id"], values=modal_state(view, ANSWERS)
    )
    assert moved_on.json["response_action"] == "update"
    confirm = emulator.modal_stack(SEED.scout)[-1]
    done = driver.view_submission(
        user=SEED.scout, view=confirm["id"], values=modal_state(confirm, {})
    )
    assert done.json["response_action"] == "clear"
    with session_scope(engine) as session:
        assert session.exec(select(Discovery)).one().account == "Umbrella"
