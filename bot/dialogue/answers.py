"""Parse a scout's typed answers, check structured ones from the modal, and show answers as text."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from bot.dialogue.amounts import check_value, parse_value
from bot.dialogue.answer_common import (
    Invalid,
    Parsed,
    format_amount,
    match_choice,
    options,
    quote,
    show_date,
    subject,
    too_long,
)
from bot.dialogue.dates import check_date, check_event, parse_date, parse_event
from bot.dialogue.definition import Kind, Question
from bot.domain.opener.typed import persona_of
from bot.wording import say

__all__ = [
    "Invalid", "Parsed", "display_answer", "format_amount", "parse_answer", "show_date",
    "subject", "validate_value",
]  # fmt: skip


def parse_answer(question: Question, text: str, *, today: date) -> Parsed | Invalid:
    """A scout's typed reply to a question, parsed into the stored answer format."""
    text = text.strip()
    if not text:
        skip = "" if question.required else say("answer_or_skip")
        return Invalid(say("answer_empty", subject=subject(question), skip=skip))
    return _PARSERS[question.kind](question, text, today)


def validate_value(question: Question, value: Any, *, today: date) -> Invalid | None:
    """Check a structured answer (from the modal or a button); None when it is fine."""
    return _CHECKS[question.kind](question, value, today)


def display_answer(question: Question, value: Any) -> str:
    """An answer as a person reads it, for summaries and cards."""
    if question.kind == Kind.CHOICE:
        return question.choice_label(value)
    if question.kind == Kind.MULTI_CHOICE:
        return ", ".join(question.choice_label(v) for v in value)
    if question.kind == Kind.VALUE:
        if "band" in value:
            return question.choice_label(value["band"])
        return f"{value['currency']} {format_amount(Decimal(value['amount']))}"
    if question.kind == Kind.DATE:
        return show_date(date.fromisoformat(value))
    if question.kind == Kind.EVENT:
        when = show_date(date.fromisoformat(value["date"]))
        shown = f"{when} — {value['pressure']}" if value.get("pressure") else when
        return (
            say("event_owned", event=shown, owner=value["owner"]) if value.get("owner") else shown
        )
    return str(value)


# --- text and choices ---------------------------------------------------------------------


def _text(question: Question, text: str, today: date) -> Parsed | Invalid:
    return too_long(question, text) or Parsed(text)


def _choice(question: Question, text: str, today: date) -> Parsed | Invalid:
    choice = match_choice(question.choices, text)
    if choice is not None:
        return Parsed(choice.value)
    persona = persona_of(text)  # "the CFO" is an executive, when a choice is one
    if persona is not None and any(c.value == persona for c in question.choices):
        return Parsed(persona)
    return Invalid(say("answer_not_an_option", text=quote(text), options=options(question)))


def _multi_choice(question: Question, text: str, today: date) -> Parsed | Invalid:
    picked: set[str] = set()
    unknown: list[str] = []
    for part in _list_parts(question, text):
        choice = match_choice(question.choices, part)
        picked.update([choice.value] if choice else [])
        unknown.extend([] if choice else [part])
    if unknown:
        texts = ", ".join(map(quote, unknown))
        return Invalid(say("answer_not_options", texts=texts, options=options(question)))
    return Parsed([c.value for c in question.choices if c.value in picked])


def _list_parts(question: Question, text: str) -> list[str]:
    """Split on commas, then on 'and' only where the piece is not itself a label with 'and'."""
    parts = []
    for piece in filter(str.strip, re.split(r"[,;]", text)):
        if match_choice(question.choices, piece):
            parts.append(piece.strip())
        else:
            parts.extend(
                p.strip() for p in re.split(r"\s+(?:and|&)\s+", piece, flags=re.I) if p.strip()
            )
    return parts


# --- structured values -------------------------------------------------------------------------


def _check_text(question: Question, value: Any, today: date) -> Invalid | None:
    if not isinstance(value, str) or not value.strip():
        return Invalid(say("answer_cannot_be_empty", subject=subject(question)))
    return too_long(question, value)


def _check_choice(question: Question, value: Any, today: date) -> Invalid | None:
    if any(value == c.value for c in question.choices):
        return None
    return Invalid(say("answer_not_offered", value=quote(str(value)), options=options(question)))


def _check_multi(question: Question, value: Any, today: date) -> Invalid | None:
    if not isinstance(value, list) or not value:
        return Invalid(say("answer_pick_one", options=options(question)))
    return next(filter(None, (_check_choice(question, v, today) for v in value)), None)


_PARSERS: dict[Kind, Callable[[Question, str, date], Parsed | Invalid]] = {
    Kind.TEXT: _text,
    Kind.CHOICE: _choice,
    Kind.MULTI_CHOICE: _multi_choice,
    Kind.VALUE: parse_value,
    Kind.DATE: parse_date,
    Kind.EVENT: parse_event,
}
_CHECKS: dict[Kind, Callable[[Question, Any, date], Invalid | None]] = {
    Kind.TEXT: _check_text,
    Kind.CHOICE: _check_choice,
    Kind.MULTI_CHOICE: _check_multi,
    Kind.VALUE: check_value,
    Kind.DATE: check_date,
    Kind.EVENT: check_event,
}
