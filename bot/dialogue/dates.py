"""Dates ("Q1 2027", "31 Mar 2027", "31. März") and compelling events (a date and the pressure behind it).

The strict forms below come first; what they miss is read by the opener's date grammar
(bot/domain/opener/when.py), so "March 31 renewal" is an event on the next March 31.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import replace
from datetime import date
from typing import Any

from bot.dialogue.answer_common import MONTHS, Invalid, Parsed, quote, show_date, subject, too_long
from bot.dialogue.definition import Question
from bot.domain.opener.lexicon import current_lexicon, fold
from bot.domain.opener.typed import event_rest
from bot.domain.opener.when import ABSOLUTE, find_dates
from bot.wording import say

OWNER_LIMIT = 200  # characters of an event's owner: a name or a role

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
        return Invalid(say("date_no_such_month", text=quote(match[0]), month=month))
    last = calendar.monthrange(year, month)[1]
    day = int(parts["day"]) if parts.get("day") else last
    if not 1 <= day <= last:
        return Invalid(say("date_no_such_day", date=f"{day} {MONTHS[month - 1]} {year}"))
    return date(year, month, day)


def next_year(day: date, today: date) -> date:
    """The same day and month from today on: what a date gone by was most likely meant to be."""
    year = today.year
    while True:
        last = calendar.monthrange(year, day.month)[1]
        candidate = date(year, day.month, min(day.day, last))
        if candidate >= today:
            return candidate
        year += 1


def _not_past(day: date, today: date, answer: Any = None) -> Invalid | None:
    """None from today on; else the question whether the next such day was meant."""
    if day >= today:
        return None
    meant = show_date(next_year(day, today))
    message = say("date_has_passed", date=show_date(day), next=meant)
    return Invalid(message, passed=answer if answer is not None else day.isoformat())


def _written_date(
    text: str, today: date, *, only: tuple[str, ...] = ()
) -> tuple[date | Invalid, int, int] | None:
    """The first date in the text and where it is: the strict forms first, then the opener's
    (other languages, no year: "31. März" is the next 31 March, "in three weeks")."""
    strict = _find_date(text)
    if strict is not None:
        return strict[0], strict[1].start(), strict[1].end()
    found = find_dates(fold(text), today, current_lexicon(), only=only)
    return (found[0].day, found[0].start, found[0].end) if found else None


def parse_date(question: Question, text: str, today: date) -> Parsed | Invalid:
    found = _written_date(text, today, only=ABSOLUTE)
    if found is None or text[found[1] : found[2]] != text.rstrip(" .,;!"):
        return Invalid(say("date_unreadable", text=quote(text)))
    day = found[0]
    if isinstance(day, Invalid):
        return day
    return _not_past(day, today) or Parsed(day.isoformat())


def parse_event(question: Question, text: str, today: date) -> Parsed | Invalid:
    found = _written_date(text, today)
    if found is None:
        return Invalid(say("event_without_date"))
    day, start, end = found
    if isinstance(day, Invalid):
        return day
    pressure, owner = event_rest(text, (start, end))
    value = {"date": day.isoformat(), "pressure": pressure} | ({"owner": owner} if owner else {})
    return check_event(question, value, today) or Parsed(value)


def _iso(value: Any) -> date | Invalid:
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        return Invalid(say("date_malformed", value=quote(str(value))))


def check_date(question: Question, value: Any, today: date) -> Invalid | None:
    day = _iso(value)
    return day if isinstance(day, Invalid) else _not_past(day, today)


def check_event(question: Question, value: Any, today: date) -> Invalid | None:
    if not isinstance(value, dict) or not all(
        isinstance(value.get(part, ""), str) for part in ("pressure", "owner")
    ):
        return Invalid(say("event_malformed"))
    what = say("event_pressure_subject", subject=subject(question))
    long = too_long(question, value.get("pressure", ""), what) or _long_owner(question, value)
    if long:
        return long
    day = _iso(value.get("date"))
    return day if isinstance(day, Invalid) else _not_past(day, today, value)


def _long_owner(question: Question, value: dict) -> Invalid | None:
    owner = value.get("owner", "")
    if len(owner) <= OWNER_LIMIT:
        return None
    return too_long(replace(question, max_length=OWNER_LIMIT), owner, say("event_owner_subject"))
