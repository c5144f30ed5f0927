"""The /scout modal, built from the same definition as the DM dialogue, and its confirm step."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from slack_sdk.models.blocks import (
    Block,
    CheckboxesElement,
    ContextBlock,
    DatePickerElement,
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextInputElement,
    SectionBlock,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from bot.dialogue.answers import Invalid, Parsed, display_answer, parse_answer, validate_value
from bot.dialogue.dates import OWNER_LIMIT
from bot.dialogue.definition import MODAL_TEXT_LIMIT, Definition, Kind, Question
from bot.domain.opener.typed import owner_answer, pressure_and_owner
from bot.domain.supporters import Candidate
from bot.rendering.dialogue import route_options
from bot.rendering.ids import ActionId, BlockId, CallbackId
from bot.rendering.links import link_to
from bot.rendering.quality import quality_line, thin_hints
from bot.rendering.supporters import join_input
from bot.rendering.text import escape, escape_within, shorten
from bot.wording import say

INPUT = ActionId.MODAL_INPUT.value


def discovery_modal(definition: Definition, answers: dict[str, Any], *, dialogue_id: int) -> View:
    """Every question as an input, prefilled with the answers so far."""
    return answers_modal(
        definition, answers, callback=CallbackId.DISCOVERY_MODAL, title=say("modal_title"),
        submit=say("modal_next"), private_metadata=metadata(dialogue_id),
    )  # fmt: skip


def answers_modal(
    definition: Definition,
    answers: dict[str, Any],
    *,
    callback: CallbackId,
    title: str,
    submit: str,
    private_metadata: str,
) -> View:
    """The questions as inputs prefilled with answers: for logging and for editing."""
    blocks: list[Block] = []
    for question in definition.questions:
        blocks += _inputs(question, answers.get(question.key))
    if answers.get("evidence_url"):  # a live link when it is a web address, else shown as text
        url = answers["evidence_url"]
        link = escape(say("modal_evidence_link", link=link_to(url) or url))
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=link)]))
    return View(
        type="modal",
        callback_id=callback.value,
        title=title,
        submit=submit,
        close=say("button_cancel"),
        private_metadata=private_metadata,
        blocks=blocks,
    )


def routes_modal(
    definition: Definition,
    answers: dict[str, Any],
    suggestions: list[tuple[str, str]],
    *,
    dialogue_id: int,
    lookalike: Candidate | None = None,
) -> View:
    """The answers to check, and the teams to send them to (the suggested ones ticked); for a
    look-alike of an open discovery, a box to add the scout's account to that one instead."""
    lines = [
        f"*{escape(q.label)}*: {escape_within(display_answer(q, answers[q.key]), 300)}"
        for q in definition.questions
        if answers.get(q.key) not in (None, "", [])
    ]
    hints = [quality_line(answers), *thin_hints(definition, answers)]
    quality = ContextBlock(
        block_id=BlockId.QUALITY.value,
        elements=[MarkdownTextObject(text=escape_within("\n".join(hints), 2900))],
    )
    reasons = dict(suggestions)
    options = route_options(reasons)
    ticked = [option for option in options if option.value in reasons] or None
    boxes = CheckboxesElement(action_id=INPUT, options=options, initial_options=ticked)
    return View(
        type="modal",
        callback_id=CallbackId.DISCOVERY_ROUTES.value,
        title=say("modal_title"),
        submit=say("button_submit"),
        close=say("button_back"),
        private_metadata=metadata(dialogue_id),
        blocks=[
            *([SectionBlock(text=MarkdownTextObject(text=shorten("\n".join(lines), 3000)))]
              if lines else []),
            quality,
            InputBlock(block_id=BlockId.ROUTES.value, label=say("modal_send_to"), element=boxes),
            *join_input(lookalike),
        ],
    )  # fmt: skip


def metadata(dialogue_id: int) -> str:
    """Typed private_metadata: which dialogue a view belongs to."""
    return json.dumps({"dialogue_id": dialogue_id})


def dialogue_of(view: dict) -> int:
    """The dialogue id from a view's private_metadata."""
    return int(json.loads(view["private_metadata"])["dialogue_id"])


def submitted_fields(view: dict) -> dict[str, Any]:
    """The raw values of a submitted modal, by block id (text, option value, date or list).

    Slack enforces required inputs in its clients; a forged or buggy client may send any
    shape, so whatever is absent or not as Slack sends it reads as not answered.
    """
    state = view.get("state")
    values = state.get("values") if isinstance(state, dict) else None
    fields = {}
    for block_id, actions in (values if isinstance(values, dict) else {}).items():
        element = actions.get(INPUT) if isinstance(actions, dict) else None
        fields[block_id] = _raw_value(element if isinstance(element, dict) else {})
    return fields


