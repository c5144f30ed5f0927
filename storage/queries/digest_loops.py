"""The coaches' trend from the loop facts kept on each discovery's row: per week, one index
range of discoveries grouped in the database; the medians of the seconds to a first answer
by ORDER BY … LIMIT/OFFSET.

The chart's weekly loops, the loop timing of the four weeks before this one, the
follow-through funnel and the counts per route and week all read the same discoveries
(230,000 at 20,000 a week). They were read with their status changes, stage changes and
current routes, a nested index lookup per discovery (1.3-1.5 s of a build on SQLite at
1,000,000, ~2.7 s on PostgreSQL). Now what became of each discovery is on its row
(storage.queries.loop_facts): a week is counted per (flags, routes now) in SQL, and the
medians come back as one or two values each (fetching 190,000 seconds to sort them here
cost 0.6 s of CPU on SQLite, as much as the counting).
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlmodel import Session, col

from storage.enums import DiscoveryStatus
from storage.models import Discovery
from storage.queries.digest_figures import logged_between, theme_values
from storage.queries.digest_kept import KeptWeek, keep_week, kept_weeks, lock_kept
from storage.queries.digest_trends import (
    Completeness,
    LoopTiming,
    completeness_conditions,
    seconds_between,
)
from storage.queries.loop_facts import routes_of

Status = DiscoveryStatus

# What became of a discovery, as bits of one number (one column to fetch and tally).
# As of the moment: actioned; closed (actioned or declined); realised since edges[0].
ACTIONED, CLOSED_BIT, REALISED = 1, 2, 4
ACKNOWLEDGED_NOW, ACTIONED_NOW = 8, 16  # a current route acknowledged (or actioned), actioned
REALISED_EVER, BY_AS_OF = 32, 64  # any route realised, ever; logged before the moment
VALUED, WITH_EVENT, WITH_EVIDENCE = 128, 256, 512  # what it has (Completeness counts them)
ANSWERED = 1024  # answered before the moment: its seconds count in the week's median
Tally = Counter[tuple[int, int, str]]  # (week, flags, routes now) -> discoveries
# A week kept is counted as of a moment after all of its own (a discovery's moments).
SETTLED = datetime(9999, 12, 31, tzinfo=UTC)
MOMENTS = ("created_at", "answered_at", "actioned_at", "closed_at", "realised_at")


class LoopWeek(NamedTuple):
    """A week's discoveries and their loops as of a moment: answered, actioned, median to answer,
    realised (a route won, shipped or published)."""

    logged: int
    answered: int
    actioned: int
    median_seconds: float | None
    realised: int = 0


@dataclass(frozen=True)
class Funnel:
    """Discoveries logged in a period, and how many of them got each step further."""

    logged: int
    acknowledged: int
    actioned: int
    realised: int


@dataclass(frozen=True)
class TrendLoops:
    """Per week, its loops, counts per route and completeness; the loop timing of the cohort
    weeks; the funnel of all the weeks."""

    weeks: tuple[LoopWeek, ...]
    timing: LoopTiming
    funnel: Funnel
    series: dict[str, list[int]]  # per route asked for: its discoveries each week, routed now
    completeness: tuple[Completeness, ...]  # per week: how many have a value, an event, evidence


def trend_loops(
    *, session: Session, team_id: str | None, edges: Sequence[datetime], as_of: datetime,
    cohort_weeks: int = 0, routes: Sequence[str] = (),
) -> TrendLoops:  # fmt: skip
    """The loops of a workspace's live discoveries logged in each week [edges[i], edges[i+1]),
    as of `as_of`.

    weeks: as weekly_loops. timing: of the `cohort_weeks` weeks before the last (closed:
    actioned or declined before `as_of`; answered: moved from new before it). funnel: of the
    discoveries logged from edges[0] until `as_of`, how many a current route acknowledged or
    actioned, and how many any route realised (now, as the follow-through digest says it).
    series: per one of `routes`, the week's discoveries on it now (one on two routes counts
    on both; one re-routed away, on its new route only).

    A week kept (storage.queries.digest_kept) whose figures stand at `as_of` is read, not
    counted: only the others are.
    """
    count = len(edges) - 1
    spans = list(itertools.pairwise(edges))
    kept = kept_weeks(session=session, team_id=team_id, edges=edges)
    standing = {i: kept[span] for i, span in enumerate(spans) if span in kept}
    standing = {i: week for i, week in standing.items() if week.stands_at(as_of)}
    tally: Tally = Counter()
    for index, week in standing.items():
        for flags, on, n in week.tally:
            tally[index, flags, on] += n
    counted = [i for i in range(count) if i not in standing]
    if counted:
        for week, flags, on, n in session.exec(_tally(team_id, edges, as_of, counted)):
            tally[week, flags, on or ""] += n
    seconds = [
        standing[i].seconds if i in standing else _seconds(session, team_id, spans[i], as_of)
        for i in range(count)
    ]

    def median(weeks: range) -> float | None:
        return _middle(sorted(itertools.chain.from_iterable(seconds[i] for i in weeks)))

    cohort = range(count - 1 - cohort_weeks, count - 1) if cohort_weeks else range(0)
    return TrendLoops(
        weeks=tuple(_week(tally, i, median(range(i, i + 1))) for i in range(count)),
        timing=_timing(tally, cohort, median(cohort)),
        funnel=_funnel(tally),
        series={route: _on_route(tally, count, route) for route in routes},
        completeness=tuple(_completeness(tally, index) for index in range(count)),
    )


def keep_trend_week(
    *, session: Session, team_id: str | None, start: datetime, end: datetime, now: datetime
) -> bool:
    """Count the week [start, end) as it stands once its loops settle, and keep it, in this
    write transaction; False if it is kept already, or cannot be (a discovery realised
    before it was logged counts as of the trend's first week, not its own)."""
    lock_kept(session)
    if kept_weeks(session=session, team_id=team_id, edges=(start, end), seconds=False):
        return False
    flags = _flags(start, SETTLED).label("flags")
    on = col(Discovery.routes_now)
    moments = [col(getattr(Discovery, name)) for name in MOMENTS]
    first_realised = sa.func.min(col(Discovery.realised_at))
    query = (
        sa.select(flags, on, sa.func.count(), *map(sa.func.max, moments), first_realised)
        .where(logged_between(start, end, team_id))
        .group_by(flags, on)
    )
    rows = session.exec(query).all()
    if any(row[-1] is not None and row[-1] < start for row in rows):
        return False
    latest = [moment for row in rows for moment in row[3:-1] if moment is not None]
    themes = theme_values(session)
    per_theme = sa.select(themes.c.value, sa.func.count()).select_from(Discovery)
    per_theme = per_theme.join(themes, sa.true()).where(logged_between(start, end, team_id))
    week = KeptWeek(
        tally=tuple((row[0], row[1] or "", row[2]) for row in rows),
        seconds=_seconds(session, team_id, (start, end), SETTLED),
        settled_at=max(latest, default=None),
        themes=dict(session.exec(per_theme.group_by(themes.c.value)).all()),
    )
    keep_week(session=session, team_id=team_id, start=start, end=end, week=week, now=now)
    return True


def _completeness(tally: Tally, index: int) -> Completeness:
    def having(bit: int) -> int:
        return sum(n for (week, flags, _), n in tally.items() if week == index and flags & bit)

    total = sum(n for (week, _, _), n in tally.items() if week == index)
    return Completeness(total, having(VALUED), having(WITH_EVENT), having(WITH_EVIDENCE))


def _on_route(tally: Tally, count: int, route: str) -> list[int]:
    weeks = [0] * count
    for (week, _, on), n in tally.items():
        if route in routes_of(on):
            weeks[week] += n
    return weeks


def _having(tally: Tally, weeks: range, bit: int) -> Iterator[int]:
    """The counts of the weeks' discoveries that have `bit` (all of them: 0)."""
    return (n for (week, flags, _), n in tally.items() if week in weeks and flags & bit == bit)


def _week(tally: Tally, index: int, median: float | None) -> LoopWeek:
    def having(bit: int) -> int:
        return sum(_having(tally, range(index, index + 1), bit))

    logged = having(0)
    if not logged:
        return LoopWeek(0, 0, 0, None)
    return LoopWeek(logged, having(ANSWERED), having(ACTIONED), median, having(REALISED))


def _timing(tally: Tally, cohort: range, median: float | None) -> LoopTiming:
    size = sum(_having(tally, cohort, 0))
    if not size:
        return LoopTiming(0, 0, 0, None)
    closed, answered = (
        sum(_having(tally, cohort, CLOSED_BIT)),
        sum(_having(tally, cohort, ANSWERED)),
    )
    return LoopTiming(size, closed, answered, median)


def _funnel(tally: Tally) -> Funnel:
    def having(bit: int) -> int:
        return sum(n for (_, flags, _), n in tally.items() if flags & BY_AS_OF and flags & bit)

    return Funnel(
        having(BY_AS_OF), having(ACKNOWLEDGED_NOW), having(ACTIONED_NOW), having(REALISED_EVER)
    )


def _seconds(
    session: Session, team_id: str | None, span: tuple[datetime, datetime], as_of: datetime
) -> list[float]:
    """The seconds to a first answer of the span's discoveries answered before `as_of`, sorted."""
    answered = col(Discovery.answered_at)
    seconds = seconds_between(session, col(Discovery.created_at), answered)
    query = sa.select(seconds).where(logged_between(*span, team_id), answered < as_of)
    return sorted(session.connection().execute(query).scalars())  # plain rows, as week_rows


def _middle(seconds: Sequence[float]) -> float | None:
    """The middle of sorted seconds, or the mean of the two middle ones (as the digests always
    said it)."""
    if not seconds:
        return None
    count = len(seconds)
    low, high = (count + 1) // 2 - 1, (count + 2) // 2 - 1
    middle = seconds[low : high + 1]
    return sum(middle) / len(middle)


def _tally(
    team_id: str | None, edges: Sequence[datetime], as_of: datetime, weeks: Sequence[int]
) -> Any:
    """(week, flags, routes now, discoveries) over the weeks of `weeks` (their indexes): each
    week one index range of discoveries, grouped in the database, reading only the loop facts
    on their rows (UNION ALL'd: a CASE over the edges per row was 3x slower on SQLite)."""
    flags = _flags(edges[0], as_of).label("flags")
    on = col(Discovery.routes_now)
    spans = list(itertools.pairwise(edges))
    selects = [
        sa.select(sa.literal(index, sa.Integer).label("week"), flags, on, sa.func.count())
        .where(logged_between(*spans[index], team_id))
        .group_by(flags, on)
        for index in weeks
    ]
    return sa.union_all(*selects)


def _flags(since: datetime, as_of: datetime) -> Any:
    """What became of a discovery by `as_of` (and now), as the bits above, from its row."""
    realised = col(Discovery.realised_at)
    facts = (
        (col(Discovery.actioned_at) < as_of, ACTIONED),
        (col(Discovery.closed_at) < as_of, CLOSED_BIT),
        # It realised after it was logged, in the trend's weeks: its first realised moment says.
        (sa.and_(realised >= since, realised <= as_of), REALISED),
        (col(Discovery.furthest_answer) == Status.ACTIONED, ACKNOWLEDGED_NOW | ACTIONED_NOW),
        (col(Discovery.furthest_answer) == Status.ACKNOWLEDGED, ACKNOWLEDGED_NOW),
        (realised >= since, REALISED_EVER),
        (col(Discovery.created_at) < as_of, BY_AS_OF),
        (col(Discovery.answered_at) < as_of, ANSWERED),
        *zip(completeness_conditions(), (VALUED, WITH_EVENT, WITH_EVIDENCE), strict=True),
    )
    return sum(sa.case((fact, bit), else_=0) for fact, bit in facts)
