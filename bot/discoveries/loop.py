"""Closing the loop: each team's answer (its route's status) changes once, kept in its
history, told to the scout; the discovery's own status follows its routes'.

Acknowledging first is not required: "actioned" or "declined" straight from "new" is one
change (new → actioned), not an invented acknowledgement; whoever acts has picked it up,
and the history records what people did, nothing more.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Session, col, select

from bot.discoveries.event_log import record
from bot.discoveries.follow_through import start_follow_up, with_stages
from bot.discoveries.route_status import (
    card_route,
    close_open_routes,
    lock_discovery,
    routes_of,
    set_route_status,
    settle,
)
from bot.domain.events import (
    DiscoveryWithdrawn,
    RouteAcknowledged,
    RouteActioned,
    RouteDeclined,
    StatusChanged,
)
from bot.domain.lifecycle import ALLOWED_FROM as ALLOWED_FROM
from bot.domain.lifecycle import NOTE_LIMIT as NOTE_LIMIT
from bot.domain.lifecycle import ChangeResult, Status
from bot.domain.views import ChangeView, DiscoveryView, RouteView, view_of
from bot.effects.slack import STATUS_REPLY, queue_redraws, receipt_key
from bot.effects.slack import status_reply_key as status_reply_key
from storage.enums import DiscoveryStatus, OutboxStatus
from storage.models import Discovery, DiscoveryRoute, OutboxMessage, StatusChange
from storage.queries import earlier_pending

EVENTS: dict[DiscoveryStatus, type[StatusChanged]] = {
    Status.ACKNOWLEDGED: RouteAcknowledged,
    Status.ACTIONED: RouteActioned,
    Status.DECLINED: RouteDeclined,
    Status.WITHDRAWN: DiscoveryWithdrawn,
}


@dataclass(frozen=True)
class Change:
    """What someone did to a discovery, on which card (its channel, and its route if named)."""

    to_status: DiscoveryStatus
    actor_user_id: str
    channel_id: str
    note: str | None = None
    outcome_kind: str | None = None
    link: str | None = None
    route: str | None = None  # the card's route, as its buttons name it
    follow_up_on: date | None = None  # actioned: when its follow-through is asked about


@dataclass(frozen=True)
class ReplyState:
    """What a status reply needs: its change, the receipt's thread, earlier replies still due."""

    change: ChangeView
    thread: tuple[str, str] | None  # (channel, ts) of the posted receipt
    receipt_pending: bool
    earlier_due_at: datetime | None


def change_status(
    *, session: Session, discovery_id: int, change: Change, now: datetime
) -> ChangeResult:
    """Change the clicked card's route once (compare-and-set), with its history row and the
    scout's reply; a withdrawal closes every route still open at once."""
    if lock_discovery(session, discovery_id) is None:
        return ChangeResult(status=None)
    routes = routes_of(session, discovery_id)
    if change.to_status == Status.WITHDRAWN:
        return _withdraw(session, discovery_id, change, routes, now)
    route = card_route(routes, channel_id=change.channel_id, route=change.route)
    if route is None or route.rerouted_to is not None:
        return ChangeResult(status=route.status if route else None, moved=True)
    assert isinstance(route, DiscoveryRoute) and route.id is not None
    was = route.status
    if was not in ALLOWED_FROM[change.to_status]:
        return _refused(session, discovery_id, was, change, route.id)
    if not set_route_status(session, route.id, was, change.to_status):  # the lock makes it win
        raise RuntimeError(f"route {route.id} changed under its discovery's lock")
    change_id = _record(session, discovery_id, was, change, now, route.id)
    settle(session, discovery_id, now)
    if change.to_status == Status.ACTIONED:  # a route with stages follows through from here
        start_follow_up(
            session=session, discovery_id=discovery_id, route_id=route.id, route=route.route,
            owner=change.actor_user_id, outcome_kind=change.outcome_kind,
            due_on=change.follow_up_on, now=now,
        )  # fmt: skip
    _record_event(session, discovery_id, change, change_id, route.route, now)
    return ChangeResult(status=change.to_status, change_id=change_id)


def _withdraw(
    session: Session, discovery_id: int, change: Change, routes: list[DiscoveryRoute],
    now: datetime,
) -> ChangeResult:  # fmt: skip
    """The scout takes it back: every route still open is withdrawn by one history row."""
    was = session.exec(select(Discovery.status).where(Discovery.id == discovery_id)).one()
    if was not in ALLOWED_FROM[Status.WITHDRAWN]:
        return _refused(session, discovery_id, was, change, None)
    close_open_routes(session, discovery_id, Status.WITHDRAWN)
    change_id = _record(session, discovery_id, was, change, now, None)
    settle(session, discovery_id, now, floor=Status.WITHDRAWN)
    clicked = card_route(routes, channel_id=change.channel_id, route=change.route)
    _record_event(session, discovery_id, change, change_id, clicked and clicked.route, now)
    return ChangeResult(status=Status.WITHDRAWN, change_id=change_id)


def _record(
    session: Session, discovery_id: int, current: Status, change: Change, now: datetime,
    route_id: int | None,
) -> int:  # fmt: skip
    """The history row, in the transaction of the status update."""
    row = StatusChange(
        discovery_id=discovery_id,
        route_id=route_id,
        from_status=current,
        to_status=change.to_status,
        actor_user_id=change.actor_user_id,
        note=change.note,
        outcome_kind=change.outcome_kind,
        link=change.link,
        at=now,
    )
    session.add(row)
    session.flush()
    assert row.id is not None
    return row.id


