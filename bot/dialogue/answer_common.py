"""What every answer parser shares: the verdicts, and how messages name questions and options."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from bot.dialogue.definition import Choice, Question
from bot.domain.opener.lexicon import current_lexicon, fold, words_pattern
from bot.wording import say

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class Parsed:
    """A valid answer, in the stored answer format."""

    value: Any


@dataclass(frozen=True)
class Invalid:
    """An answer that cannot be taken, with a friendly message saying why and what to do;
    `passed` is the answer as read when only its date has gone by (the scout may mean it)."""

    message: str
    passed: Any = None
    amount_only: str | None = None  # an amount read without its currency: ask for that alone


def subject(question: Question) -> str:
    """How messages name a question: 'the outcome', 'our fit'."""
    label = question.label
    if not label[:2].isupper():  # keep acronyms such as "CRM id" as written
        label = label[:1].lower() + label[1:]
    return label if label.startswith(("our ", "your ")) else f"the {label}"


def show_date(day: date) -> str:
    """A date as '31 Mar 2027', whatever the locale."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def format_amount(amount: Decimal) -> str:
    """An amount with thousands separators: '40,000', '1,234.50'."""
    if amount == amount.to_integral_value():
        return f"{int(amount):,}"
    return f"{amount:,.2f}"


def too_long(question: Question, text: str, what: str | None = None) -> Invalid | None:
    limit = question.max_length
    if limit is None or len(text) <= limit:
        return None
    subject_ = what or subject(question)
    return Invalid(
        say("answer_too_long", length=f"{len(text):,}", subject=subject_, limit=f"{limit:,}")
    )


def normal(text: str) -> str:
    """Loose form for comparing labels: case, dashes, quotes, spacing and edge punctuation."""
    text = text.lower().replace("’", "'").replace("_", " ")
    text = re.sub(r"\s*[-–—]\s*", "-", re.sub(r"\s+", " ", text))
    return text.strip(" .,;:!?\"'“”()[]")


def match_choice(choices: tuple[Choice, ...], text: str) -> Choice | None:
    """The choice a typed answer names: its number, label or value, or else the one choice whose
    label or other words ("also" in prompts/dialogue.yaml) the sentence holds ("partly, I think")."""
    wanted = normal(text)
    if wanted.isdecimal() and 1 <= int(wanted) <= len(choices):
        return choices[int(wanted) - 1]
    exact = next((c for c in choices if wanted in (normal(c.label), normal(c.value))), None)
    return exact or _named_in(choices, text)


def _named_in(choices: tuple[Choice, ...], text: str) -> Choice | None:
    """The one choice named in the text; none when several are ("yes, partly" stays a question).
    Where phrases overlap the longer one counts: "no idea" is not "no"."""
    folded = fold(normal(text))
    spans = [
        (m.start(), m.end(), choice)
        for choice in choices
        for m in re.finditer(words_pattern(map(normal, (choice.label, *choice.also))), folded)
    ]
    kept: list[tuple[int, int, Choice]] = []
    for start, end, choice in sorted(spans, key=lambda s: s[0] - s[1]):  # longest first
        if all(end <= s or start >= e for s, e, _ in kept):
            kept.append((start, end, choice))
    named = {choice for _, _, choice in kept}
    return named.pop() if len(named) == 1 else None


def says_dont_know(text: str) -> bool:
    """The answer says the scout does not know ("not sure", "keine Ahnung"), and nothing else."""
    words = current_lexicon().words("dont_know")
    return bool(re.fullmatch(words_pattern(words), fold(normal(text))))


def options(question: Question) -> str:
    return ", ".join(f"{n}. {c.label}" for n, c in enumerate(question.choices, start=1))


def quote(text: str) -> str:
    return f"“{text}”" if len(text) <= 40 else f"“{text[:39]}…”"
