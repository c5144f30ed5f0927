"""Dates in free text, resolved from today: "March 31" is the next March 31, "end of Q1" the next one."""

from __future__ import annotations

import calendar
import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, timedelta

from bot.domain.opener.date_forms import date_forms
from bot.domain.opener.lexicon import Lexicon

_FEWEST_DAYS = 7  # fewer days ahead than this is how long something takes, not a date


@dataclass(frozen=True)
class When:
    """A date found in the text, and where it was written."""

    day: date
    start: int
    end: int


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def quarter_end(year: int, quarter: int) -> date:
    return month_end(year, quarter * 3)


def add_months(day: date, months: int) -> date:
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _month(match: re.Match[str]) -> int | None:
    named = next(
        (int(k[1:]) + 1 for k, v in match.groupdict().items() if v and re.fullmatch(r"m\d+", k)),
        None,
    )
    return named or (int(match["mon"]) if match.groupdict().get("mon") else None)


def _year(match: re.Match[str]) -> int | None:
    parts = match.groupdict()
    if parts.get("year"):
        return int(parts["year"])
    return 2000 + int(parts["yy"]) if parts.get("yy") else None


def _next_day(today: date, month: int, day: int, year: int | None) -> date | None:
    """The day in the year given, or its next occurrence from today ("3/31" is month first)."""
    if month > 12 >= day:
        month, day = day, month
    if not 1 <= month <= 12 or not 1 <= day <= 31:
        return None
    for candidate in [year] if year else [today.year, today.year + 1]:
        last = calendar.monthrange(candidate, month)[1]
        if day > last:
            return None
        if year or date(candidate, month, day) >= today:
            return date(candidate, month, day)
    return None


def _next_end(today: date, ends: list[date], skip_current: bool) -> date:
    """The first period end from today (or the one after it, for "next")."""
    future = [end for end in ends if end >= today]
    return future[1] if skip_current and len(future) > 1 else future[0]


def resolve(name: str, match: re.Match[str], today: date, lexicon: Lexicon) -> date | None:
    """The date a matched form means, seen from today."""
    parts = {k: v for k, v in match.groupdict().items() if v}
    is_next = any(k.startswith("next") for k in parts)
    if name in ("iso", "numeric", "day_month", "month_day", "numeric_short"):
        return _next_day(today, _month(match) or 0, int(parts["day"]), _year(match))
    if name == "month_year":
        return month_end(_year(match) or today.year, _month(match) or 1)
    if name == "month_alone":
        month = _month(match) or 1
        ends = [month_end(today.year + n, month) for n in range(3)]
        return _next_end(today, ends, is_next and month == today.month)
    if name == "quarter":
        return _quarter(parts, today, is_next, lexicon)
    if name == "relative":
        return _relative(parts, today, lexicon)
    if name == "period":
        return _period(parts, today, is_next)
    if name in _OTHER_FORMS:
        return _OTHER_FORMS[name](parts, match, today, lexicon)
    if name == "period_end":
        kind = next(k for k in parts if k.startswith("pend_"))[5:]
        return _period({f"period_{kind}": "x"}, today, False)
    return today + timedelta(days=1)  # tomorrow


def _quarter(parts: dict[str, str], today: date, is_next: bool, lexicon: Lexicon) -> date:
    if "qword" in parts:
        number = int(lexicon.table("ordinals")[parts["qword"]])
    else:
        number = int(parts.get("quarter") or parts["qnum"])
    year = (
        int(parts["year"])
        if "year" in parts
        else (2000 + int(parts["yy"]) if "yy" in parts else None)
    )
    if year:
        return quarter_end(year, number)
    return _next_end(today, [quarter_end(today.year + n, number) for n in range(3)], False)


def _relative(parts: dict[str, str], today: date, lexicon: Lexicon) -> date | None:
    count = (
        float(parts["count"])
        if "count" in parts
        else float(lexicon.table("number_words")[parts["cword"]])
    )
    unit = next(k for k in parts if k.startswith("unit_"))[5:]
    if unit == "day":  # "paid within 5 days" is how long, "within 30 days" a deadline
        return today + timedelta(days=round(count)) if count >= _FEWEST_DAYS else None
    if unit == "week":
        return today + timedelta(days=round(count * 7))
    return add_months(today, round(count * (12 if unit == "year" else 1)))


