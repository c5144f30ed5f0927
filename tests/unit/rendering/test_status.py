"""Card status lines and buttons, the action modals, the scout's replies and the refusals."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any

import pytest
from slack_sdk.models.blocks import Block

from bot.dialogue.definition import Definition, load_definition
from bot.discoveries.loop import ChangeResult
from bot.domain.decline import current_reasons
from bot.rendering.cards import discovery_card
from bot.rendering.ids import ActionId, BlockId, CallbackId
from bot.rendering.status import (
    CardRef,
    Declined,
    actioned_from_modal,
    actioned_modal,
    decline_modal,
    reason_from_modal,
    refusal_text,
    status_reply_message,
)
from storage.enums import DiscoveryStatus
from storage.models import Discovery, DiscoveryRoute, StatusChange

HOSTILE = "<!channel> <@U0ADMIN> <#C0SALES> <https://evil.example|x> &amp;"
AT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
DANA = "U0DANA"


@pytest.fixture(scope="module")
def definition() -> Definition:
    return load_definition()


def _discovery(status: DiscoveryStatus = DiscoveryStatus.NEW) -> Discovery:
    return Discovery(
        id=42, team_id="T0VALUESCOUT", scout_user_id="U0SCOUT", account="Globex",
        outcome="Onboard a store in a day", gap="Set up by hand", fit="partly",
        source="modal", source_key="view:V1", themes=[], status=status,
    )  # fmt: skip


def _change(to: DiscoveryStatus, **fields: Any) -> StatusChange:
    return StatusChange(id=7, discovery_id=42, to_status=to, actor_user_id=DANA, at=AT, **fields)


def _route(status: DiscoveryStatus = DiscoveryStatus.NEW, **fields: Any) -> DiscoveryRoute:
    values = {"id": 1, "route": "product", "channel_id": "C0P"} | fields
    return DiscoveryRoute(discovery_id=42, reason="Roadmap", status=status, **values)


def _card(definition: Definition, status: DiscoveryStatus, *history: StatusChange) -> dict:
    route = _route(status)
    return discovery_card(
        discovery=_discovery(status), route=route, definition=definition, history=history
    )


def _block(message: dict, block_id: str) -> dict | None:
    return next((b for b in message["blocks"] if b.get("block_id") == block_id), None)


def _buttons(message: dict) -> list[tuple[str, str, str]]:
    actions = _block(message, BlockId.CARD_ACTIONS.value)
    elements = actions["elements"] if actions else []
    return [
        (e["text"]["text"], e["action_id"], e["value"]) for e in elements if e["type"] == "button"
    ]


def _menu(message: dict) -> list[str]:
    actions = _block(message, BlockId.CARD_ACTIONS.value)
    menus = [e for e in (actions["elements"] if actions else []) if e["type"] == "overflow"]
    return [option["value"] for menu in menus for option in menu["options"]]


def _status_line(message: dict) -> str:
    return _block(message, BlockId.CARD_STATUS.value)["text"]["text"]


def _view(values: dict[str, Any]) -> dict:
    state = {
        BlockId.STATUS_OUTCOME.value: {
            "input": {"type": "static_select", "selected_option": {"value": values.get("kind")}}
        },
        BlockId.STATUS_NOTE.value: {"input": {"type": "plain_text_input", "value": values.get("note")}},
        BlockId.STATUS_LINK.value: {"input": {"type": "plain_text_input", "value": values.get("link")}},
        BlockId.DECLINE_REASON.value: {
            "input": {"type": "static_select", "selected_option": {"value": values.get("reason")}}
        },
    }  # fmt: skip
    return {"state": {"values": state}, "private_metadata": CardRef(42, "C0P", "1.2").metadata()}


def test_a_new_card_offers_every_action_at_its_end(definition: Definition):
    card = _card(definition, DiscoveryStatus.NEW)

    assert card["blocks"][-1]["block_id"] == BlockId.CARD_ACTIONS
    assert _buttons(card) == [
        # Each button names the card's route: each team answers for itself.
        ("Acknowledge", ActionId.CARD_ACKNOWLEDGE, "42:product"),
        ("Actioned", ActionId.CARD_ACTIONED, "42:product"),
        ("Decline", ActionId.CARD_DECLINE, "42:product"),
        ("Re-route", ActionId.CARD_REROUTE, "42:product"),
    ]
    assert _menu(card) == ["edit:42", "withdraw:42", "merge:42", "themes:42"]  # edit: scout or admin
    assert _block(card, BlockId.CARD_STATUS.value) is None  # nothing to say while new


def test_a_card_shows_its_own_teams_answer_and_the_others_in_one_line(definition: Definition):
    product = _route(DiscoveryStatus.NEW)
    others = [
        _route(DiscoveryStatus.ACKNOWLEDGED, id=2, route="marketing", channel_id="C0M"),
        _route(DiscoveryStatus.DECLINED, id=3, route="sales", channel_id="C0S"),
        _route(DiscoveryStatus.NEW, id=4, route="success", channel_id="C0X", rerouted_to="sales"),
    ]
    declined = _change(DiscoveryStatus.DECLINED, route_id=3, note="Not for sales")
    card = discovery_card(
        discovery=_discovery(DiscoveryStatus.ACKNOWLEDGED), route=product, definition=definition,
        history=[declined], routes=[product, *others],
    )  # fmt: skip

    assert next(label for label, _, _ in _buttons(card)) == "Acknowledge"  # product is still new
    assert _block(card, BlockId.CARD_STATUS.value) is None  # sales' decline is not product's
    others_line = _block(card, BlockId.CARD_OTHERS.value)["elements"][0]["text"]
    assert others_line == "Marketing: acknowledged · Sales: declined"  # moved-away left out


def test_an_acknowledged_card_says_who_is_on_it_and_keeps_the_final_actions(
    definition: Definition,
):
    card = _card(definition, DiscoveryStatus.ACKNOWLEDGED, _change(DiscoveryStatus.ACKNOWLEDGED))

    assert _status_line(card) == f":eyes: <@{DANA}> is on it."
    assert [label for label, _, _ in _buttons(card)] == ["Actioned", "Decline", "Re-route"]
    assert _menu(card) == ["merge:42", "themes:42"]  # picked up: no more edit or withdraw; still open


def test_an_actioned_card_shows_what_came_of_it_and_no_buttons(definition: Definition):
    actioned = _change(
        DiscoveryStatus.ACTIONED, outcome_kind="opportunity", note="Deal in Q3",
        link="https://crm.example/opp/9",
    )  # fmt: skip
    card = _card(
        definition, DiscoveryStatus.ACTIONED, _change(DiscoveryStatus.ACKNOWLEDGED), actioned
    )

    assert _status_line(card) == (
        f":white_check_mark: *Actioned* by <@{DANA}>: Opportunity created or advanced"
        " — Deal in Q3 — <https://crm.example/opp/9|crm.example>"
    )
    assert _buttons(card) == []


def test_a_declined_card_shows_the_reason_and_no_buttons(definition: Definition):
    card = _card(
        definition, DiscoveryStatus.DECLINED, _change(DiscoveryStatus.DECLINED, note="Not for us")
    )

    assert _status_line(card) == f":no_entry_sign: *Declined* by <@{DANA}>: Not for us"
    assert _buttons(card) == []


def test_a_decline_with_a_reason_says_its_label_on_the_card_and_in_the_reply(
    definition: Definition,
):
    noted = _change(DiscoveryStatus.DECLINED, outcome_kind="not_now", note="After Q3")
    bare = _change(DiscoveryStatus.DECLINED, outcome_kind="duplicate")
    gone = _change(DiscoveryStatus.DECLINED, outcome_kind="dropped_from_prompts", note="Hm")

    assert _status_line(_card(definition, DiscoveryStatus.DECLINED, noted)) == (
        f":no_entry_sign: *Declined* by <@{DANA}>: Not now — After Q3"
    )
    assert _status_line(_card(definition, DiscoveryStatus.DECLINED, bare)) == (
        f":no_entry_sign: *Declined* by <@{DANA}>: Duplicate"
    )
    assert status_reply_message(change=noted, channel_id="C0P")["text"] == (
        f":no_entry_sign: Declined by <@{DANA}> in <#C0P>: Not now — After Q3"
    )
    assert status_reply_message(change=gone, channel_id="C0P")["text"].endswith(": Other — Hm")


def test_hostile_notes_and_links_are_inert_on_cards_and_in_replies(definition: Definition):
    change = _change(
        DiscoveryStatus.ACTIONED, outcome_kind="other", note=HOSTILE, link="javascript:alert(1)"
    )
    card = _card(definition, DiscoveryStatus.ACTIONED, change)
    reply = status_reply_message(change=change, channel_id="C0P")

    for posted in (json.dumps(card["blocks"]), json.dumps(reply["blocks"]) + reply["text"]):
        # Only the app's own mentions (the scout on the card, the actor, the team's channel):
        # nothing a user typed.
        assert set(re.findall(r"<[!@#][\w^|]*", posted)) <= {"<@U0SCOUT", f"<@{DANA}", "<#C0P"}
        assert "<http" not in posted and "javascript" not in posted
        assert "&lt;!channel&gt;" in posted and "&amp;amp;" in posted


@pytest.mark.parametrize("note", ["&" * 40_000, "<>" * 20_000, "😀👩‍👩‍👧" * 5000])
def test_any_note_stays_within_block_kit_limits(definition: Definition, note: str):
    change = _change(
        DiscoveryStatus.ACTIONED,
        outcome_kind="roadmap",
        note=note,
        link="https://x.example/" + note,
    )
    card = _card(definition, DiscoveryStatus.ACTIONED, change)
    reply = status_reply_message(change=change, channel_id="C0P")

    for block in (*card["blocks"], *reply["blocks"]):
        Block.parse(block).validate_json()
        assert len(block.get("text", {}).get("text", "")) <= 3000
    assert _status_line(card).endswith("…") and len(reply["text"]) <= 3000


def test_the_scout_hears_which_team_picked_it_up_and_what_became_of_it():
    picked = status_reply_message(change=_change(DiscoveryStatus.ACKNOWLEDGED), channel_id="C0P")
    actioned = status_reply_message(
        change=_change(DiscoveryStatus.ACTIONED, outcome_kind="content", note="A new case study"),
        channel_id="C0P",
    )
    declined = status_reply_message(
        change=_change(DiscoveryStatus.DECLINED, note="Duplicate of #12"), channel_id="C0P"
    )

    assert picked["text"] == f":eyes: Picked up by <@{DANA}> in <#C0P>."
    assert actioned["text"] == (
        f":white_check_mark: Actioned by <@{DANA}> in <#C0P>: Message or content — A new case study"
    )
    assert declined["text"] == f":no_entry_sign: Declined by <@{DANA}> in <#C0P>: Duplicate of #12"
    assert (picked["unfurl_links"], picked["unfurl_media"]) == (False, False)


def test_the_actioned_modal_asks_outcome_note_and_link_and_remembers_the_card():
    view = actioned_modal(card=CardRef(42, "C0P", "1.2"), account="Globex <!here>").to_dict()

    assert view["callback_id"] == CallbackId.STATUS_ACTIONED
    ids = [b.get("block_id") for b in view["blocks"]]
    assert ids[1:] == [BlockId.STATUS_OUTCOME, BlockId.STATUS_NOTE, BlockId.STATUS_LINK]
    assert "&lt;!here&gt;" in view["blocks"][0]["text"]["text"]
    assert CardRef.of_view(view) == CardRef(42, "C0P", "1.2")
    assert len(view["blocks"][1]["element"]["options"]) == 5


def test_the_decline_modal_asks_for_a_reason():
    view = decline_modal(card=CardRef(42, "C0P"), account="Globex").to_dict()

    assert view["callback_id"] == CallbackId.STATUS_DECLINED
    ids = [b.get("block_id") for b in view["blocks"]]
    assert ids[1:] == [BlockId.DECLINE_REASON, BlockId.STATUS_NOTE]
    assert view["blocks"][-1]["element"]["max_length"] == 1000


@pytest.mark.parametrize(
    "link",
    ["javascript:alert(1)", "ftp://x.example/a", "crm.example/opp", "https://", "https://a b.c",
     "https://x.example/" + "a" * 1000],
)  # fmt: skip
def test_only_http_links_are_accepted(link: str):
    form, errors = actioned_from_modal(_view({"kind": "opportunity", "note": "ok", "link": link}))

    assert form is None and set(errors) == {BlockId.STATUS_LINK}


def test_a_complete_actioned_form_is_read_with_the_note_trimmed():
    form, errors = actioned_from_modal(
        _view({"kind": "roadmap", "note": "  On the Q3 roadmap ", "link": "HTTPS://t.example/1"})
    )

    assert errors == {}
    assert (form.outcome_kind, form.note, form.link) == (
        "roadmap",
        "On the Q3 roadmap",
        "HTTPS://t.example/1",
    )


def test_missing_outcome_and_note_are_errors_on_their_fields():
    form, errors = actioned_from_modal(_view({"kind": "bogus", "note": "   "}))

    assert form is None and set(errors) == {BlockId.STATUS_OUTCOME, BlockId.STATUS_NOTE}


def test_a_reason_is_required_and_a_note_at_most_a_thousand_characters():
    form, errors = reason_from_modal(_view({"note": "Not our market"}))
    assert form is None and set(errors) == {BlockId.DECLINE_REASON}
    form, errors = reason_from_modal(_view({"reason": "not_now", "note": "x" * 1001}))
    assert form is None and "1,000" in errors[BlockId.STATUS_NOTE]
    assert reason_from_modal(_view({"reason": "bogus", "note": "x"}))[1] == {
        BlockId.DECLINE_REASON: "Choose a reason."
    }
    assert reason_from_modal(_view({"reason": "not_now", "note": " Q3 "})) == (
        Declined("not_now", "Q3"),
        {},
    )


def test_a_listed_reason_needs_no_note_but_other_does():
    assert reason_from_modal(_view({"reason": "duplicate", "note": "  "})) == (
        Declined("duplicate", None),
        {},
    )
    form, errors = reason_from_modal(_view({"reason": "other", "note": "  "}))
    assert form is None and set(errors) == {BlockId.STATUS_NOTE}
    assert "only your note" in errors[BlockId.STATUS_NOTE]


def test_the_decline_modal_offers_every_reason_of_the_prompts():
    view = decline_modal(card=CardRef(42, "C0P", "1.2"), account="Globex").to_dict()
    [select] = [b for b in view["blocks"] if b.get("block_id") == BlockId.DECLINE_REASON]
    offered = [o["value"] for o in select["element"]["options"]]
    assert offered == [reason.key for reason in current_reasons()]
    assert offered[-1] == "other" and "not_now" in offered
    [note] = [b for b in view["blocks"] if b.get("block_id") == BlockId.STATUS_NOTE]
    assert note["optional"] is True


def test_refusals_say_who_got_there_first_and_never_mention_in_a_modal():
    done = ChangeResult(
        status=DiscoveryStatus.ACTIONED, latest=_change(DiscoveryStatus.ACTIONED, note="x")
    )

    assert refusal_text(done, account="Globex <!here>") == (
        f"Nothing changed: this discovery at *Globex &lt;!here&gt;* was already actioned by <@{DANA}>."
    )
    assert refusal_text(done, plain=True) == "Nothing changed: this discovery was already actioned."
    withdrawn = ChangeResult(
        status=DiscoveryStatus.WITHDRAWN, latest=_change(DiscoveryStatus.WITHDRAWN)
    )
    assert "withdrawn by the scout" in refusal_text(withdrawn)
    assert "no longer exists" in refusal_text(ChangeResult(status=None))
