"""Quality per scout and each scout's one tip, from a week's discoveries (pure: rows in, figures out).

Every figure counts discoveries, each once, whatever number of teams it went to.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, NamedTuple

from bot.domain.opener.lexicon import Lexicon, current_lexicon
from bot.domain.opener.quality import PARTS, column_answers, missing_from_mark, missing_parts

SHOWN = 5  # the coach digest's top and bottom


class ScoutRow(NamedTuple):
    """One discovery of the week: what its scout filled in, and how its loop stood. A named
    tuple: a build makes one per discovery of the week (20,000), and a frozen dataclass cost
    four times as much to make."""

    id: int
    scout_user_id: str
    account: str
    outcome: str
    created_at: datetime
    who_cares: str | None = None
    evidence: str | None = None
    evidence_url: str | None = None
    value_amount: Decimal | None = None
    value_currency: str | None = None
    value_band: str | None = None
    value_base: Decimal | None = None
    event_date: date | None = None
    event_pressure: str | None = None
    answer_seconds: float | None = None  # logged → first answer by any team (None: none yet)
    actioned: bool = False  # some team actioned it
    quality_missing: str | None = None  # the parts it lacks, as stored (missing_mark)


@dataclass(frozen=True)
class ScoutQuality:
    """One scout's discoveries of a week: how many, how complete, how far their loops got."""

    user_id: str
    discoveries: int
    completeness: float  # the mean score, out of PARTS
    with_evidence: int
    valued: int
    acknowledged: int  # answered by some team (picked up, actioned or declined)
    actioned: int
    median_seconds: float | None  # to the first answer, of those answered
    missing: Mapping[str, int] = field(default_factory=dict)  # per part, how many lack it


@dataclass(frozen=True)
class Tip:
    """The one part a scout most often leaves out, and a colleague's discovery that has it."""

    part: str
    missing: int  # of the scout's discoveries this week
    of: int
    example: ScoutRow | None = None


def answers_of(row: ScoutRow) -> dict[str, Any]:
    """A discovery's columns as the answers completeness reads."""
    return column_answers(row._asdict())


Missing = Mapping[int, Sequence[str]]  # discovery id → the parts it lacks


def missing_of(rows: Iterable[ScoutRow]) -> dict[int, list[str]]:
    """What each discovery lacks, worked out once for the figures and the tips: as stored
    with it on submit and edit, or (stored before that, or under other words) scored now."""
    lexicon = current_lexicon()
    # A week's marks are a few distinct strings: each is read once (the lists are shared,
    # and read only).
    marks: dict[str | None, list[str] | None] = {}
    return {row.id: _missing(row, lexicon, marks) for row in rows}


def _missing(
    row: ScoutRow, lexicon: Lexicon, marks: dict[str | None, list[str] | None]
) -> list[str]:
    mark = row.quality_missing
    if mark not in marks:
        marks[mark] = missing_from_mark(mark, lexicon=lexicon)
    stored = marks[mark]
    return stored if stored is not None else missing_parts(answers_of(row), lexicon=lexicon)


def scout_quality(rows: Sequence[ScoutRow], missing: Missing | None = None) -> list[ScoutQuality]:
    """Per scout who logged: their figures, best first (completeness, then discoveries)."""
    missing = missing if missing is not None else missing_of(rows)
    by_scout: dict[str, list[ScoutRow]] = defaultdict(list)
    for row in rows:
        by_scout[row.scout_user_id].append(row)
    found = [_one(user, mine, missing) for user, mine in by_scout.items()]
    return sorted(found, key=lambda q: (-q.completeness, -q.discoveries, q.user_id))


def _one(user: str, rows: Sequence[ScoutRow], lacking: Missing) -> ScoutQuality:
    missing = [lacking[row.id] for row in rows]
    answered = [row.answer_seconds for row in rows if row.answer_seconds is not None]
    return ScoutQuality(
        user_id=user, discoveries=len(rows),
        completeness=sum(PARTS - len(parts) for parts in missing) / len(rows),
        with_evidence=sum(bool(_filled(r.evidence) or _filled(r.evidence_url)) for r in rows),
        valued=sum(r.value_amount is not None or r.value_band not in (None, "unknown") for r in rows),
        acknowledged=len(answered), actioned=sum(r.actioned for r in rows),
        median_seconds=statistics.median(answered) if answered else None,
        missing=dict(Counter(part for parts in missing for part in parts)),
    )  # fmt: skip


def top_and_bottom(
    qualities: Sequence[ScoutQuality], shown: int = SHOWN
) -> tuple[tuple[ScoutQuality, ...], tuple[ScoutQuality, ...]]:
    """The best `shown` and the weakest `shown` (weakest first), never the same scout twice;
    fewer than twice `shown`: the better half on top, the rest below."""
    top = tuple(qualities[: min(shown, (len(qualities) + 1) // 2)])
    rest = qualities[len(top) :]
    return top, tuple(reversed(rest[-shown:]))


def tips(
    rows: Sequence[ScoutRow],
    order: Sequence[str],
    missing: Missing | None = None,
    qualities: Sequence[ScoutQuality] | None = None,
) -> dict[str, Tip]:
    """Per scout: the part they most often left out this week (ties: in `order`), with the most
    complete discovery of a colleague that has it (latest first); scouts who left nothing out
    get none (`qualities`: scout_quality of the same rows, when the caller has it)."""
    missing = missing if missing is not None else missing_of(rows)
    ranked = sorted(rows, key=lambda r: (len(missing[r.id]), -r.created_at.timestamp(), r.id))
    examples: dict[str, list[ScoutRow]] = {part: [] for part in order}
    for row in ranked:  # per part, the two best that have it: one is never the scout's own
        for part, best in examples.items():
            if part not in missing[row.id] and len(best) < 2:
                best.append(row)
    found = {}
    for quality in qualities if qualities is not None else scout_quality(rows, missing):
        if not quality.missing:
            continue
        counts = quality.missing
        part = max(counts, key=lambda p: (counts[p], -_rank(order, p)))
        example = _colleagues(examples.get(part, []), quality.user_id, ranked, missing, part)
        found[quality.user_id] = Tip(part, counts[part], quality.discoveries, example)
    return found


def _colleagues(
    best: list[ScoutRow], user: str, ranked: Sequence[ScoutRow], missing: Missing, part: str
) -> ScoutRow | None:
    """The best discovery with `part` not by `user`: from the two kept, else by a full look."""
    for row in best:
        if row.scout_user_id != user:
            return row
    if len(best) < 2:
        return None  # fewer than two have it at all: none by a colleague beyond those
    return next((r for r in ranked if r.scout_user_id != user and part not in missing[r.id]), None)


def redacted(text: str, account: str, stand_in: str) -> str:
    """`text` with the account's name replaced (any case), so an example names no customer."""
    name = account.strip()
    if len(name) < 2:
        return text
    return re.sub(re.escape(name), stand_in, text, flags=re.IGNORECASE)


def _rank(order: Sequence[str], part: str) -> int:
    return order.index(part) if part in order else len(order)


def _filled(text: str | None) -> bool:
    return bool(text and text.strip())
