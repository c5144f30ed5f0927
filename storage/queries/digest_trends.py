"""The coach's and the scouts' weekly figures, aggregated in the database over indexed ranges."""

from __future__ import annotations

from collections import Counter
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
    REACHED,
    LoopLine,
    changed_between,
    live,
    logged_between,
    theme_values,
)
from storage.queries.digest_kept import kept_weeks

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


def participation(
    *, session: Session, team_id: str | None, start: datetime, end: datetime, limit: int
) -> tuple[int, int, list[str]]:
    """A workspace's scouts who logged in [start, end), how many of them for the first time
    ever, the first few."""
    in_week = logged_between(start, end, team_id)
    scout = col(Discovery.scout_user_id)
    active = sa.select(sa.func.count(sa.distinct(scout))).where(in_week)
    earlier = aliased(Discovery)
    before = sa.select(earlier.id).where(earlier.scout_user_id == scout, earlier.created_at < start)
    # No team filter on the look back: a Slack user id is one person's, whichever workspace
    # (with one, PostgreSQL scanned the table for it, tests/e2e/test_hot_path_plans.py).
    # Grouped first, then one look back per scout (hundreds), not per discovery (thousands).
    first = sa.select(scout, sa.func.min(col(Discovery.created_at)).label("seen"))
    first = first.where(in_week).group_by(scout).having(~before.exists()).subquery()
    listed = sa.select(first.c.scout_user_id).order_by(first.c.seen, first.c.scout_user_id)
    # All of them (a few a week), counted here: a count of its own grouped the week again.
    names = list(session.exec(listed).scalars())
    return session.exec(active).one()[0], len(names), names[:limit]


def completeness_conditions() -> tuple[sa.ColumnElement[bool], ...]:
    """Whether a discovery has a value, a compelling event, evidence (what Completeness counts)."""
    return (
        _valued(),
        _filled(Discovery.event_pressure) | col(Discovery.event_date).is_not(None),
        _filled(Discovery.evidence) | _filled(Discovery.evidence_url),
    )


def _share(condition: sa.ColumnElement[bool]) -> Any:
    return sa.func.sum(sa.case((condition, 1), else_=0))


def _filled(column: Any) -> sa.ColumnElement[bool]:
    return sa.and_(col(column).is_not(None), sa.func.trim(col(column)) != "")


def _valued() -> sa.ColumnElement[bool]:
    known = col(Discovery.value_band).is_not(None) & (col(Discovery.value_band) != "unknown")
    return col(Discovery.value_amount).is_not(None) | known


def seconds_between(session: Session, earlier: Any, later: Any) -> Any:
    """later − earlier in seconds (NULL if either is), in each dialect's arithmetic."""
    return _seconds_between(session, earlier, later)


def _seconds_between(session: Session, earlier: Any, later: Any) -> Any:
    """later − earlier in seconds (NULL if either is), in each dialect's arithmetic."""
    if is_postgres(session):
        # EXTRACT gives numeric: a float sorts the cohort for the median faster, loses nothing.
        return sa.cast(sa.extract("epoch", later - earlier), sa.Float)
    return (sa.func.julianday(later) - sa.func.julianday(earlier)) * 86400.0


def theme_trends(
    *, session: Session, team_id: str | None, before: datetime, start: datetime, end: datetime,
    weeks: Sequence[datetime] = (),
) -> list[ThemeTrend]:  # fmt: skip
    """Per theme: discoveries in [start, end), and in [before, start); `weeks`: where the weeks
    of [before, start) start, and start: when all are kept (storage.queries.digest_kept),
    their counts are read, and only [start, end) is counted."""
    kept = kept_weeks(session=session, team_id=team_id, edges=weeks, seconds=False) if weeks else {}
    if weeks and len(kept) == len(weeks) - 1:
        counted = _themes_between(session, team_id, start, end)
        earlier: Counter[str] = Counter()
        for week in kept.values():
            earlier.update(week.themes)
        names = sorted(set(counted) | set(earlier))
        return [ThemeTrend(name, counted.get(name, 0), earlier[name]) for name in names]
    themes = theme_values(session)
    this_week = col(Discovery.created_at) >= start
    query = (
        sa.select(themes.c.value, _share(this_week), _share(~this_week))
        .select_from(Discovery)
        .join(themes, sa.true())
        .where(logged_between(before, end, team_id))
        .group_by(themes.c.value)
        .order_by(themes.c.value)
    )
    return [ThemeTrend(theme, now or 0, then or 0) for theme, now, then in session.exec(query)]


def _themes_between(
    session: Session, team_id: str | None, start: datetime, end: datetime
) -> dict[str, int]:
    """Per theme, the live discoveries logged in [start, end)."""
    themes = theme_values(session)
    query = sa.select(themes.c.value, sa.func.count()).select_from(Discovery)
    query = query.join(themes, sa.true()).where(logged_between(start, end, team_id))
    return dict(session.exec(query.group_by(themes.c.value)).all())


# --- scouts -------------------------------------------------------------------------------------


def scout_changes(
    *, session: Session, team_id: str | None, start: datetime, end: datetime, per_scout: int
) -> dict[str, tuple[int, list[LoopLine]]]:
    """Per scout: how many of their discoveries were answered in [start, end), the first few."""
    discovery = col(StatusChange.discovery_id)
    of_discovery = col(Discovery.id) == discovery
    changes = sa.select(col(StatusChange.id).label("id")).join(Discovery, of_discovery)
    ranked = _per_scout(
        changes.where(changed_between(start, end, REACHED, team_id), live(team_id)),
        col(Discovery.scout_user_id), (col(StatusChange.at), col(StatusChange.id)),
    )  # fmt: skip
    listed = sa.select(
        discovery, col(Discovery.account), col(Discovery.scout_user_id),
        col(StatusChange.to_status), col(StatusChange.actor_user_id), col(StatusChange.at),
        col(StatusChange.outcome_kind), col(StatusChange.note), col(StatusChange.link),
        ranked.c.count, col(DiscoveryRoute.route),
    ).join(ranked, ranked.c.id == StatusChange.id).join(Discovery, of_discovery)  # fmt: skip
    # Which team answered: the scout reads each team's answer as its own.
    listed = listed.outerjoin(DiscoveryRoute, col(DiscoveryRoute.id) == StatusChange.route_id)
    rows = session.exec(listed.where(ranked.c.rank <= per_scout).order_by(ranked.c.rank))
    return _gathered(rows, lambda row: LoopLine(*row[:9], route=row.route))


def _per_scout(ids: Any, scout: Any, order: tuple[Any, ...]) -> Any:
    """`ids` with each scout's count and each row's rank within its scout, as a subquery.

    Only ids are ranked: the wide columns are read for the few rows listed, not sorted for all.
    """
    return ids.add_columns(
        sa.func.count().over(partition_by=scout).label("count"),
        sa.func.row_number().over(partition_by=scout, order_by=order).label("rank"),
    ).subquery()


def _gathered(rows: Any, make: Any) -> dict[str, tuple[int, list[Any]]]:
    """Rows listed per scout (in rank order), with each scout's count: scout -> (count, items)."""
    news: dict[str, tuple[int, list[Any]]] = {}
    for row in rows:
        news.setdefault(row.scout_user_id, (row.count, []))[1].append(make(row))
    return news
