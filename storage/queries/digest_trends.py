"""The coach's and the scouts' weekly figures, aggregated in the database over indexed ranges."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from storage.enums import DiscoveryStatus
from storage.models import Discovery, DiscoveryRoute, StatusChange
from storage.queries._dialect import is_postgres
from storage.queries.digest_figures import (
    CLOSED,
    LINE_COLUMNS,
    REACHED,
    DiscoveryLine,
    LoopLine,
    changed_between,
    live,
    logged_between,
    theme_values,
)

Status = DiscoveryStatus


@dataclass(frozen=True)
class Completeness:
    """Of the discoveries logged in a week: how many, and how many have each optional part."""

    total: int
    valued: int
    with_event: int
    with_evidence: int


@dataclass(frozen=True)
class LoopTiming:
    """A cohort's loops as of a moment: size, closed, answered, median seconds to an answer."""

    cohort: int
    closed: int
    answered: int
    median_seconds: float | None


@dataclass(frozen=True)
class ThemeTrend:
    """A theme's discoveries this week and in the weeks before (their total)."""

    theme: str
    this_week: int
    before: int


def weekly_counts(
    *, session: Session, edges: Sequence[datetime], routes: Sequence[str]
) -> dict[str, list[int]]:
    """Discoveries per current route in each [edges[i], edges[i+1]): one indexed range, bucketed.
    Every one of `routes` has a series; a route no longer listed is left out."""
    created = col(Discovery.created_at)
    bucket = sa.case(*[(created < edge, index) for index, edge in enumerate(edges[1:])])
    current = sa.and_(
        col(DiscoveryRoute.discovery_id) == col(Discovery.id),
        col(DiscoveryRoute.rerouted_to).is_(None),
    )
    query = (
        sa.select(col(DiscoveryRoute.route), bucket, sa.func.count())
        .select_from(Discovery)
        .join(DiscoveryRoute, current)
        .where(logged_between(edges[0], edges[-1]))
        .group_by(col(DiscoveryRoute.route), bucket)
    )
    series = {route: [0] * (len(edges) - 1) for route in routes}
    for route, index, count in session.exec(query).all():
        if route in series:
            series[route][index] = count
    return series


def participation(
    *, session: Session, start: datetime, end: datetime, limit: int
) -> tuple[int, int, list[str]]:
    """Scouts who logged in [start, end), how many of them for the first time ever, the first few."""
    in_week = logged_between(start, end)
    scout = col(Discovery.scout_user_id)
    active = sa.select(sa.func.count(sa.distinct(scout))).where(in_week)
    earlier = aliased(Discovery)
    before = sa.select(earlier.id).where(earlier.scout_user_id == scout, earlier.created_at < start)
    # Grouped first, then one look back per scout (hundreds), not per discovery (thousands).
    first = sa.select(scout, sa.func.min(col(Discovery.created_at)).label("seen"))
    first = first.where(in_week).group_by(scout).having(~before.exists()).subquery()
    counted = sa.select(sa.func.count()).select_from(first)
    listed = sa.select(first.c.scout_user_id).order_by(first.c.seen, first.c.scout_user_id)
    names = list(session.exec(listed.limit(limit)).scalars())
    return session.exec(active).one()[0], session.exec(counted).one()[0], names


def completeness(*, session: Session, start: datetime, end: datetime) -> Completeness:
    """How complete the discoveries of [start, end) are: value, compelling event, evidence."""
    query = sa.select(
        sa.func.count(),
        _share(_valued()),
        _share(_filled(Discovery.event_pressure) | col(Discovery.event_date).is_not(None)),
        _share(_filled(Discovery.evidence) | _filled(Discovery.evidence_url)),
    ).where(logged_between(start, end))
    total, valued, event, evidence = session.exec(query).one()
    return Completeness(total, valued or 0, event or 0, evidence or 0)


def _share(condition: sa.ColumnElement[bool]) -> Any:
    return sa.func.sum(sa.case((condition, 1), else_=0))


def _filled(column: Any) -> sa.ColumnElement[bool]:
    return sa.and_(col(column).is_not(None), sa.func.trim(col(column)) != "")


def _valued() -> sa.ColumnElement[bool]:
    known = col(Discovery.value_band).is_not(None) & (col(Discovery.value_band) != "unknown")
    return col(Discovery.value_amount).is_not(None) | known


