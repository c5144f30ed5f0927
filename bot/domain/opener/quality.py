"""Quality at capture: a completeness score with the one thing that would raise it, and thin answers."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from typing import Any, NamedTuple

from bot.domain.opener.lexicon import Lexicon, current_lexicon, fold

PARTS = 5  # a measurable outcome, value, compelling event, who cares, evidence in their words
_QUOTED = re.compile(r"[\"“”„«»]|(?<!\w)'[^']{3,}'|https?://|<https?://")


class Completeness(NamedTuple):
    """A score from 0 to 5 and the part that would raise it most (None when complete)."""

    score: int
    improve: str | None
    hint: str | None


def completeness(answers: Mapping[str, Any], *, lexicon: Lexicon | None = None) -> Completeness:
    """One point each: a measurable outcome, value, compelling event, who cares, evidence in their words."""
    lexicon = lexicon or current_lexicon()
    missing = missing_parts(answers, lexicon=lexicon)
    hints = dict(_order(lexicon))
    first = missing[0] if missing else None
    return Completeness(PARTS - len(missing), first, hints.get(first) if first else None)


def missing_parts(answers: Mapping[str, Any], *, lexicon: Lexicon | None = None) -> list[str]:
    """The parts of completeness these answers lack, in the order prompts/opener.yaml lists them."""
    lexicon = lexicon or current_lexicon()
    checks = {
        "outcome": lambda: has_measure(str(answers.get("outcome") or ""), lexicon),
        "value": lambda: _valued(answers.get("value")),
        "event": lambda: (
            isinstance(answers.get("event"), Mapping) and bool(answers["event"].get("date"))
        ),
        "who_cares": lambda: bool(answers.get("who_cares")),
        "evidence": lambda: _in_their_words(answers.get("evidence"), lexicon),
    }
    return [key for key, _hint in _order(lexicon) if key in checks and not checks[key]()]


def column_answers(columns: Mapping[str, Any]) -> dict[str, Any]:
    """A discovery's columns (outcome, value_amount, value_band, event_date, who_cares,
    evidence, evidence_url) as the answers completeness reads: how digests score a row."""
    event_date = columns.get("event_date")
    return {
        "outcome": columns.get("outcome"),
        "value": {"amount": columns.get("value_amount"), "band": columns.get("value_band")},
        "event": {"date": event_date} if event_date else None,
        "who_cares": columns.get("who_cares"),
        "evidence": {"text": columns.get("evidence"), "link": columns.get("evidence_url")},
    }


def missing_mark(columns: Mapping[str, Any], *, lexicon: Lexicon | None = None) -> str:
    """What a discovery's columns lack, to store beside its quality: "<lexicon>:part,part".

    The lexicon's fingerprint comes first: scored under other words (prompts/opener.yaml
    edited since), a mark is not read (missing_from_mark) and the row is scored again.
    """
    lexicon = lexicon or current_lexicon()
    parts = missing_parts(column_answers(columns), lexicon=lexicon)
    return f"{_fingerprint(lexicon)}:{','.join(parts)}"


def missing_from_mark(mark: str | None, *, lexicon: Lexicon | None = None) -> list[str] | None:
    """The parts a stored mark says are missing; None when there is none, or it was scored
    under other words than these."""
    if mark is None:
        return None
    lexicon = lexicon or current_lexicon()
    made_under, _, parts = mark.partition(":")
    if made_under != _fingerprint(lexicon):
        return None
    return parts.split(",") if parts else []


def _fingerprint(lexicon: Lexicon) -> str:
    return lexicon.built("fingerprint", _digest)  # type: ignore[no-any-return]


def _digest(lexicon: Lexicon) -> str:
    text = json.dumps(lexicon.raw, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def completeness_hint(part: str, *, lexicon: Lexicon | None = None) -> str | None:
    """The one line that tells a scout how to add a part (prompts/opener.yaml, completeness)."""
    return dict(_order(lexicon or current_lexicon())).get(part)


def completeness_parts(*, lexicon: Lexicon | None = None) -> list[str]:
    """The parts of completeness in the order prompts/opener.yaml lists them (its tie-break)."""
    return [key for key, _hint in _order(lexicon or current_lexicon())]


def _order(lexicon: Lexicon) -> list[tuple[str, str]]:
    return [(str(item["key"]), str(item["hint"])) for item in lexicon.raw["completeness"]]


def _valued(value: Any) -> bool:
    if not isinstance(value, Mapping):
        return False
    return value.get("amount") is not None or value.get("band") not in (None, "", "unknown")


def _in_their_words(evidence: Any, lexicon: Lexicon) -> bool:
    """A quotation, a link (a permalink, a ticket), or words saying the customer said it."""
    if isinstance(evidence, Mapping):
        if evidence.get("link") or evidence.get("url"):
            return True
        evidence = evidence.get("text")
    text = str(evidence or "")
    return bool(_QUOTED.search(text) or lexicon.pattern("said_cues").search(fold(text)))


def in_their_words(text: str, *, lexicon: Lexicon | None = None) -> bool:
    """Whether a typed text is the customer's words: quoted, or said to be theirs."""
    return _in_their_words(text, lexicon or current_lexicon())


def has_measure(text: str, lexicon: Lexicon) -> bool:
    """A number, or a word of time, money or risk (or a compound ending in one)."""
    folded = fold(text)
    endings = lexicon.built("measure_endings", _endings)
    return bool(
        re.search(r"\d", text)
        or lexicon.pattern("measure_words").search(folded)
        or endings.search(folded)
    )


def _endings(lexicon: Lexicon) -> re.Pattern[str]:
    return re.compile(rf"\w(?:{'|'.join(map(re.escape, lexicon.words('measure_endings')))})(?!\w)")


def thin_answer(text: str, *, lexicon: Lexicon | None = None) -> str | None:
    """Why an outcome or gap is thin ("feature_request", "too_short", "no_measure"), or None."""
    lexicon = lexicon or current_lexicon()
    measured = has_measure(text, lexicon)
    if not measured and lexicon.pattern("feature_cues").search(fold(text)):
        return "feature_request"
    if len(text.split()) < int(lexicon.raw.get("min_words", 4)):
        return "too_short"
    return None if measured else "no_measure"


def challenge(reason: str, key: str | None = None, *, lexicon: Lexicon | None = None) -> str:
    """The one friendly challenge for a thin answer, as prompts/opener.yaml words it: for the
    question `key` when worded for it (a gap asks what it costs, not what it would change)."""
    raw = (lexicon or current_lexicon()).raw
    own = (raw.get("challenges_for") or {}).get(key) or {}
    return str(own.get(reason) or raw["challenges"][reason])


def challenged_keys(*, lexicon: Lexicon | None = None) -> tuple[str, ...]:
    """The answers a thin reply is challenged on, once each (prompts/opener.yaml: challenged)."""
    return tuple(str(key) for key in (lexicon or current_lexicon()).raw.get("challenged") or ())
