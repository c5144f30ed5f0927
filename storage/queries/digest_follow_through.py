"""Follow-through in the digests: value realised per week and per scout, the funnel from
logged to realised (per discovery), and the follow-ups left unanswered.

A stage change is realised when its stage was marked `realised` (won, shipped, published) as
it was recorded; a discovery is realised once any of its routes reached such a stage.
Withdrawn discoveries count nowhere. Each query is bounded by a time range or a LIMIT.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlmodel import Session, col, select

from storage.enums import DiscoveryStatus
from storage.models import Discovery, FollowUp, StageChange
from storage.queries.digest_figures import live
from storage.queries.digest_loops import Funnel, trend_loops

Status = DiscoveryStatus
OVERDUE_ASKS = 2  # asked on the follow-up date and once more: then it is overdue


@dataclass(frozen=True)
class RealisedWeek:
    """One week's realised value: how many discoveries, and what was won (base currency)."""

    start: datetime
    discoveries: int
    won: Decimal


@dataclass(frozen=True)
class RealisedScout:
    """A scout's realised outcomes in a period: discoveries realised, value won, and how many
    of each stage (won, shipped, published)."""

    scout_user_id: str
    discoveries: int
    won: Decimal
    stages: dict[str, int]


@dataclass(frozen=True)
class Overdue:
    """A follow-up asked about twice and still unanswered."""

    discovery_id: int
    account: str
    owner_user_id: str
    stage: str


def _realised(team_id: str | None, start: datetime, end: datetime) -> sa.Select:
    return (
        select(StageChange.discovery_id, StageChange.stage, StageChange.amount_base)
        .add_columns(StageChange.at, Discovery.scout_user_id)
        .join(Discovery, col(Discovery.id) == StageChange.discovery_id)
        .where(col(StageChange.realised), col(StageChange.at) >= start, col(StageChange.at) < end)
        .where(live(team_id))
    )


def realised_weeks(
    *, session: Session, team_id: str | None, edges: Sequence[datetime]
) -> list[RealisedWeek]:
    """Per week between consecutive edges: discoveries realised and value won in it."""
    weeks = [RealisedWeek(start, 0, Decimal(0)) for start in edges[:-1]]
    seen: list[set[int]] = [set() for _ in weeks]
    won = [Decimal(0) for _ in weeks]
    for discovery_id, _stage, amount, at, _scout in session.exec(
        _realised(team_id, edges[0], edges[-1])
    ):
        index = max(n for n, start in enumerate(edges[:-1]) if _aware(at) >= start)
        seen[index].add(discovery_id)
        won[index] += amount or 0
    return [
        RealisedWeek(week.start, len(ids), total)
        for week, ids, total in zip(weeks, seen, won, strict=True)
    ]


def realised_scouts(
    *, session: Session, team_id: str | None, start: datetime, end: datetime, limit: int
) -> list[RealisedScout]:
    """Scouts whose discoveries realised value in [start, end): most won first, then most
    discoveries realised."""
    found: dict[str, tuple[set[int], Decimal, dict[str, int]]] = {}
    for discovery_id, stage, amount, _at, scout in session.exec(_realised(team_id, start, end)):
        ids, won, stages = found.setdefault(scout, (set(), Decimal(0), {}))
        ids.add(discovery_id)
        stages[stage] = stages.get(stage, 0) + 1
        found[scout] = (ids, won + (amount or 0), stages)
    ranked = [RealisedScout(s, len(ids), won, st) for s, (ids, won, st) in found.items()]
    ranked.sort(key=lambda r: (-r.won, -r.discoveries, r.scout_user_id))
    return ranked[:limit]


def funnel(*, session: Session, team_id: str | None, start: datetime, end: datetime) -> Funnel:
    """The discoveries logged in [start, end), and how many of them were acknowledged (picked
    up by any team), actioned (by any team) and realised (any route won, shipped, published)."""
    return trend_loops(session=session, team_id=team_id, edges=[start, end], as_of=end).funnel


def overdue_follow_ups(
    *, session: Session, team_id: str | None, route: str, limit: int
) -> tuple[int, list[Overdue]]:
    """A route's follow-ups (of a workspace's live discoveries) asked about twice and still
    unanswered: how many, the oldest due."""
    # From the follow-ups only, each discovery looked up by id: a join let SQLite scan discoveries.
    of_it = col(Discovery.id) == col(FollowUp.discovery_id)
    account = select(Discovery.account).where(of_it).scalar_subquery()
    counts = sa.exists().where(of_it, live(team_id))
    overdue = (
        select(FollowUp.discovery_id, account, FollowUp.owner_user_id, FollowUp.stage)
        .where(FollowUp.route == route, col(FollowUp.asked) >= OVERDUE_ASKS)
        .where(col(FollowUp.due_on).is_not(None), counts)
    )
    count = session.exec(select(sa.func.count()).select_from(overdue.subquery())).one()
    rows = session.exec(overdue.order_by(col(FollowUp.due_on), col(FollowUp.id)).limit(limit))
    return int(count), [Overdue(*row) for row in rows.all()]


def _aware(at: datetime) -> datetime:
    """A stored moment as an aware UTC datetime (a naive one is UTC)."""
    return at if at.tzinfo else at.replace(tzinfo=UTC)
