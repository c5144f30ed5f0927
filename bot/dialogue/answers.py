"""Parse a scout's typed answers, check structured ones from the modal, and show answers as text."""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from bot.dialogue.definition import Choice, Kind, Question

UNKNOWN_BAND = "unknown"
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MAX_AMOUNT = Decimal(10) ** 15  # the database keeps Numeric(18, 2)
SYMBOLS = {"€": "EUR", "$": "USD", "£": "GBP", "¥": "JPY"}
CURRENCY_WORDS = {"euro": "EUR", "euros": "EUR", "dollar": "USD", "dollars": "USD",
                  "pound": "GBP", "pounds": "GBP", "yen": "JPY"}  # fmt: skip
SCALES = {"k": 3, "thousand": 3, "m": 6, "mn": 6, "mio": 6, "million": 6,
          "b": 9, "bn": 9, "billion": 9}  # fmt: skip
DONT_KNOW = {"don't know", "dont know", "do not know", "unknown", "no idea", "dunno", "not sure"}
DATE_EXAMPLES = "2027-03-31, 31/03/2027, 31 Mar 2027, Mar 2027 or Q1 2027"


@dataclass(frozen=True)
class Parsed:
    """A valid answer, in the stored answer format."""

    value: Any


@dataclass(frozen=True)
class Invalid:
    """An answer that cannot be taken, with a friendly message saying why and what to do."""

    message: str


def subject(question: Question) -> str:
    """How messages name a question: 'the outcome', 'our fit'."""
    label = question.label
    if not label[:2].isupper():  # keep acronyms such as "CRM id" as written
        label = label[:1].lower() + label[1:]
    return label if label.startswith(("our ", "your ")) else f"the {label}"


def parse_answer(question: Question, text: str, *, today: date) -> Parsed | Invalid:
    """A scout's typed reply to a question, parsed into the stored answer format."""
    text = text.strip()
    if not text:
        skip = "" if question.required else ", or say skip to leave it out"
        return Invalid(f"That message was empty. Type {subject(question)}{skip}.")
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
        return f"{when} — {value['pressure']}" if value.get("pressure") else when
    return str(value)