def loop_timing(*, session: Session, start: datetime, end: datetime, as_of: datetime) -> LoopTiming:
    """The loops of discoveries logged in [start, end), as they stood at `as_of`.

    closed: actioned or declined before `as_of`. answered: moved away from new (by
    anyone, to any status, re-routes aside) before `as_of`; the median is over those,
    of the time from logging to that first answer. One pass in the database: window
    counts and a ROW_NUMBER by duration pick the middle rows, so no list is fetched.
    """
    cohort = _cohort(session, start, end, as_of)
    seconds = cohort.c.seconds
    ranked = sa.select(
        seconds, sa.func.count().over().label("size"),
        sa.func.count(seconds).over().label("answered"),
        sa.func.sum(sa.case((cohort.c.closed, 1), else_=0)).over().label("closed"),
        sa.func.row_number().over(order_by=(seconds.is_(None), seconds)).label("rank"),
    ).subquery()  # fmt: skip
    answered = ranked.c.answered
    middle = (ranked.c.rank == 1) | (ranked.c.rank == (answered + 1) / 2)
    query = sa.select(ranked).where(middle | (ranked.c.rank == (answered + 2) / 2))
    rows = session.exec(query.order_by(ranked.c.rank)).all()
    if not rows:
        return LoopTiming(0, 0, 0, None)
    size, count, closed = rows[0].size, rows[0].answered, rows[0].closed or 0
    middles = {(count + 1) // 2, (count + 2) // 2} if count else set()
    values = [float(row.seconds) for row in rows if row.rank in middles]
    return LoopTiming(size, closed, count, sum(values) / len(values) if values else None)


def _cohort(session: Session, start: datetime, end: datetime, as_of: datetime) -> Any:
    """The cohort's discoveries with seconds to a first answer (or NULL) and a closed flag."""
    # One grouped pass over the cohort and its changes: correlated subqueries here were
    # evaluated again for every window function that used them (1.1 s for 80,000 rows).
    change = sa.and_(
        col(StatusChange.discovery_id) == col(Discovery.id),
        col(StatusChange.rerouted_to).is_(None),
        col(StatusChange.at) < as_of,
    )
    answered = sa.and_(
        col(StatusChange.from_status) == Status.NEW, col(StatusChange.to_status).in_(REACHED)
    )
    first = sa.func.min(sa.case((answered, col(StatusChange.at))))
    closed = sa.func.max(sa.case((col(StatusChange.to_status).in_(CLOSED), 1), else_=0))
    seconds = _seconds_between(session, col(Discovery.created_at), first)
    return (
        sa.select(seconds.label("seconds"), (closed == 1).label("closed"))
        .select_from(Discovery)
        .outerjoin(StatusChange, change)
        .where(logged_between(start, end))
        .group_by(col(Discovery.id), col(Discovery.created_at))
        .subquery()
    )


def _seconds_between(session: Session, earlier: Any, later: Any) -> Any:
    """later − earlier in seconds (NULL if either is), in each dialect's arithmetic."""
    if is_postgres(session):
        return sa.extract("epoch", later - earlier)
    return (sa.func.julianday(later) - sa.func.julianday(earlier)) * 86400.0


def theme_trends(
    *, session: Session, before: datetime, start: datetime, end: datetime
) -> list[ThemeTrend]:
    """Per theme: discoveries in [start, end), and in [before, start)."""
    themes = theme_values(session)
    this_week = col(Discovery.created_at) >= start
    query = (
        sa.select(themes.c.value, _share(this_week), _share(~this_week))
        .select_from(Discovery)
        .join(themes, sa.true())
        .where(logged_between(before, end))
        .group_by(themes.c.value)
        .order_by(themes.c.value)
    )
    return [ThemeTrend(theme, now or 0, then or 0) for theme, now, then in session.exec(query)]


# --- scouts -------------------------------------------------------------------------------------


def scout_logged(
    *, session: Session, start: datetime, end: datetime, per_scout: int
) -> dict[str, tuple[int, list[DiscoveryLine]]]:
    """Per scout who logged in [start, end): how many, and the first few."""
    scout = col(Discovery.scout_user_id)
    counts = sa.select(scout, sa.func.count()).where(logged_between(start, end)).group_by(scout)
    rank = sa.func.row_number().over(
        partition_by=scout, order_by=(col(Discovery.created_at), col(Discovery.id))
    )
    ranked = sa.select(*LINE_COLUMNS, rank.label("rank")).where(logged_between(start, end))
    ranked = ranked.subquery()
    listed = sa.select(ranked).where(ranked.c.rank <= per_scout).order_by(ranked.c.rank)
    news: dict[str, tuple[int, list[DiscoveryLine]]] = {
        user: (count, []) for user, count in session.exec(counts).all()
    }
    for row in session.exec(listed).all():
        news[row.scout_user_id][1].append(DiscoveryLine(*row[: len(LINE_COLUMNS)]))
    return news


def scout_changes(
    *, session: Session, start: datetime, end: datetime, per_scout: int
) -> dict[str, tuple[int, list[LoopLine]]]:
    """Per scout: how many of their discoveries were answered in [start, end), the first few."""
    discovery = col(StatusChange.discovery_id)
    scout = col(Discovery.scout_user_id)
    joined = sa.select().select_from(StatusChange).join(Discovery, col(Discovery.id) == discovery)
    joined = joined.where(changed_between(start, end, REACHED), live())
    counts = joined.add_columns(scout, sa.func.count()).group_by(scout)
    rank = sa.func.row_number().over(
        partition_by=scout, order_by=(col(StatusChange.at), col(StatusChange.id))
    )
    ranked = joined.add_columns(
        discovery, col(Discovery.account), scout, col(StatusChange.to_status),
        col(StatusChange.actor_user_id), col(StatusChange.at), col(StatusChange.outcome_kind),
        col(StatusChange.note), col(StatusChange.link), rank.label("rank"),
    ).subquery()  # fmt: skip
    listed = sa.select(ranked).where(ranked.c.rank <= per_scout).order_by(ranked.c.rank)
    news: dict[str, tuple[int, list[LoopLine]]] = {
        user: (count, []) for user, count in session.exec(counts).all()
    }
    for row in session.exec(listed).all():
        news[row.scout_user_id][1].append(LoopLine(*row[:9]))
    return news
