"""The coaches' trend in one pass: each discovery of the trend's weeks read once, with its
first answer, what became of it and its current routes; the medians taken here from the
sorted seconds.

The chart's weekly loops, the loop timing of the four weeks before this one, the
follow-through funnel and the counts per route and week each read the same discoveries
(230,000 at 20,000 a week): 2.5 s of a 5.5 s build on SQLite at 1,000,000 (bench/digest.py),
more than half of it in window functions sorting every row for the medians; on PostgreSQL
the funnel and the route counts cost 2.5 s more. Now one grouped pass returns a week, the
seconds to a first answer, a few flags and route bits per discovery; they are tallied as
they stream by, and only each week's seconds are kept (8 bytes each) for the medians.
"""

from __future__ import annotations

import itertools
from array import array
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlmodel import Session, col

from storage.enums import DiscoveryStatus
from storage.models import Discovery, DiscoveryRoute, StageChange, StatusChange
from storage.queries.digest_figures import CLOSED, logged_between
from storage.queries.digest_trends import (
    Completeness,
    LoopTiming,
    completeness_conditions,
    loop_changes,
    seconds_between,
)

Status = DiscoveryStatus

# What became of a discovery, as bits of one number (one column to fetch and tally).
# As of the moment: actioned; closed (actioned or declined); realised since edges[0].
ACTIONED, CLOSED_BIT, REALISED = 1, 2, 4
ACKNOWLEDGED_NOW, ACTIONED_NOW = 8, 16  # a current route acknowledged (or actioned), actioned
REALISED_EVER, BY_AS_OF = 32, 64  # any route realised, ever; logged before the moment
VALUED, WITH_EVENT, WITH_EVIDENCE = 128, 256, 512  # what it has (Completeness counts them)
MAX_ROUTES = 62  # a bit each in the routes a discovery is on now (a 64-bit sum)
Tally = Counter[tuple[int, int, int]]  # (week, flags, route bits) -> discoveries


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
    *, session: Session, edges: Sequence[datetime], as_of: datetime, cohort_weeks: int = 0,
    routes: Sequence[str] = (),
) -> TrendLoops:  # fmt: skip
    """The loops of the live discoveries logged in each week [edges[i], edges[i+1]), as of `as_of`.

    weeks: as weekly_loops. timing: of the `cohort_weeks` weeks before the last (closed:
    actioned or declined before `as_of`; answered: moved from new before it). funnel: of the
    discoveries logged from edges[0] until `as_of`, how many a current route acknowledged or
    actioned, and how many any route realised (now, as the follow-through digest says it).
    series: per one of `routes`, the week's discoveries on it now (one on two routes counts
    on both; one re-routed away, on its new route only).
    """
    if len(routes) > MAX_ROUTES:
        raise ValueError(f"at most {MAX_ROUTES} routes fit in the trend's route bits")
    count = len(edges) - 1
    tally: Tally = Counter()
    seconds = [array("d") for _ in range(count)]
    for week, answer, flags, on in session.exec(_rows(session, edges, as_of, routes)):
        tally[week, flags, on or 0] += 1
        if answer is not None:
            seconds[week].append(answer)
    cohort = range(count - 1 - cohort_weeks, count - 1) if cohort_weeks else range(0)
    return TrendLoops(
        weeks=tuple(_week(tally, index, seconds[index]) for index in range(count)),
        timing=_timing(tally, cohort, [seconds[index] for index in cohort]),
        funnel=_funnel(tally),
        series={route: _on_route(tally, count, 1 << bit) for bit, route in enumerate(routes)},
        completeness=tuple(_completeness(tally, index) for index in range(count)),
    )


def _completeness(tally: Tally, index: int) -> Completeness:
    def having(bit: int) -> int:
        return sum(n for (week, flags, _), n in tally.items() if week == index and flags & bit)

    total = sum(n for (week, _, _), n in tally.items() if week == index)
    return Completeness(total, having(VALUED), having(WITH_EVENT), having(WITH_EVIDENCE))


def _on_route(tally: Tally, count: int, bit: int) -> list[int]:
    weeks = [0] * count
    for (week, _, on), n in tally.items():
        if on & bit:
            weeks[week] += n
    return weeks


def _week(tally: Tally, index: int, seconds: array[float]) -> LoopWeek:
    def having(bit: int) -> int:
        return sum(n for (week, flags, _), n in tally.items() if week == index and flags & bit)

    logged = sum(n for (week, _, _), n in tally.items() if week == index)
    if not logged:
        return LoopWeek(0, 0, 0, None)
    return LoopWeek(logged, len(seconds), having(ACTIONED), _median(seconds), having(REALISED))