def chosen_join(view: dict) -> int | None:
    """The open discovery the scout ticked to join instead of a new one, if they did."""
    ticked = submitted_fields(view).get(BlockId.JOIN.value) or []
    return next((int(value) for value in ticked if str(value).isdigit()), None)


def chosen_routes(view: dict) -> list[str]:
    """The routes ticked in the confirm view."""
    return submitted_fields(view).get(BlockId.ROUTES.value) or []


def _raw_value(element: dict) -> str | list[str] | None:
    kind = element.get("type")
    if kind == "static_select":
        return _option_value(element.get("selected_option"))
    if kind in ("checkboxes", "multi_static_select"):
        options = element.get("selected_options")
        values = [_option_value(o) for o in options] if isinstance(options, list) else []
        return [value for value in values if value]
    if kind == "datepicker":
        return _text(element.get("selected_date"))
    if kind == "conversations_select":
        return _text(element.get("selected_conversation"))
    if kind == "multi_users_select":
        users = element.get("selected_users")
        return [u for u in users if isinstance(u, str)] if isinstance(users, list) else []
    return _text(element.get("value"))


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _option_value(option: Any) -> str | None:
    return _text(option.get("value")) if isinstance(option, dict) else None


def _inputs(question: Question, value: Any) -> list[Block]:
    """The input block(s) of one question."""
    if question.kind is Kind.CHOICE:
        return [_input(question, question.key, _select(question, value))]
    if question.kind is Kind.MULTI_CHOICE:
        return [_input(question, question.key, _boxes(question, value))]
    if question.kind is Kind.VALUE:
        band = value.get("band") if isinstance(value, dict) else None
        amount = value if isinstance(value, dict) and "amount" in value else None
        shown = display_answer(question, amount) if amount else None
        return [
            _input(question, question.key, _select(question, band), hint=question.help),
            _input(
                question,
                question.key + BlockId.AMOUNT_SUFFIX,
                _text_input(shown, 60, placeholder=say("modal_amount_placeholder")),
                label=say("modal_amount_label"),
            ),
        ]
    if question.kind in (Kind.DATE, Kind.EVENT):
        return _date_inputs(question, value)
    return [_input(question, question.key, _text_for(question, value))]


def _date_inputs(question: Question, value: Any) -> list[Block]:
    day = value.get("date") if isinstance(value, dict) else value
    picker = DatePickerElement(action_id=INPUT, initial_date=_valid_date(day))
    blocks: list[Block] = [_input(question, question.key, picker, hint=question.help)]
    if question.kind is Kind.EVENT:
        pressure = value.get("pressure") if isinstance(value, dict) else None
        limit = question.max_length or MODAL_TEXT_LIMIT
        text = _text_input(pressure, limit, placeholder=say("modal_pressure_placeholder"))
        label = say("modal_pressure_label")
        blocks.append(_input(question, question.key + BlockId.PRESSURE_SUFFIX, text, label=label))
        owner = value.get("owner") if isinstance(value, dict) else None
        text = _text_input(owner, OWNER_LIMIT, placeholder=say("modal_owner_placeholder"))
        label = say("modal_owner_label")
        blocks.append(_input(question, question.key + BlockId.OWNER_SUFFIX, text, label=label))
    return blocks


def _input(
    question: Question, block_id: str, element, *, label: str | None = None, hint: str | None = None
) -> InputBlock:
    return InputBlock(
        block_id=block_id,
        label=shorten(label or question.prompt, 2000),
        element=element,
        optional=not question.required or label is not None,
        hint=shorten(hint, 2000) if hint else None,
    )


def _text_limit(question: Question) -> int:
    return min(question.max_length or MODAL_TEXT_LIMIT, MODAL_TEXT_LIMIT)


def _text_for(question: Question, value: Any) -> PlainTextInputElement:
    element = _text_input(value, _text_limit(question), placeholder=question.placeholder)
    element.multiline = question.multiline
    return element


def _text_input(value: Any, limit: int, *, placeholder: str | None = None) -> PlainTextInputElement:
    # A prefilled text longer than the input allows (a long message as evidence) shows its
    # beginning; the whole text is kept unless the scout changes that beginning.
    initial = shorten(str(value), limit) if value else None
    return PlainTextInputElement(
        action_id=INPUT,
        initial_value=initial,
        max_length=limit,
        placeholder=shorten(placeholder, 150) if placeholder else None,
    )


