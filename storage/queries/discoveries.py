"""What a scout has logged: their discoveries, newest first, and simple figures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from storage.enums import DiscoveryStatus
from storage.models import Discovery, DiscoveryRoute

REACHED = (DiscoveryStatus.ACKNOWLEDGED, DiscoveryStatus.ACTIONED, DiscoveryStatus.DECLINED)


@dataclass(frozen=True)
class ScoutFigures:
    """A scout's discoveries since a date: logged, acknowledged (or further), actioned."""

    logged: int
    acknowledged: int
    actioned: int


def scout_discoveries(
    *, session: Session, team_id: str, user_id: str, limit: int, offset: int = 0
) -> list[tuple[Discovery, list[DiscoveryRoute]]]:
    """One page of a scout's discoveries, newest first, each with where it was routed."""
    query = (
        select(Discovery)
        .where(Discovery.team_id == team_id, Discovery.scout_user_id == user_id)
        .order_by(col(Discovery.created_at).desc(), col(Discovery.id).desc())
        .offset(offset)
        .limit(limit)
    )
    discoveries = list(session.exec(query).all())
    routes: dict[int, list[DiscoveryRoute]] = {d.id: [] for d in discoveries}  # type: ignore[misc]
    found = select(DiscoveryRoute).where(col(DiscoveryRoute.discovery_id).in_(list(routes)))
    for route in session.exec(found.order_by(col(DiscoveryRoute.id))):
        routes[route.discovery_id].append(route)
    return [(d, routes[d.id]) for d in discoveries]  # type: ignore[index]


def scout_figures(*, session: Session, team_id: str, user_id: str, since: datetime) -> ScoutFigures:
    """How many discoveries the scout logged since a date, how many some team answered, and
    how many some team acted on (each discovery counted once, however many teams it reached)."""
    status = col(Discovery.status)
    acted_on = (
        select(DiscoveryRoute.id)
        .where(DiscoveryRoute.discovery_id == Discovery.id)
        .where(DiscoveryRoute.status == DiscoveryStatus.ACTIONED)
        .exists()
    )
    query = select(
        func.count(),
        func.count().filter(status.in_(REACHED)),
        func.count().filter(acted_on),
    ).where(
        Discovery.team_id == team_id,
        Discovery.scout_user_id == user_id,
        Discovery.created_at >= since,
    )
    logged, acknowledged, actioned = session.exec(query).one()
    return ScoutFigures(logged, acknowledged, actioned)