def show_date(day: date) -> str:
    """A date as '31 Mar 2027', whatever the locale."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def format_amount(amount: Decimal) -> str:
    """An amount with thousands separators: '40,000', '1,234.50'."""
    if amount == amount.to_integral_value():
        return f"{int(amount):,}"
    return f"{amount:,.2f}"


# --- text ---------------------------------------------------------------------------------------


def _text(question: Question, text: str, today: date) -> Parsed | Invalid:
    return _too_long(question, text) or Parsed(text)


def _too_long(question: Question, text: str, what: str | None = None) -> Invalid | None:
    limit = question.max_length
    if limit is None or len(text) <= limit:
        return None
    return Invalid(
        f"That's {len(text):,} characters; {what or subject(question)} can be at most "
        f"{limit:,}. Shorten it and send it again."
    )


# --- choices ------------------------------------------------------------------------------------


def _normal(text: str) -> str:
    """Loose form for comparing labels: case, dashes, quotes, spacing and edge punctuation."""
    text = text.lower().replace("’", "'").replace("_", " ")
    text = re.sub(r"\s*[-–—]\s*", "-", re.sub(r"\s+", " ", text))
    return text.strip(" .,;:!?\"'“”()[]")


def _match_choice(choices: tuple[Choice, ...], text: str) -> Choice | None:
    wanted = _normal(text)
    if wanted.isdigit() and 1 <= int(wanted) <= len(choices):
        return choices[int(wanted) - 1]
    return next((c for c in choices if wanted in (_normal(c.label), _normal(c.value))), None)


def _options(question: Question) -> str:
    return ", ".join(f"{n}. {c.label}" for n, c in enumerate(question.choices, start=1))


def _quote(text: str) -> str:
    return f"“{text}”" if len(text) <= 40 else f"“{text[:39]}…”"


def _choice(question: Question, text: str, today: date) -> Parsed | Invalid:
    choice = _match_choice(question.choices, text)
    if choice is None:
        return Invalid(
            f"{_quote(text)} isn't one of the options. Reply with a number or the words: "
            f"{_options(question)}."
        )
    return Parsed(choice.value)


def _multi_choice(question: Question, text: str, today: date) -> Parsed | Invalid:
    picked: set[str] = set()
    unknown: list[str] = []
    for part in _list_parts(question, text):
        choice = _match_choice(question.choices, part)
        picked.update([choice.value] if choice else [])
        unknown.extend([] if choice else [part])
    if unknown:
        return Invalid(
            f"{', '.join(map(_quote, unknown))} isn't one of the options. Reply with numbers or "
            f"words, separated by commas: {_options(question)}."
        )
    return Parsed([c.value for c in question.choices if c.value in picked])


def _list_parts(question: Question, text: str) -> list[str]:
    """Split on commas, then on 'and' only where the piece is not itself a label with 'and'."""
    parts = []
    for piece in filter(str.strip, re.split(r"[,;]", text)):
        if _match_choice(question.choices, piece):
            parts.append(piece.strip())
        else:
            parts.extend(
                p.strip() for p in re.split(r"\s+(?:and|&)\s+", piece, flags=re.I) if p.strip()
            )
    return parts


# --- value: a band or an amount ----------------------------------------------------------------

_CURRENCY = r"[€$£¥]|[a-z]{3}(?![a-z])|euros?|dollars?|pounds?|yen"
_AMOUNT = re.compile(
    rf"(?P<minus>[-−]|minus\s)?\s*(?P<before>{_CURRENCY})?\s*(?P<minus2>[-−])?\s*"
    r"(?P<number>\d(?:[\d,'.]*\d)?)\s*"
    r"(?:(?P<scale>k|mn|mio|m|bn|b|thousand|million|billion)(?![a-z]))?\.?\s*"
    rf"(?P<after>{_CURRENCY})?",
    re.IGNORECASE,
)
_HEDGES = re.compile(r"^(?:about|around|roughly|approx\.?|approximately|ca\.|~)\s*", re.I)
_PER_YEAR = re.compile(r"\s*(?:per year|a year|/\s*y(?:ea)?r|p\.?a\.?|annually|yearly)$", re.I)


def _value(question: Question, text: str, today: date) -> Parsed | Invalid:
    bands = [c.value for c in question.choices]
    if _normal(text) in DONT_KNOW and UNKNOWN_BAND in bands:
        return Parsed({"band": UNKNOWN_BAND})
    choice = _match_choice(question.choices, text)
    if choice is not None:
        return Parsed({"band": choice.value})
    match = _AMOUNT.fullmatch(_PER_YEAR.sub("", _HEDGES.sub("", text)))
    if match is None or (amount := _number(match)) is None:
        labels = ", ".join(c.label for c in question.choices)
        return Invalid(
            f"I couldn't read a value in {_quote(text)}. Pick a band ({labels}) "
            "or type an amount such as 40k EUR or $1.2M."
        )
    return _amount(question, text, match, amount)


def _number(match: re.Match) -> Decimal | None:
    """The number with its scale; commas and apostrophes group thousands, a lone comma is a decimal point."""
    raw, scale = match["number"].replace("'", ""), match["scale"]
    if re.fullmatch(r"[1-9]\d{0,2}(,\d{3})+(\.\d+)?", raw):
        raw = raw.replace(",", "")
    elif re.fullmatch(r"[1-9]\d{0,2}(\.\d{3})+(,\d+)?", raw) and not scale:
        raw = raw.replace(".", "").replace(",", ".")  # 40.000,50 written the European way
    elif re.fullmatch(r"\d+,\d{1,2}", raw):
        raw = raw.replace(",", ".")
    try:
        number = Decimal(raw)
    except InvalidOperation:
        return None
    return number.scaleb(SCALES[scale.lower()]) if scale else number


def _currency(token: str | None) -> str | None:
    if token is None:
        return None
    return SYMBOLS.get(token) or CURRENCY_WORDS.get(token.lower()) or token.upper()


def _amount(question: Question, text: str, match: re.Match, amount: Decimal) -> Parsed | Invalid:
    if not question.currencies:
        return Invalid(
            f"{subject(question).capitalize()} takes a band, not an amount: {_options(question)}."
        )
    before, after = _currency(match["before"]), _currency(match["after"])
    if before and after and before != after:
        return Invalid(f"{_quote(text)} names two currencies, {before} and {after}. Keep one.")
    if match["minus"] or match["minus2"]:
        amount = -amount
    currency = before or after
    if currency is None:
        return Invalid(
            f"Which currency is that in? Send it again with one, e.g. “{text} {question.currencies[0]}” "
            f"({', '.join(question.currencies)})."
        )
    value = {"amount": _plain(amount), "currency": currency}
    return _check_amount(question, value) or Parsed(value)


def _plain(amount: Decimal) -> str:
    """Cents at most, no exponent, no trailing zeros: '40000', '1234.5'."""
    rounded = amount.quantize(Decimal("0.01"))
    return format(rounded.normalize(), "f") if rounded else "0"


# --- dates and events --------------------------------------------------------------------------

_MONTH = (
    r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>\d{4})"
_DATE_FORMS = tuple(
    re.compile(form, re.IGNORECASE)
    for form in (
        rf"\b{_YEAR}-(?P<mon>\d{{1,2}})-(?P<day>\d{{1,2}})\b",
        rf"\b{_DAY}[/.-](?P<mon>\d{{1,2}})[/.-]{_YEAR}\b",  # day first, as outside the US
        rf"\b{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}\b",
        rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b",
        rf"\b{_MONTH},?\s+{_YEAR}\b",
        rf"\bQ(?P<quarter>[1-4])[\s/-]*{_YEAR}\b",
    )
)


def _find_date(text: str) -> tuple[date | Invalid, re.Match] | None:
    """The first date written in the text (the longest form at that place), and where it is."""
    found = [m for form in _DATE_FORMS if (m := form.search(text))]
    if not found:
        return None
    first = min(found, key=lambda m: (m.start(), -len(m[0])))
    return _date_of(first), first


def _date_of(match: re.Match) -> date | Invalid:
    """A month or quarter alone means its last day: 'by March' is the end of March."""
    parts = match.groupdict()
    year = int(parts["year"])
    if parts.get("quarter"):
        month = int(parts["quarter"]) * 3
    elif parts.get("mon"):
        month = int(parts["mon"])
    else:
        month = MONTHS.index(parts["month"][:3].title()) + 1
    if not 1 <= month <= 12:
        return Invalid(f"{_quote(match[0])} has no month {month}. Try {DATE_EXAMPLES}.")
    last = calendar.monthrange(year, month)[1]
    day = int(parts["day"]) if parts.get("day") else last
    if not 1 <= day <= last:
        return Invalid(f"There's no {day} {MONTHS[month - 1]} {year}. Check the date.")
    return date(year, month, day)


def _not_past(day: date, today: date) -> Invalid | None:
    if day >= today:
        return None
    return Invalid(f"{show_date(day)} is in the past. Send a date from today on.")


def _date(question: Question, text: str, today: date) -> Parsed | Invalid:
    found = _find_date(text)
    if found is None or found[1][0] != text.rstrip(" .,;!"):
        return Invalid(f"I couldn't read a date in {_quote(text)}. Try {DATE_EXAMPLES}.")
    day = found[0]
    if isinstance(day, Invalid):
        return day
    return _not_past(day, today) or Parsed(day.isoformat())


def _event(question: Question, text: str, today: date) -> Parsed | Invalid:
    found = _find_date(text)
    if found is None:
        return Invalid(
            "When is it? Start with a date, then the pressure behind it, e.g. "
            "“2027-03-31 board decides the budget”."
        )
    day, match = found
    if isinstance(day, Invalid):
        return day
    # A date written first is the date; a date inside a sentence stays part of the scout's words.
    pressure = text[match.end() :].lstrip(" -–—:,;.") if match.start() == 0 else text
    value = {"date": day.isoformat(), "pressure": pressure}
    return _check_event(question, value, today) or Parsed(value)


# --- structured values -------------------------------------------------------------------------


def _check_text(question: Question, value: Any, today: date) -> Invalid | None:
    if not isinstance(value, str) or not value.strip():
        return Invalid(f"Type {subject(question)}; it can't be empty.")
    return _too_long(question, value)


def _check_choice(question: Question, value: Any, today: date) -> Invalid | None:
    if any(value == c.value for c in question.choices):
        return None
    return Invalid(f"{_quote(str(value))} isn't one of the options: {_options(question)}.")


def _check_multi(question: Question, value: Any, today: date) -> Invalid | None:
    if not isinstance(value, list) or not value:
        return Invalid(f"Pick at least one of the options: {_options(question)}.")
    return next(filter(None, (_check_choice(question, v, today) for v in value)), None)


def _check_value(question: Question, value: Any, today: date) -> Invalid | None:
    if isinstance(value, dict) and set(value) == {"band"}:
        return _check_choice(question, value["band"], today)
    if isinstance(value, dict) and set(value) == {"amount", "currency"}:
        return _check_amount(question, value)
    return Invalid("Pick a band, or give an amount and a currency.")


def _check_amount(question: Question, value: dict) -> Invalid | None:
    try:
        amount = Decimal(str(value["amount"]))
    except InvalidOperation:
        return Invalid(
            f"{_quote(str(value['amount']))} isn't an amount. Type a number such as 40000."
        )
    if not amount.is_finite() or amount <= 0:
        return Invalid("The value has to be more than zero. Type an amount, or pick a band.")
    if amount >= MAX_AMOUNT:
        return Invalid(f"{format_amount(amount)} is more than we can record. Check the amount.")
    if value["currency"] not in question.currencies:
        return Invalid(
            f"I can record amounts in {', '.join(question.currencies)}; "
            f"{value['currency']} isn't one of them. Convert the amount, or pick a band."
        )
    return None


def _iso(value: Any) -> date | Invalid:
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        return Invalid(f"{_quote(str(value))} isn't a date. Use the date picker or YYYY-MM-DD.")


def _check_date(question: Question, value: Any, today: date) -> Invalid | None:
    day = _iso(value)
    return day if isinstance(day, Invalid) else _not_past(day, today)


def _check_event(question: Question, value: Any, today: date) -> Invalid | None:
    if not isinstance(value, dict) or not isinstance(value.get("pressure", ""), str):
        return Invalid("Give the event's date and, if you can, the pressure behind it.")
    pressure = value.get("pressure", "")
    what = f"{subject(question)}'s pressure"
    return _check_date(question, value.get("date"), today) or _too_long(question, pressure, what)


_PARSERS: dict[Kind, Callable[[Question, str, date], Parsed | Invalid]] = {
    Kind.TEXT: _text,
    Kind.CHOICE: _choice,
    Kind.MULTI_CHOICE: _multi_choice,
    Kind.VALUE: _value,
    Kind.DATE: _date,
    Kind.EVENT: _event,
}
_CHECKS: dict[Kind, Callable[[Question, Any, date], Invalid | None]] = {
    Kind.TEXT: _check_text,
    Kind.CHOICE: _check_choice,
    Kind.MULTI_CHOICE: _check_multi,
    Kind.VALUE: _check_value,
    Kind.DATE: _check_date,
    Kind.EVENT: _check_event,
}