def _timing(tally: Tally, cohort: range, seconds: list[array[float]]) -> LoopTiming:
    size = sum(n for (week, _, _), n in tally.items() if week in cohort)
    if not size:
        return LoopTiming(0, 0, 0, None)
    closed = sum(n for (week, f, _), n in tally.items() if week in cohort and f & CLOSED_BIT)
    answered = array("d", itertools.chain.from_iterable(seconds))
    return LoopTiming(size, closed, len(answered), _median(answered))


def _funnel(tally: Tally) -> Funnel:
    def having(bit: int) -> int:
        return sum(n for (_, flags, _), n in tally.items() if flags & BY_AS_OF and flags & bit)

    return Funnel(
        having(BY_AS_OF), having(ACKNOWLEDGED_NOW), having(ACTIONED_NOW), having(REALISED_EVER)
    )


def _median(values: array[float]) -> float | None:
    """The middle value, or the mean of the two middle ones (as the digests always said it)."""
    if not values:
        return None
    ordered = sorted(values)
    count = len(ordered)
    middles = {(count + 1) // 2 - 1, (count + 2) // 2 - 1}
    return sum(ordered[i] for i in sorted(middles)) / len(middles)


def _rows(
    session: Session, edges: Sequence[datetime], as_of: datetime, routes: Sequence[str]
) -> Any:
    """(week, seconds to the first answer or NULL, flags, route bits) per discovery: one indexed
    range per week, UNION ALL'd (a CASE over the edges per row was 3x slower on SQLite),
    each grouped as read."""
    # Sets read once from a range of stage changes (a discovery realises after it was logged,
    # so from edges[0] on), where an EXISTS per discovery looked each of 230,000 up.
    since = sa.select(col(StageChange.discovery_id)).where(
        col(StageChange.realised), col(StageChange.at) >= edges[0]
    )
    realised = (since.where(col(StageChange.at) <= as_of), since)  # then; ever (to now)
    weeks = [
        _week_rows(session, index, start, end, as_of, realised, routes)
        for index, (start, end) in enumerate(itertools.pairwise(edges))
    ]
    return sa.union_all(*weeks)


def _week_rows(
    session: Session, index: int, start: datetime, end: datetime, as_of: datetime,
    realised: tuple[Any, Any], routes: Sequence[str],
) -> Any:  # fmt: skip
    change, first = loop_changes(as_of)
    realised_then, realised_ever = realised
    to_status = col(StatusChange.to_status)
    flags = (
        sa.func.max(sa.case((to_status == Status.ACTIONED, ACTIONED), else_=0))
        + sa.func.max(sa.case((to_status.in_(CLOSED), CLOSED_BIT), else_=0))
        + sa.case((col(Discovery.id).in_(realised_then), REALISED), else_=0)
        + sa.func.coalesce(sa.func.max(_route_status_bits()), 0)
        + sa.case((col(Discovery.id).in_(realised_ever), REALISED_EVER), else_=0)
        + sa.case((col(Discovery.created_at) < as_of, BY_AS_OF), else_=0)
        + sum(
            sa.case((has, bit), else_=0)
            for has, bit in zip(
                completeness_conditions(), (VALUED, WITH_EVENT, WITH_EVIDENCE), strict=True
            )
        )
    )
    current = sa.and_(
        col(DiscoveryRoute.discovery_id) == col(Discovery.id),
        col(DiscoveryRoute.rerouted_to).is_(None),
    )
    return (
        sa.select(
            sa.literal(index, sa.Integer).label("week"),
            seconds_between(session, col(Discovery.created_at), first).label("seconds"),
            flags.label("flags"),
            _route_bits(routes).label("routes"),
        )
        .select_from(Discovery)
        # Its changes × its current routes: every aggregate here is a min, a max or distinct.
        .outerjoin(StatusChange, change)
        .outerjoin(DiscoveryRoute, current)
        .where(logged_between(start, end))
        # In the order of the (created_at, status) index that finds the week: grouped as read.
        .group_by(col(Discovery.created_at), col(Discovery.status), col(Discovery.id))
    )


def _route_status_bits() -> Any:
    """A current route's answer: 24 if it actioned the discovery (acknowledged too, as the
    funnel counts it), 8 if it acknowledged it, else 0."""
    status = col(DiscoveryRoute.status)
    return sa.case(
        (status == Status.ACTIONED, ACKNOWLEDGED_NOW | ACTIONED_NOW),
        (status == Status.ACKNOWLEDGED, ACKNOWLEDGED_NOW),
        else_=0,
    )


def _route_bits(routes: Sequence[str]) -> Any:
    """The routes asked for that the discovery is on now, a bit each (a distinct sum: an OR)."""
    if not routes:
        return sa.literal(0, sa.BigInteger)
    bit = sa.case(
        *((col(DiscoveryRoute.route) == route, 1 << n) for n, route in enumerate(routes)),
        else_=0,
    )
    return sa.func.sum(sa.distinct(bit))
