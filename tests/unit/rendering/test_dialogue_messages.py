"""Every dialogue message and modal stays within Block Kit's limits, whatever the scout typed."""

from datetime import date

import pytest
from slack_sdk.models.blocks import Block

from bot.dialogue.definition import load_definition
from bot.emulator.blockkit import check_message, view_errors
from bot.rendering.dialogue import (
    answered_blocks,
    answered_message,
    answered_then,
    plain_message,
    question_message,
    summary_message,
)
from bot.rendering.modal import answers_from_modal, discovery_modal, routes_modal

DEFINITION = load_definition()
HOSTILE = "<!channel> <@U0ADMIN> <#C0SALES> <https://evil.example|x> & "
TEXTS = {
    "emoji": "🚀🙂👩‍💻" * 4000,
    "cjk": "顧客は二週間ではなく一日で店舗を開設したい。" * 2000,
    "ascii": "x" * 40_000,
    "hostile": HOSTILE * 1000,
}


def huge_answers(text: str) -> dict:
    return {
        "account": text[:200],
        "outcome": text,
        "gap": text,
        "fit": "partly",
        "value": {"amount": "40000", "currency": "EUR"},
        "event": {"date": "2027-03-31", "pressure": text},
        "who_cares": "executive",
        "evidence": text,
        "evidence_url": "https://acme.slack.com/archives/C0/p1" + text[:2000],
        "routes": ["sales", "product"],
    }


def as_params(message: dict) -> dict:
    blocks = [b.to_dict() if isinstance(b, Block) else b for b in message["blocks"]]
    return {"text": message["text"], "blocks": blocks}


@pytest.mark.parametrize("kind", TEXTS)
def test_every_question_stays_within_limits_with_huge_errors_and_answers(kind):
    answers = huge_answers(TEXTS[kind])
    for question in DEFINITION.questions:
        message = question_message(
            question,
            dialogue_id=7,
            position=(1, 6),
            error=TEXTS[kind],
            current=answers[question.key],
        )
        check_message(as_params(message))  # raises ApiError("invalid_blocks") as Slack would


@pytest.mark.parametrize("kind", TEXTS)
def test_the_summary_stays_within_limits(kind):
    suggestions = [("sales", TEXTS[kind]), ("product", "an unmet gap")]
    message = summary_message(
        DEFINITION, huge_answers(TEXTS[kind]), suggestions, dialogue_id=7, notice=TEXTS[kind]
    )
    check_message(as_params(message))


@pytest.mark.parametrize("kind", TEXTS)
def test_a_notice_stays_within_limits(kind):
    check_message(as_params(plain_message(TEXTS[kind])))


@pytest.mark.parametrize("kind", TEXTS)
def test_both_modals_stay_within_limits(kind):
    answers = huge_answers(TEXTS[kind])
    assert view_errors(discovery_modal(DEFINITION, answers, dialogue_id=7).to_dict()) == []
    suggestions = [("sales", TEXTS[kind])]
    assert (
        view_errors(routes_modal(DEFINITION, answers, suggestions, dialogue_id=7).to_dict()) == []
    )


def test_user_text_in_the_summary_notifies_nobody():
    answers = huge_answers(HOSTILE) | {"account": HOSTILE}
    text = str(as_params(summary_message(DEFINITION, answers, [], dialogue_id=7)))
    for mention in ("<!channel>", "<@U0ADMIN>", "<#C0SALES>", "<https://evil"):
        assert mention not in text


def test_an_untouched_shortened_prefill_keeps_the_whole_evidence():
    evidence = "We lose two weeks per store. " * 2000  # 58,000 characters
    answers = {"account": "Globex", "outcome": "o", "gap": "g", "fit": "yes", "evidence": evidence}
    view = discovery_modal(DEFINITION, answers, dialogue_id=7).to_dict()
    state = {"values": {}}
    for block in view["blocks"]:
        if block["type"] == "input":
            element = block["element"]
            leaf = {"type": element["type"], "value": element.get("initial_value")}
            if element["type"] == "static_select":
                leaf = {"type": "static_select", "selected_option": element.get("initial_option")}
            if element["type"] == "datepicker":
                leaf = {"type": "datepicker", "selected_date": element.get("initial_date")}
            state["values"][block["block_id"]] = {element["action_id"]: leaf}
    parsed, errors = answers_from_modal(
        DEFINITION, {"state": state}, previous=answers, today=date(2026, 11, 23)
    )
    assert errors == {}
    assert parsed["evidence"] == evidence


def test_a_click_redraws_its_question_as_the_answers_so_far_then_the_next_question():
    fit, value = DEFINITION.question("fit"), DEFINITION.question("value")
    first = answered_then(
        answered_message(fit, "partly"), [], question_message(value, dialogue_id=7)
    )
    shown = as_params(first)
    assert first["text"] == value.prompt  # the notification reads as the next question
    check_message(shown)  # raises on anything Slack would refuse

    following = question_message(DEFINITION.question("event"), dialogue_id=7)
    second = as_params(
        answered_then(
            answered_message(value, {"band": "10k_100k"}), answered_blocks(shown), following
        )
    )
    assert [b.get("block_id") for b in second["blocks"][:2]] == ["answered:fit", "answered:value"]
    assert [b for b in second["blocks"] if b["type"] == "actions"] == [
        b for b in as_params(following)["blocks"] if b["type"] == "actions"
    ]  # only the next question's buttons: the clicked ones are gone


def test_a_redraw_too_long_for_one_message_is_left_to_an_update_and_a_post():
    fit = DEFINITION.question("fit")
    earlier = [{"type": "section", "block_id": f"answered:{n}"} for n in range(48)]
    following = question_message(DEFINITION.question("value"), dialogue_id=7)

    assert answered_then(answered_message(fit, "partly"), earlier, following) is None
