"""Follow-ups on one answer, asked in the DM before moving on.

- "owner": an event with a date and a pressure but no owner: who owns the money? (skippable)
- "passed": a date gone by: did the scout mean the next one, keep it, or type another?
- "date": the scout chose to type another date; what the event said besides is kept.
- "currency": an amount typed without its currency ("200k"): which one? (buttons, or typed)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from bot.dialogue.answer_common import Invalid, Parsed, format_amount, normal, show_date
from bot.dialogue.dates import next_year
from bot.dialogue.definition import Kind, Question
from bot.dialogue.events import AskMore
from bot.domain.opener.typed import owner_answer
from bot.wording import say

OWNER, PASSED, DATE, CURRENCY = "owner", "passed", "date", "currency"
MOST_BUTTONS = 25  # Slack's limit in one actions block
NEXT, KEEP, OTHER = "next", "keep", "other"  # what to do with a date gone by


def needs_owner(question: Question, value: Any) -> bool:
    """An event with its date and pressure, and no one named as its owner."""
    return (
        question.kind is Kind.EVENT
        and isinstance(value, dict)
        and bool(value.get("date") and str(value.get("pressure") or "").strip())
        and not value.get("owner")
    )


def owner_of(text: str) -> str:
    """A typed owner as kept: "the CFO" → "CFO", "owner is Jane Roe" → "Jane Roe"."""
    return owner_answer(text)


def with_owner(value: dict, owner: str) -> dict:
    """The event with its owner."""
    return {**value, "owner": owner}


def day_of(value: Any) -> date | None:
    """The date of a date or event answer (None when it has none)."""
    raw = value.get("date") if isinstance(value, dict) else value
    try:
        return date.fromisoformat(raw)
    except (TypeError, ValueError):
        return None


def dated(value: Any, day: date) -> Any:
    """A date or event answer with another date."""
    return {**value, "date": day.isoformat()} if isinstance(value, dict) else day.isoformat()


def meant(value: Any, today: date) -> Any:
    """The answer with the next such day from today: what a date gone by most likely meant."""
    day = day_of(value)
    return dated(value, next_year(day, today)) if day else value


def retyped(result: Parsed | Invalid, pending: Any) -> Parsed | Invalid:
    """Another date typed for a pending event: what it does not say again (pressure, owner) kept."""
    if not isinstance(pending, dict):
        return result
    if isinstance(result, Parsed) and isinstance(result.value, dict):
        return Parsed(_kept(result.value, pending))
    if isinstance(result, Invalid) and isinstance(result.passed, dict):
        return Invalid(result.message, passed=_kept(result.passed, pending))
    return result


def _kept(value: dict, pending: dict) -> dict:
    said = ("pressure", "owner")
    return value | {k: pending[k] for k in said if pending.get(k) and not value.get(k)}


@dataclass(frozen=True)
class PassedChoice:
    """A click on a date-gone-by button: what to do, and the date it was shown for."""

    action: str
    day: str


def pick_value(action: str, value: Any) -> str:
    """A button's value: the action and the date it is for (a later date makes it stale)."""
    day = day_of(value)
    return f"{action}@{day.isoformat() if day else ''}"


def read_pick(value: Any) -> PassedChoice | None:
    """The choice a date-gone-by button carries; None for any other value."""
    action, at, day = str(value).partition("@")
    return PassedChoice(action, day) if at and action in (NEXT, KEEP, OTHER) else None


def read_reply(text: str, pending: Any, today: date) -> str | None:
    """A typed answer to "did you mean …?": a number, a button's words, yes or keep."""
    wanted = normal(text)
    labels = {
        NEXT: [
            "1",
            normal(button_label(NEXT, pending, today)),
            *_words(say("date_passed_yes_words")),
        ],
        KEEP: [
            "2",
            normal(button_label(KEEP, pending, today)),
            *_words(say("date_passed_keep_words")),
        ],
        OTHER: ["3", normal(button_label(OTHER, pending, today))],
    }
    return next((action for action, words in labels.items() if wanted in words), None)


def button_label(action: str, pending: Any, today: date) -> str:
    """The label of one of the three buttons."""
    day = day_of(pending)
    if action == NEXT and day:
        return say("date_passed_next", date=show_date(next_year(day, today)))
    if action == KEEP and day:
        return say("date_passed_keep", date=show_date(day))
    return say("date_passed_other")


def currency_pick(code: str) -> str:
    """A currency button's value."""
    return f"{CURRENCY}@{code}"


def read_currency_pick(value: Any) -> str | None:
    """The currency a currency button carries; None for any other value."""
    about, at, code = str(value).partition("@")
    return code if at and about == CURRENCY and code else None


def is_button_value(value: Any) -> bool:
    """A follow-up's button value (a date gone by, a currency), never an answer of its own."""
    return bool(read_pick(value) or read_currency_pick(value))


def asking(question: Question, about: str, value: Any, today: date) -> AskMore:
    """The follow-up as asked: its words, and the buttons of a date gone by or of currencies."""
    if about == CURRENCY:
        amount = format_amount(Decimal(value["amount"]))
        choices = tuple((code, currency_pick(code)) for code in question.currencies[:MOST_BUTTONS])
        prompt, help_ = say("value_currency_prompt", amount=amount), say("value_currency_help")
        return AskMore(question, about, value, prompt, help_, choices=choices)
    if about == OWNER:
        return AskMore(question, about, value, say("event_owner_prompt"), say("event_owner_help"))
    if about == DATE:
        return AskMore(question, about, value, question.prompt, say("date_passed_type"))
    day = day_of(value)
    prompt = say("date_has_passed", date=show_date(day), next=show_date(next_year(day, today)))
    choices = tuple(
        (button_label(a, value, today), pick_value(a, value)) for a in (NEXT, KEEP, OTHER)
    )
    return AskMore(question, about, value, prompt, choices=choices)


def _words(listed: str) -> list[str]:
    """Comma-separated words, as typed answers are compared."""
    return [normal(w) for w in listed.split(",") if w.strip()]