def _record_event(
    session: Session,
    discovery_id: int,
    change: Change,
    change_id: int,
    route: str | None,
    now: datetime,
) -> None:
    """The change's domain event: the scout hears of it, the cards and a webhook show it."""
    event = EVENTS[change.to_status](
        discovery_id, change.actor_user_id, change_id=change_id, channel_id=change.channel_id,
        route=route,
    )  # fmt: skip
    record(session=session, event=event, now=now)


def _refused(
    session: Session, discovery_id: int, current: Status, change: Change, route_id: int | None
) -> ChangeResult:
    """Not changed: the status now, who made it so, and whether that was this same change."""
    latest = latest_change(session=session, discovery_id=discovery_id, route_id=route_id)
    repeated = (
        latest is not None
        and latest.to_status == change.to_status
        and latest.actor_user_id == change.actor_user_id
    )
    return ChangeResult(status=current, latest=latest, repeated=repeated)


def latest_change(
    *, session: Session, discovery_id: int, route_id: int | None = None
) -> ChangeView | None:
    """The newest status change of a discovery, or of one route (its own and those of all)."""
    statement = select(StatusChange).where(StatusChange.discovery_id == discovery_id)
    if route_id is not None:
        mine = col(StatusChange.route_id) == route_id
        statement = statement.where(sa.or_(mine, col(StatusChange.route_id).is_(None)))
    order = (col(StatusChange.at).desc(), col(StatusChange.id).desc())
    row = session.exec(statement.order_by(*order)).first()
    return view_of(ChangeView, row) if row else None


def status_history(*, session: Session, discovery_id: int) -> list[ChangeView]:
    """Every status change of a discovery, oldest first."""
    rows = session.exec(
        select(StatusChange)
        .where(StatusChange.discovery_id == discovery_id)
        .order_by(col(StatusChange.at), col(StatusChange.id))
    ).all()
    return [view_of(ChangeView, row) for row in rows]


Cards = tuple[DiscoveryView, list[RouteView], list[ChangeView]]


def load_cards(*, session: Session, discovery_id: int) -> Cards | None:
    """The discovery, its routes (with their posted cards) and its history, as the plain views
    the cards are drawn from; None if gone."""
    discovery = session.get(Discovery, discovery_id)
    if discovery is None:
        return None
    routes = routes_of(session, discovery_id)
    history = status_history(session=session, discovery_id=discovery_id)
    views = with_stages(
        session=session, discovery_id=discovery_id, routes=[view_of(RouteView, r) for r in routes]
    )
    return view_of(DiscoveryView, discovery), views, history


def start_change(
    *, session: Session, discovery_id: int, channel_id: str, target: DiscoveryStatus,
    route: str | None = None,
) -> tuple[str | None, ChangeResult | None]:  # fmt: skip
    """Before the Actioned or Decline modal opens: the discovery's account, and a refusal when
    the card's route cannot reach `target` (gone, closed, or a stale card re-routed away)."""
    found = load_cards(session=session, discovery_id=discovery_id)
    if found is None:
        return None, ChangeResult(status=None)
    discovery, routes, history = found
    here = card_route(routes, channel_id=channel_id, route=route)
    if here is None or here.rerouted_to is not None:
        return discovery.account, ChangeResult(status=discovery.status, moved=True)
    if here.status not in ALLOWED_FROM[target]:
        latest = route_history(history, here.id)[-1]
        return discovery.account, ChangeResult(status=here.status, latest=latest)
    return discovery.account, None


def route_history(history: Sequence[ChangeView], route_id: int) -> list[ChangeView]:
    """A route's own changes and those that covered every route, oldest first."""
    return [change for change in history if change.route_id in (None, route_id)]


def heal_cards(*, session: Session, discovery_id: int, cause: str, now: datetime) -> str | None:
    """A click on an out-of-date card changed nothing: redraw every card and the receipt as
    the discovery is now (through the outbox, retried like any redraw). The account, or None
    when the discovery is gone. `cause` names the click, so each one heals once."""
    account = session.exec(select(Discovery.account).where(Discovery.id == discovery_id)).first()
    if account is not None:
        queue_redraws(session=session, discovery_id=discovery_id, cause=cause, now=now)
    return account


def load_status_reply(
    *, session: Session, discovery_id: int, change_id: int, message_id: int
) -> ReplyState | None:
    """A reply's change, the receipt it threads under, and earlier replies not sent yet."""
    change = session.get(StatusChange, change_id)
    if change is None:
        return None
    receipt = session.exec(
        select(OutboxMessage).where(OutboxMessage.dedupe_key == receipt_key(discovery_id))
    ).first()
    earlier = earlier_pending(
        session=session, kind=STATUS_REPLY, discovery_id=discovery_id, message_id=message_id
    )
    return ReplyState(
        change=view_of(ChangeView, change),
        thread=_posted(receipt),
        receipt_pending=receipt is not None and receipt.status == OutboxStatus.PENDING,
        earlier_due_at=earlier,
    )


def _posted(receipt: OutboxMessage | None) -> tuple[str, str] | None:
    """(channel, ts) of a posted receipt."""
    if receipt is None or not receipt.posted_ts or not receipt.posted_channel:
        return None
    return receipt.posted_channel, receipt.posted_ts
