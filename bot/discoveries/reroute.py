"""Re-routing: a card moves to another route's channel, once, or the discovery is also sent
there, with a note the history keeps.

A moved card stays where it was, without buttons, saying where it went, and keeps its own
history; the new channel gets a fresh card, new until that team picks it up. "Also send"
keeps this team's card as it is and adds the other team beside it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, col, select

from bot.discoveries.event_log import record
from bot.discoveries.loop import latest_change, load_cards, route_history
from bot.discoveries.route_status import lock_discovery, settle
from bot.domain.events import DiscoveryRerouted, DiscoveryShared
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
    also: bool = False  # also send it there: this team keeps it too


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
    if found is None or not here or here.rerouted_to or not _movable(found[0].status, here.status):
        why = Why.MOVED if here and here.rerouted_to else Why.CLOSED
        status, latest = (
            (here.status, route_history(found[2], here.id)[-1]) if here else (None, None)
        )
        account = found[0].account if found else None
        raise RerouteRefused(why, status=status, latest=latest, account=account)
    visited = {r.route for r in found[1]}
    unvisited = [r for r in current_routes().ids if r not in visited]
    channels = route_channels(session=session, team_id=found[0].team_id)
    open_routes = [r for r in unvisited if channels.get(r)]
    if not open_routes:
        raise RerouteRefused(Why.UNMAPPED if unvisited else Why.EVERYWHERE)
    return RerouteOffer(found[0].account, open_routes)


def reroute_card(*, session: Session, move: Move, now: datetime) -> int:
    """Move the card to the route the person chose, to its channel as configured now."""
    team = session.exec(select(Discovery.team_id).where(Discovery.id == move.discovery_id)).first()
    channels = route_channels(session=session, team_id=team or "")
    return reroute(session=session, move=move, channels=channels, now=now)


def reroute(*, session: Session, move: Move, channels: Mapping[str, str], now: datetime) -> int:
    """Move the card, or also send the discovery (its event brings the new card and the
    scout's reply); the change's id.

    A repeat of the same move by the same person (double click, retried request) returns
    the first change's id and changes nothing.
    """
    discovery = lock_discovery(session, move.discovery_id)
    if discovery is None:
        raise RerouteRefused(Why.GONE)
    source = _source_route(session, move)
    if source.rerouted_to is not None or (move.also and _sent(session, move)):
        return _repeated(session, move, source)
    if not _movable(discovery.status, source.status):
        latest = latest_change(session=session, discovery_id=move.discovery_id, route_id=source.id)
        raise RerouteRefused(Why.CLOSED, status=source.status, latest=latest)
    channel = channels.get(move.to_route)
    if not channel:
        raise RerouteRefused(Why.UNMAPPED)
    if not move.also:
        _move_card(session, source, move.to_route)
    added = _add_route(session, move, source, channel, now)
    change_id = _record(session, move, source, added, channel, now)
    settle(session, move.discovery_id, now)
    return change_id


def _movable(overall: DiscoveryStatus, here: DiscoveryStatus) -> bool:
    """This team still owes an answer, and the scout has not taken the discovery back."""
    return overall != DiscoveryStatus.WITHDRAWN and here in MOVABLE


def _sent(session: Session, move: Move) -> bool:
    """The discovery was already also sent from this card to that route (a repeat)."""
    statement = select(StatusChange.id).where(
        StatusChange.discovery_id == move.discovery_id,
        StatusChange.rerouted_from == move.from_route,
        StatusChange.rerouted_to == move.to_route,
    )
    return session.exec(statement).first() is not None


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
    """Done before: the same move (or "also send") by the same person is this one again;
    anything else is refused (the card moved, or the discovery is there already)."""
    rows = session.exec(
        select(StatusChange)
        .where(StatusChange.discovery_id == move.discovery_id)
        .where(StatusChange.rerouted_from == source.route)
        .order_by(col(StatusChange.id).desc())
    ).all()
    same = next((r for r in rows if r.rerouted_to == move.to_route), None)
    if (
        same
        and same.actor_user_id == move.actor_user_id
        and (same.from_status is None) == move.also
    ):
        assert same.id is not None
        return same.id
    if source.rerouted_to is None:
        raise RerouteRefused(Why.THERE, latest=same)
    moved = next((r for r in rows if r.rerouted_to == source.rerouted_to), None)
    raise RerouteRefused(Why.MOVED, latest=moved)


def _move_card(session: Session, source: DiscoveryRoute, to_route: Route) -> None:
    """Compare-and-set on the card: of two people moving it at once, one wins."""
    statement = (
        sa.update(DiscoveryRoute)
        .where(col(DiscoveryRoute.id) == source.id, col(DiscoveryRoute.rerouted_to).is_(None))
        .values(rerouted_to=to_route)
    )
    if session.exec(statement).rowcount != 1:  # type: ignore[call-overload]
        raise RerouteRefused(Why.MOVED)


def _add_route(
    session: Session, move: Move, source: DiscoveryRoute, channel: str, now: datetime
) -> int:
    """The new route (new), unless the discovery has been there (each route holds one card)."""
    how = "Also sent" if move.also else "Re-routed"
    values = {
        "discovery_id": move.discovery_id, "route": move.to_route, "channel_id": channel,
        "reason": f"{how} from {source.route}: {move.note}", "status": DiscoveryStatus.NEW,
        "created_at": now,
    }  # fmt: skip
    statement = (
        insert_for(session, DiscoveryRoute)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["discovery_id", "route"])
    )
    if not inserted_one_row(session, statement):
        raise RerouteRefused(Why.THERE)
    added = session.exec(
        select(DiscoveryRoute.id).where(
            DiscoveryRoute.discovery_id == move.discovery_id, DiscoveryRoute.route == move.to_route
        )
    ).one()
    return added


def _record(
    session: Session, move: Move, source: DiscoveryRoute, added: int, channel: str, now: datetime
) -> int:
    """The history row and its event (the new card, the scout's reply), in one transaction.

    A move belongs to the route it left, "also send" to the route it made."""
    row = StatusChange(
        discovery_id=move.discovery_id, route_id=added if move.also else source.id,
        from_status=None if move.also else source.status, to_status=DiscoveryStatus.NEW,
        actor_user_id=move.actor_user_id, note=move.note, rerouted_from=source.route,
        rerouted_to=move.to_route, at=now,
    )  # fmt: skip
    session.add(row)
    session.flush()
    assert row.id is not None
    event = (DiscoveryShared if move.also else DiscoveryRerouted)(
        move.discovery_id, move.actor_user_id, change_id=row.id, channel_id=source.channel_id,
        route=source.route, to_route=move.to_route, to_channel_id=channel,
    )  # fmt: skip
    record(session=session, event=event, now=now)
    return row.id
