"""The written forms of a date, as patterns over folded text, built from prompts/opener.yaml."""

from __future__ import annotations

import re

from bot.domain.opener.lexicon import Lexicon, words_pattern

_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th|er|re|\.|º|°)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)(?!\d)"


def _w(lexicon: Lexicon, key: str) -> str:
    return words_pattern(lexicon.words(key))


def _months(lexicon: Lexicon) -> str:
    names = [
        words_pattern(names).replace("(?:", f"(?P<m{n}>", 1)
        for n, names in enumerate(lexicon.months)
    ]
    return rf"(?:{'|'.join(names)})\.?"


def _group(lexicon: Lexicon, key: str, label: str) -> str:
    body = "|".join(
        words_pattern(words).replace("(?:", f"(?P<{label}_{name.replace('-', '_')}>", 1)
        for name, words in lexicon.groups(key).items()
    )
    return f"(?:{body})"


def _weekdays(lexicon: Lexicon) -> str:
    names = [
        words_pattern(ws).replace("(?:", f"(?P<d{n}>", 1)
        for n, ws in enumerate(lexicon.raw["weekdays"])
    ]
    return f"(?:{'|'.join(names)})"


def _holidays(lexicon: Lexicon) -> str:
    table = lexicon.table("holidays")
    names = [words_pattern([name]).replace("(?:", f"(?P<h{n}>", 1) for n, name in enumerate(table)]
    return f"(?:{'|'.join(names)})"


def _pressure_words(lexicon: Lexicon) -> str:
    """A pressure's words before a day: "renewal 31/03"."""
    return words_pattern(w for words in lexicon.groups("pressures").values() for w in words)


def date_forms(lexicon: Lexicon) -> list[tuple[str, re.Pattern[str]]]:
    """Each written form of a date, by name; on folded text."""
    month, end, nxt, this = (
        _months(lexicon),
        _w(lexicon, "period_end"),
        _w(lexicon, "next_words"),
        _w(lexicon, "this_words"),
    )
    deadline, rel = _w(lexicon, "deadline_words"), _w(lexicon, "relative_starts")
    numbers = words_pattern(lexicon.table("number_words"))
    units = _group(lexicon, "units", "unit")
    periods = [_group(lexicon, "periods", f"period{n}") for n in range(3)]
    quarter = (
        rf"(?:(?:{'|'.join(lexicon.words('quarter_letters'))})(?P<quarter>[1-4])(?:\s*[/-]?\s*(?:{_YEAR}|'?(?P<yy>\d\d)(?!\d)))?"
        rf"|(?P<qnum>[1-4])\.?\s*{_w(lexicon, 'quarter_words')}|(?P<qword>{words_pattern(lexicon.table('ordinals'))})\s+{_w(lexicon, 'quarter_words')})"
    )
    article = rf"(?:{_w(lexicon, 'articles')}\s*)?"
    forms = {
        "iso": rf"(?<!\d){_YEAR}-(?P<mon>\d{{1,2}})-(?P<day>\d{{1,2}})(?!\d)",
        "numeric": rf"(?<![\d.,/])(?P<day>\d{{1,2}})[/.-](?P<mon>\d{{1,2}})[/.-](?:{_YEAR}|(?P<yy>\d\d)(?!\d))",
        "day_month": rf"(?<!\d){_DAY}\s*(?:of\s+|de\s+)?{month}(?:,?\s*(?:de\s+|del\s+)?{_YEAR})?",
        "month_day": rf"{month}\s+(?P<day>[0-3]?\d)(?:st|nd|rd|th)?(?!\d|[.,]\d)(?:,?\s+{_YEAR})?",
        "month_year": rf"{month},?\s+(?:de\s+|del\s+)?{_YEAR}",
        "quarter": rf"(?:(?P<end>{end})\s+{article})?(?:(?P<next>{nxt})\s+)?{quarter}",
        "numeric_short": rf"(?:{deadline}|{_pressure_words(lexicon)})\s+(?P<day>\d{{1,2}})[/.](?P<mon>\d{{1,2}})\.?(?![\d/.]*\d|\s*(?:%|[kmb]\b))",
        "month_alone": rf"(?:(?P<end>{end})|(?P<next>{nxt})|{deadline}|{_w(lexicon, 'month_prepositions')})\s+{article}(?:(?P<next2>{nxt})\s+)?{month}(?!\s+\d)",
        "relative": rf"(?:{rel})\s+(?:{article}{nxt}\s+)?(?:(?P<count>\d{{1,3}})|(?P<cword>{numbers}))\s*(?:more\s+)?{units}",
        "period": rf"(?:(?P<end>{end})\s+{article})?(?:(?P<next>{nxt})|(?P<this>{this}))\s+{periods[0]}"
        rf"|(?:(?P<end2>{end})\s+{article}){periods[1]}(?:\s+(?P<next2>{nxt}))?"
        rf"|{article}{periods[2]}\s+(?P<next3>{nxt})",
        "period_end": rf"(?:{deadline})\s+{article}{_group(lexicon, 'period_ends', 'pend')}",
        "tomorrow": _w(lexicon, "tomorrow"),
        "month_part": rf"(?:(?P<middle>{_w(lexicon, 'month_middle')})|(?P<early>{_w(lexicon, 'month_start')}))[\s-]*"
        rf"(?:{nxt}\s+)?{month}(?:,?\s+{_YEAR})?",
        "weekday": rf"(?:{deadline}|{nxt}|{this})\s+{_weekdays(lexicon)}",
        "week_number": rf"{_w(lexicon, 'week_numbers')}\s*(?P<week>[0-5]?\d)(?!\d)(?:[/\s]+{_YEAR})?",
        "half_year": rf"(?<!\w)(?:{'|'.join(lexicon.words('half_years'))})(?P<half>[12])\s*[/-]?\s*{_YEAR}",
        "holiday": rf"(?:{deadline}|{nxt})\s+{article}{_holidays(lexicon)}",
    }
    return [(name, re.compile(form)) for name, form in forms.items()]
