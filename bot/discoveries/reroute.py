"""Re-routing: a card moves to another route's channel, once, with a note the history keeps.

The moved card stays where it was, without buttons, saying where it went; the new channel
gets a fresh card. Whoever had picked it up has passed it on, so an acknowledged discovery
is new again until the new team picks it up.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, col, select

from bot.discoveries.event_log import record
from bot.discoveries.loop import latest_change, load_cards
from bot.domain.events import DiscoveryRerouted
from bot.domain.lifecycle import MOVABLE, RerouteRefused, Why
from bot.routes import Route, current_routes
from storage.enums import DiscoveryStatus
from storage.models import Discovery, DiscoveryRoute, StatusChange
from storage.queries import route_channels
from storage.queries._dialect import insert_for, inserted_one_row


@dataclass(frozen=True)
class Move:
    """Someone moves the card they clicked (its channel) to another route, saying why."""

    discovery_id: int
    from_route: Route
    to_route: Route
    actor_user_id: str
    note: str


@dataclass(frozen=True)
class RerouteOffer:
    """Where a card may move: the routes it has not been to that have a channel."""

    account: str
    routes: list[str]


def offer_reroute(*, session: Session, discovery_id: int, route: str | None) -> RerouteOffer:
    """The routes the card of `route` may move to; RerouteRefused says why there are none:
    the card moved already, the discovery is closed or gone, or no other route has a channel."""
    found = load_cards(session=session, discovery_id=discovery_id)
    here = found and next((r for r in found[1] if r.route == route), None)
    if found is None or here is None or here.rerouted_to or found[0].status not in MOVABLE:
        why = Why.MOVED if here is not None and here.rerouted_to else Why.CLOSED
        status, latest = (found[0].status, found[2][-1]) if found else (None, None)
        account = found[0].account if found else None
        raise RerouteRefused(why, status=status, latest=latest, account=account)
    visited = {r.route for r in found[1]}
    unvisited = [r for r in current_routes().ids if r not in visited]
    channels = route_channels(session=session)
    open_routes = [r for r in unvisited if channels.get(r)]
    if not open_routes:
        raise RerouteRefused(Why.UNMAPPED if unvisited else Why.EVERYWHERE)
    return RerouteOffer(found[0].account, open_routes)


def reroute_card(*, session: Session, move: Move, now: datetime) -> int:
    """Move the card to the route the person chose, to its channel as configured now."""
    return reroute(session=session, move=move, channels=route_channels(session=session), now=now)


def reroute(*, session: Session, move: Move, channels: Mapping[str, str], now: datetime) -> int:
    """Move the card (its event brings the new card and the scout's reply); the change's id.

    A repeat of the same move by the same person (double click, retried request) returns
    the first change's id and changes nothing.
    """
    discovery = session.get(Discovery, move.discovery_id)
    if discovery is None:
        raise RerouteRefused(Why.GONE)
    source = _source_route(session, move)
    if source.rerouted_to is not None:
        return _repeated(session, move, source)
    if discovery.status not in MOVABLE:
        latest = latest_change(session=session, discovery_id=move.discovery_id)
        raise RerouteRefused(Why.CLOSED, status=discovery.status, latest=latest)
    channel = channels.get(move.to_route)
    if not channel:
        raise RerouteRefused(Why.UNMAPPED)
    _move_card(session, source, move.to_route)
    from_status = _make_new(session, move.discovery_id)
    _add_route(session, move, source, channel)
    return _record(session, move, source, from_status, channel, now)


def _source_route(session: Session, move: Move) -> DiscoveryRoute:
    """The route whose card was clicked; a card the discovery never had moves nothing."""
    route = session.exec(
        select(DiscoveryRoute).where(
            DiscoveryRoute.discovery_id == move.discovery_id,
            DiscoveryRoute.route == move.from_route,
        )
    ).first()
    if route is None:
        raise RerouteRefused(Why.MOVED)
    return route


def _repeated(session: Session, move: Move, source: DiscoveryRoute) -> int:
    """The card moved already: the same move by the same person is done, else refused."""
    latest = session.exec(
        select(StatusChange)
        .where(StatusChange.discovery_id == move.discovery_id)
        .where(StatusChange.rerouted_from == source.route)
        .order_by(col(StatusChange.id).desc())
    ).first()
    if (
        latest
        and latest.rerouted_to == move.to_route
        and latest.actor_user_id == move.actor_user_id
    ):
        assert latest.id is not None
        return latest.id
    raise RerouteRefused(Why.MOVED, latest=latest)


def _move_card(session: Session, source: DiscoveryRoute, to_route: Route) -> None:
    """Compare-and-set on the card: of two people moving it at once, one wins."""
    statement = (
        sa.update(DiscoveryRoute)
        .where(col(DiscoveryRoute.id) == source.id, col(DiscoveryRoute.rerouted_to).is_(None))
        .values(rerouted_to=to_route)
    )
    if session.exec(statement).rowcount != 1:  # type: ignore[call-overload]
        raise RerouteRefused(Why.MOVED)


def _make_new(session: Session, discovery_id: int) -> DiscoveryStatus:
    """New again (whoever picked it up passed it on); refused if it was closed meanwhile."""
    current = session.exec(select(Discovery.status).where(Discovery.id == discovery_id)).one()
    statement = (
        sa.update(Discovery)
        .where(col(Discovery.id) == discovery_id, col(Discovery.status).in_(MOVABLE))
        .values(status=DiscoveryStatus.NEW)
    )
    if session.exec(statement).rowcount != 1:  # type: ignore[call-overload]
        raise RerouteRefused(Why.CLOSED, status=current)
    return current


def _add_route(session: Session, move: Move, source: DiscoveryRoute, channel: str) -> None:
    """The new route, unless the discovery has been there (each route holds one card)."""
    values = {
        "discovery_id": move.discovery_id, "route": move.to_route, "channel_id": channel,
        "reason": f"Re-routed from {source.route}: {move.note}",
    }  # fmt: skip
    statement = (
        insert_for(session, DiscoveryRoute)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["discovery_id", "route"])
    )
    if not inserted_one_row(session, statement):
        raise RerouteRefused(Why.THERE)


def _record(
    session: Session,
    move: Move,
    source: DiscoveryRoute,
    from_status: DiscoveryStatus,
    channel: str,
    now: datetime,
) -> int:
    """The history row and its event (the new card, the scout's reply), in one transaction."""
    row = StatusChange(
        discovery_id=move.discovery_id, from_status=from_status, to_status=DiscoveryStatus.NEW,
        actor_user_id=move.actor_user_id, note=move.note, rerouted_from=source.route,
        rerouted_to=move.to_route, at=now,
    )  # fmt: skip
    session.add(row)
    session.flush()
    assert row.id is not None
    event = DiscoveryRerouted(
        move.discovery_id, move.actor_user_id, change_id=row.id, channel_id=source.channel_id,
        route=source.route, to_route=move.to_route, to_channel_id=channel,
    )  # fmt: skip
    record(session=session, event=event, now=now)
    return row.id
