"""Each scout's discoveries of a week with their loops, and the week's decline reasons."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import datetime
from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlmodel import Session, col

from storage.enums import DiscoveryStatus
from storage.models import Discovery, StageChange, StatusChange
from storage.queries.digest_figures import changed_between, logged_between
from storage.queries.digest_trends import (
    Completeness,
    completeness_columns,
    loop_changes,
    seconds_between,
)

Status = DiscoveryStatus


COLUMNS = (
    col(Discovery.id), col(Discovery.scout_user_id), col(Discovery.account),
    col(Discovery.outcome), col(Discovery.created_at), col(Discovery.who_cares),
    col(Discovery.evidence), col(Discovery.evidence_url), col(Discovery.value_amount),
    col(Discovery.value_band), col(Discovery.value_base), col(Discovery.event_date),
    col(Discovery.event_pressure), col(Discovery.quality_missing),
)  # fmt: skip


def scout_rows(
    *, session: Session, start: datetime, end: datetime, as_of: datetime
) -> list[dict[str, Any]]:
    """The live discoveries logged in [start, end), each once, with its loop as of `as_of`:
    seconds to the first answer (any team, re-routes aside) and whether any team actioned it.

    Each a mapping of bot.digests.quality.ScoutRow's fields (its own module is pure).
    """
    change, first = loop_changes(as_of)
    actioned = sa.func.max(sa.case((col(StatusChange.to_status) == Status.ACTIONED, 1), else_=0))
    seconds = seconds_between(session, col(Discovery.created_at), first)
    # Grouped by the primary key alone: its other columns depend on it (SQLite and PostgreSQL
    # both allow that), so the texts are read, never grouped. A join to a grouped subquery
    # instead was a nested scan on SQLite: 0.34 s for 962 rows, quadratic in the week.
    query = (
        sa.select(*COLUMNS, seconds.label("answer_seconds"), actioned.label("actioned"))
        .select_from(Discovery)
        .outerjoin(StatusChange, change)
        .where(logged_between(start, end))
        .group_by(col(Discovery.id))
        .order_by(col(Discovery.id))
    )
    return [
        {
            **row._mapping,
            "answer_seconds": _float(row.answer_seconds),
            "actioned": bool(row.actioned),
        }
        for row in session.exec(query)
    ]


def decline_reasons(*, session: Session, start: datetime, end: datetime) -> dict[str | None, int]:
    """Declines in [start, end) per reason key as stored (None: declined before reasons)."""
    kind = col(StatusChange.outcome_kind)
    query = (
        sa.select(kind, sa.func.count())
        .where(changed_between(start, end, (Status.DECLINED,)))
        .group_by(kind)
    )
    return {key: count for key, count in session.exec(query)}


def _float(value: object) -> float | None:
    return None if value is None else float(value)  # type: ignore[arg-type]


# --- the coach chart's twelve weeks ---------------------------------------------------------------


class LoopWeek(NamedTuple):
    """A week's discoveries and their loops as of a moment: answered, actioned, median to answer,
    realised (a route won, shipped or published)."""

    logged: int
    answered: int
    actioned: int
    median_seconds: float | None
    realised: int = 0


def weekly_completeness(*, session: Session, edges: Sequence[datetime]) -> list[Completeness]:
    """Per week [edges[i], edges[i+1]): discoveries and how many have a value, an event, evidence
    (one indexed range per week, UNION ALL'd, as weekly_counts)."""
    weeks = [
        sa.select(sa.literal(index, sa.Integer), *completeness_columns()).where(
            logged_between(start, end)
        )
        for index, (start, end) in enumerate(itertools.pairwise(edges))
    ]
    found = [Completeness(0, 0, 0, 0)] * (len(edges) - 1)
    for index, total, valued, event, evidence in session.exec(sa.union_all(*weeks)).all():
        found[index] = Completeness(total, valued or 0, event or 0, evidence or 0)
    return found


def weekly_loops(*, session: Session, edges: Sequence[datetime], as_of: datetime) -> list[LoopWeek]:
    """Per week [edges[i], edges[i+1]): its discoveries' loops as of `as_of`, each once.

    One grouped pass per week's range, then window counts per week and a ROW_NUMBER by
    duration pick each week's middle rows (as loop_timing): no list of durations is fetched.
    """
    realised = _realised_since(edges[0], as_of)
    cohort = sa.union_all(
        *(_week_cohort(session, index, start, end, as_of, realised)
          for index, (start, end) in enumerate(itertools.pairwise(edges)))
    ).subquery()  # fmt: skip
    week, seconds = cohort.c.week, cohort.c.seconds
    ranked = sa.select(
        week, seconds, sa.func.count().over(partition_by=week).label("size"),
        sa.func.count(seconds).over(partition_by=week).label("answered"),
        sa.func.sum(cohort.c.actioned).over(partition_by=week).label("actioned"),
        sa.func.sum(cohort.c.realised).over(partition_by=week).label("realised"),
        sa.func.row_number().over(partition_by=week, order_by=(seconds.is_(None), seconds))
        .label("rank"),
    ).subquery()  # fmt: skip
    answered, rank = ranked.c.answered, ranked.c.rank
    # Whole-number halves, as loop_timing: `/` divides exactly, and an even count's lower
    # middle was never read (its median was the upper middle value alone).
    middle = (rank == 1) | (rank == (answered + 1) // 2) | (rank == (answered + 2) // 2)
    found: list[LoopWeek | None] = [None] * (len(edges) - 1)
    middles: dict[int, list[float]] = {}
    for row in session.exec(sa.select(ranked).where(middle).order_by(ranked.c.week, rank)):
        found[row.week] = LoopWeek(
            row.size, row.answered, row.actioned or 0, None, row.realised or 0
        )
        if row.answered and row.rank in {(row.answered + 1) // 2, (row.answered + 2) // 2}:
            middles.setdefault(row.week, []).append(float(row.seconds))
    return [
        w._replace(median_seconds=_mean(middles.get(i))) if w else LoopWeek(0, 0, 0, None)
        for i, w in enumerate(found)
    ]


def _realised_since(start: datetime, as_of: datetime) -> Any:
    """The discoveries that realised value in [start, as_of]: a set read once from the range of
    stage changes (a discovery logged from `start` on realises after it), where an EXISTS per
    discovery and status change looked each of the trend's 230,000 up (0.45 s of the loops'
    1.1 s, SQLite at 1,000,000 discoveries)."""
    return sa.select(col(StageChange.discovery_id)).where(
        col(StageChange.realised), col(StageChange.at) >= start, col(StageChange.at) <= as_of
    )


def _week_cohort(
    session: Session, index: int, start: datetime, end: datetime, as_of: datetime, realised: Any
) -> Any:
    """A week's discoveries, each with seconds to its first answer (or NULL), actioned 0/1 and
    realised 0/1 (as of `as_of`: `realised` is _realised_since's set)."""
    change, first = loop_changes(as_of)
    actioned = sa.func.max(sa.case((col(StatusChange.to_status) == Status.ACTIONED, 1), else_=0))
    # Of the discovery (grouped by its id), not of each of its changes: once per discovery.
    realised = sa.case((col(Discovery.id).in_(realised), 1), else_=0)
    return (
        sa.select(
            sa.literal(index, sa.Integer).label("week"),
            seconds_between(session, col(Discovery.created_at), first).label("seconds"),
            actioned.label("actioned"),
            realised.label("realised"),
        )
        .select_from(Discovery)
        .outerjoin(StatusChange, change)
        .where(logged_between(start, end))
        # In the order of the (created_at, status) index that finds the week, as _cohort.
        .group_by(col(Discovery.created_at), col(Discovery.status), col(Discovery.id))
    )


def _mean(values: list[float] | None) -> float | None:
    return sum(values) / len(values) if values else None
