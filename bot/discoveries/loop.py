"""Closing the loop: a discovery's status changes once, kept in its history, told to the scout.

Acknowledging first is not required: "actioned" or "declined" straight from "new" is one
change (new → actioned), not an invented acknowledgement; whoever acts has picked it up,
and the history records what people did, nothing more.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, col, select

from bot.discoveries.event_log import record
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
    """What someone did to a discovery, and in which channel (the card they clicked)."""

    to_status: DiscoveryStatus
    actor_user_id: str
    channel_id: str
    note: str | None = None
    outcome_kind: str | None = None
    link: str | None = None


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
    """Change the status once (compare-and-set), with its history row and the scout's reply."""
    # Statuses only move forward, so a lost race is retried at most once per status.
    for _ in range(len(Status)):
        current = session.exec(select(Discovery.status).where(Discovery.id == discovery_id)).first()
        if current is None:
            return ChangeResult(status=None)
        if current not in ALLOWED_FROM[change.to_status]:
            return _refused(session, discovery_id, current, change)
        routes = _routes(session, discovery_id)
        if change.to_status != Status.WITHDRAWN and moved_away(routes, change.channel_id):
            return ChangeResult(status=current, moved=True)  # withdrawing is the scout's
        if _compare_and_set(session, discovery_id, current, change.to_status, now):
            change_id = _record(session, discovery_id, current, change, now)
            _record_event(session, discovery_id, change, change_id, routes, now)
            return ChangeResult(status=change.to_status, change_id=change_id)
    raise RuntimeError(f"status of discovery {discovery_id} kept changing")


def moved_away(routes: Sequence[DiscoveryRoute | RouteView], channel_id: str) -> bool:
    """Whether the card in this channel was re-routed (a stale copy of it may still be clicked)."""
    here = [route for route in routes if route.channel_id == channel_id]
    return bool(here) and all(route.rerouted_to is not None for route in here)


def _routes(session: Session, discovery_id: int) -> list[DiscoveryRoute]:
    return list(
        session.exec(select(DiscoveryRoute).where(DiscoveryRoute.discovery_id == discovery_id))
    )


def _compare_and_set(
    session: Session, discovery_id: int, current: Status, new: Status, now: datetime
) -> bool:
    """UPDATE … WHERE status = current: of racing clicks (any process, any backend) one wins."""
    statement = (
        sa.update(Discovery)
        .where(col(Discovery.id) == discovery_id, col(Discovery.status) == current)
        .values(status=new, updated_at=now)
    )
    return session.exec(statement).rowcount == 1  # type: ignore[call-overload]


def _record(
    session: Session, discovery_id: int, current: Status, change: Change, now: datetime
) -> int:
    """The history row, in the transaction of the status update."""
    row = StatusChange(
        discovery_id=discovery_id,
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
    routes: list[DiscoveryRoute],
    now: datetime,
) -> None:
    """The change's domain event: the scout hears of it, the cards and a webhook show it."""
    clicked = next((r.route for r in routes if r.channel_id == change.channel_id), None)
    event = EVENTS[change.to_status](
        discovery_id, change.actor_user_id, change_id=change_id, channel_id=change.channel_id,
        route=clicked,
    )  # fmt: skip
    record(session=session, event=event, now=now)


def _refused(session: Session, discovery_id: int, current: Status, change: Change) -> ChangeResult:
    """Not changed: the status now, who made it so, and whether that was this same change."""
    latest = latest_change(session=session, discovery_id=discovery_id)
    repeated = (
        latest is not None
        and latest.to_status == change.to_status
        and latest.actor_user_id == change.actor_user_id
    )
    return ChangeResult(status=current, latest=latest, repeated=repeated)


def latest_change(*, session: Session, discovery_id: int) -> ChangeView | None:
    """The newest status change of a discovery."""
    row = session.exec(
        select(StatusChange)
        .where(StatusChange.discovery_id == discovery_id)
        .order_by(col(StatusChange.at).desc(), col(StatusChange.id).desc())
    ).first()
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
    routes = session.exec(
        select(DiscoveryRoute)
        .where(DiscoveryRoute.discovery_id == discovery_id)
        .order_by(col(DiscoveryRoute.id))
    ).all()
    history = status_history(session=session, discovery_id=discovery_id)
    return view_of(DiscoveryView, discovery), [view_of(RouteView, r) for r in routes], history


def start_change(
    *, session: Session, discovery_id: int, channel_id: str, target: DiscoveryStatus
) -> tuple[str | None, ChangeResult | None]:
    """Before the Actioned or Decline modal opens: the discovery's account, and a refusal when
    it cannot reach `target` (gone, closed, or this is a stale card that was re-routed away)."""
    found = load_cards(session=session, discovery_id=discovery_id)
    if found is None:
        return None, ChangeResult(status=None)
    discovery, routes, history = found
    if discovery.status not in ALLOWED_FROM[target]:
        return discovery.account, ChangeResult(status=discovery.status, latest=history[-1])
    if moved_away(routes, channel_id):
        return discovery.account, ChangeResult(status=discovery.status, moved=True)
    return discovery.account, None


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