def _select(question: Question, value: Any) -> StaticSelectElement:
    options = [Option(value=c.value, label=shorten(c.label, 75)) for c in question.choices]
    initial = next((o for o in options if o.value == value), None)
    return StaticSelectElement(
        action_id=INPUT,
        placeholder=say("menu_placeholder"),
        options=options,
        initial_option=initial,
    )


def _boxes(question: Question, value: Any) -> CheckboxesElement:
    """Several choices: a box each (the definition allows as many as Slack shows, 10)."""
    options = [Option(value=c.value, label=shorten(c.label, 75)) for c in question.choices]
    ticked = [o for o in options if isinstance(value, list) and o.value in value]
    return CheckboxesElement(action_id=INPUT, options=options, initial_options=ticked or None)


def _valid_date(value: Any) -> str | None:
    try:
        return date.fromisoformat(value).isoformat() if value else None
    except (TypeError, ValueError):
        return None


def answers_from_modal(
    definition: Definition, view: dict, *, previous: dict[str, Any], today: date
) -> tuple[dict[str, Any], dict[str, str]]:
    """The answers in a submitted modal, and an error per block that needs fixing."""
    fields = submitted_fields(view)
    answers: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for question in definition.questions:
        block_id, value = _read(question, fields, previous.get(question.key), today)
        if isinstance(value, Invalid):
            errors[block_id] = value.message
        elif value not in (None, "", []):
            answers[question.key] = value
        elif question.required:
            errors[block_id] = say("modal_missing")
    return answers, errors


def _read(question: Question, fields: dict, previous: Any, today: date) -> tuple[str, Any]:
    """One question's answer from its block(s): (block to flag, value or Invalid or None)."""
    raw = fields.get(question.key)
    if question.kind is Kind.VALUE:
        amount = (fields.get(question.key + BlockId.AMOUNT_SUFFIX) or "").strip()
        if amount:
            return question.key + BlockId.AMOUNT_SUFFIX, _parsed(question, amount, today)
        return question.key, _checked(question, {"band": raw}, today) if raw else None
    if question.kind is Kind.EVENT:
        return question.key, _event(question, raw, fields, previous, today)
    if question.kind is Kind.DATE:
        return question.key, (validate_value(question, raw, today=today) or raw) if raw else None
    if question.kind in (Kind.CHOICE, Kind.MULTI_CHOICE):
        return question.key, _checked(question, raw, today) if raw else None
    return question.key, _text_answer(question, raw, previous, today)


def _event(question: Question, raw: Any, fields: dict, previous: Any, today: date) -> Any:
    """The event's date, pressure and owner; the pressure field may say all three, in any
    order. A date gone by is questioned, unless it is the one the scout kept before."""
    pressure = (fields.get(question.key + BlockId.PRESSURE_SUFFIX) or "").strip()
    owner = (fields.get(question.key + BlockId.OWNER_SUFFIX) or "").strip()
    if raw:
        said, named = (pressure, None) if owner or not pressure else pressure_and_owner(pressure)
        value = {"date": raw, "pressure": said} | ({"owner": named} if named else {})
    elif pressure:  # no date picked: the pressure typed may say it ("audit on 15 March")
        value = _typed_event(question, pressure, today)
        if isinstance(value, Invalid):
            return value
    else:
        return Invalid(say("modal_event_date_missing")) if owner else None
    value = value | ({"owner": owner_answer(owner)} if owner else {})
    refused = validate_value(question, value, today=today)
    kept = isinstance(previous, dict) and previous.get("date") == value["date"]
    return value if refused is None or (refused.passed is not None and kept) else refused


def _typed_event(question: Question, text: str, today: date) -> dict | Invalid:
    """An event typed whole in the pressure field; without a date, the date is missing."""
    typed = parse_answer(question, text, today=today)
    if isinstance(typed, Parsed):
        return typed.value
    if typed.passed is not None:
        return typed.passed  # questioned with the other checks
    missing = typed.message == say("event_without_date")
    return Invalid(say("modal_event_date_missing")) if missing else typed


def _checked(question: Question, value: Any, today: date) -> Any:
    """A structured value (a choice, a band), or why it is not one the question offers."""
    return validate_value(question, value, today=today) or value


def _text_answer(question: Question, raw: Any, previous: Any, today: date) -> Any:
    """A text answer; an untouched, shortened prefill keeps the whole original text."""
    if not raw or not raw.strip():
        return None
    if isinstance(previous, str) and raw == shorten(previous, _text_limit(question)) != previous:
        return previous
    return _parsed(question, raw, today)


def _parsed(question: Question, text: str, today: date) -> Any:
    result = parse_answer(question, text, today=today)
    return result if isinstance(result, Invalid) else result.value
