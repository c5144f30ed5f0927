"""Each team's own status: find the route a card belongs to, change it, derive the discovery's.

A discovery's status is never edited on its own: it is `overall()` of its current routes',
written in the transaction that changed one of them, with the discovery's row locked first
so that two teams answering at once (any process, any backend) derive it from both answers.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, col, select

from bot.domain.lifecycle import OPEN, Status, overall
from bot.domain.views import RouteView
from storage.enums import DiscoveryStatus
from storage.models import Discovery, DiscoveryRoute
from storage.queries.loop_facts import refresh_loop_facts


def lock_discovery(session: Session, discovery_id: int) -> Discovery | None:
    """The discovery, its row locked until commit (SQLite's BEGIN IMMEDIATE locks already)."""
    statement = select(Discovery).where(Discovery.id == discovery_id).with_for_update()
    return session.exec(statement).first()


def routes_of(session: Session, discovery_id: int) -> list[DiscoveryRoute]:
    """The discovery's routes, in the order they were made."""
    statement = (
        select(DiscoveryRoute)
        .where(DiscoveryRoute.discovery_id == discovery_id)
        .order_by(col(DiscoveryRoute.id))
    )
    return list(session.exec(statement))


def card_route(
    routes: Sequence[DiscoveryRoute | RouteView], *, channel_id: str, route: str | None
) -> DiscoveryRoute | RouteView | None:
    """The route of the card clicked: named by its buttons, or (cards drawn before they named
    it) the one in its channel, the current one first."""
    if route is not None:
        return next((r for r in routes if r.route == route), None)
    here = [r for r in routes if r.channel_id == channel_id]
    return next((r for r in here if r.rerouted_to is None), here[0] if here else None)


def current(routes: Sequence[DiscoveryRoute | RouteView]) -> list:
    """The routes that act on the discovery now (not re-routed away)."""
    return [r for r in routes if r.rerouted_to is None]


def set_route_status(session: Session, route_id: int, was: Status, now: Status) -> bool:
    """UPDATE … WHERE status = was: of racing clicks on one card, one wins."""
    statement = (
        sa.update(DiscoveryRoute)
        .where(col(DiscoveryRoute.id) == route_id, col(DiscoveryRoute.status) == was)
        .where(col(DiscoveryRoute.rerouted_to).is_(None))
        .values(status=now)
    )
    return session.exec(statement).rowcount == 1  # type: ignore[call-overload]


def close_open_routes(session: Session, discovery_id: int, to: DiscoveryStatus) -> int:
    """Every current route still owed an answer gets `to` (a withdrawal); how many did."""
    statement = (
        sa.update(DiscoveryRoute)
        .where(col(DiscoveryRoute.discovery_id) == discovery_id)
        .where(col(DiscoveryRoute.rerouted_to).is_(None), col(DiscoveryRoute.status).in_(OPEN))
        .values(status=to)
    )
    return session.exec(statement).rowcount  # type: ignore[call-overload]


def settle(
    session: Session, discovery_id: int, now: datetime, floor: DiscoveryStatus | None = None
) -> DiscoveryStatus:
    """Write the discovery's status as its current routes' add up to; `floor` wins when no
    route can say (a withdrawn discovery that had none)."""
    session.flush()
    statuses = session.exec(
        select(DiscoveryRoute.status)
        .where(DiscoveryRoute.discovery_id == discovery_id)
        .where(col(DiscoveryRoute.rerouted_to).is_(None))
    ).all()
    status = floor if floor is not None and not statuses else overall(statuses)
    statement = sa.update(Discovery).where(col(Discovery.id) == discovery_id).values(status=status)
    session.exec(statement.values(updated_at=now))
    refresh_loop_facts(session=session, discovery_id=discovery_id)  # the digests read these
    return status