def _period(parts: dict[str, str], today: date, is_next: bool) -> date | None:
    kind = next(k for k in parts if k.startswith("period"))
    kind = kind.split("_", 1)[1]
    if kind == "week":
        return today + timedelta(days=7 if is_next else 0) + timedelta(days=4 - today.weekday())
    if kind == "month":
        return month_end(*divmod_month(today, 1 if is_next else 0))
    if kind == "quarter":
        quarter = (today.month - 1) // 3 + 1 + (1 if is_next else 0)
        return quarter_end(today.year + (quarter - 1) // 4, (quarter - 1) % 4 + 1)
    return date(today.year + (1 if is_next else 0), 12, 31)


def _month_part(
    parts: dict[str, str], match: re.Match[str], today: date, lexicon: Lexicon
) -> date | None:
    day = 15 if "middle" in parts else 1
    return _next_day(today, _month(match) or 1, day, _year(match))


def _weekday(parts: dict[str, str], match: re.Match[str], today: date, lexicon: Lexicon) -> date:
    wanted = next(int(k[1:]) for k in parts if re.fullmatch(r"d\d", k))
    return today + timedelta(days=(wanted - today.weekday() - 1) % 7 + 1)


def _week_number(
    parts: dict[str, str], match: re.Match[str], today: date, lexicon: Lexicon
) -> date | None:
    week = int(parts["week"])
    for year in [int(parts["year"])] if "year" in parts else [today.year, today.year + 1]:
        try:
            friday = date.fromisocalendar(year, week, 5)
        except ValueError:
            return None
        if "year" in parts or friday >= today:
            return friday
    return None


def _half_year(parts: dict[str, str], match: re.Match[str], today: date, lexicon: Lexicon) -> date:
    return month_end(int(parts["year"]), 6 if parts["half"] == "1" else 12)


def _holiday(
    parts: dict[str, str], match: re.Match[str], today: date, lexicon: Lexicon
) -> date | None:
    index = next(int(k[1:]) for k in parts if re.fullmatch(r"h\d+", k))
    month, day = (int(n) for n in str(list(lexicon.table("holidays").values())[index]).split("-"))
    return _next_day(today, month, day, None)


_OTHER_FORMS = {"month_part": _month_part, "weekday": _weekday, "week_number": _week_number,
                "half_year": _half_year, "holiday": _holiday}  # fmt: skip


def divmod_month(today: date, ahead: int) -> tuple[int, int]:
    index = today.month - 1 + ahead
    return today.year + index // 12, index % 12 + 1


ABSOLUTE = ("iso", "numeric", "day_month", "month_day", "month_year", "quarter", "month_alone")


def find_dates(
    folded: str, today: date, lexicon: Lexicon, *, only: Collection[str] = ()
) -> list[When]:
    """Every date written in the folded text (in the forms named, if any), the longest reading
    at each place, in order."""
    forms = lexicon.built("date_forms", date_forms)
    found: list[When] = []
    for name, form in forms:
        if only and name not in only:
            continue
        for match in form.finditer(folded):
            if name == "relative" and _is_measure(folded, match.end(), lexicon):
                continue
            day = resolve(name, match, today, lexicon)
            if day is not None:
                found.append(When(day, match.start(), match.end()))
    found.sort(key=lambda w: (w.start, -(w.end - w.start)))
    kept: list[When] = []
    for when in found:
        if not kept or when.start >= kept[-1].end:
            kept.append(when)
    return kept


def _is_measure(folded: str, end: int, lexicon: Lexicon) -> bool:
    """ "in 3 days instead of 10" is how long something takes, not when it happens."""
    after = folded[end : end + 30]
    return bool(lexicon.pattern("measure_follow").match(after.lstrip(" ,")))
