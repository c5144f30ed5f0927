"""What a scout's receipt needs: the discovery, its routes, and which cards are still due."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from bot.discoveries.outbox_jobs import BLOCKED_CHANNEL
from bot.discoveries.service import CARD
from bot.domain.views import DiscoveryView, RouteView, view_of
from storage.enums import OutboxStatus
from storage.models import Discovery, DiscoveryRoute, OutboxMessage


@dataclass(frozen=True)
class ReceiptState:
    """The discovery, its routes, when a card still worth waiting for is due, and the routes
    whose channel refuses the bot (error code by route): the receipt says those wait."""

    discovery: DiscoveryView
    routes: list[RouteView]
    cards_due_at: datetime | None  # None once every card is posted or blocked
    blocked: dict[str, str]


def load_receipt(*, session: Session, discovery_id: int) -> ReceiptState | None:
    """The discovery, its routes in order, and whether its cards are all posted yet."""
    discovery = session.get(Discovery, discovery_id)
    if discovery is None:
        return None
    pending = session.exec(
        select(OutboxMessage.next_attempt_at, OutboxMessage.last_error, OutboxMessage.payload)
        .where(OutboxMessage.discovery_id == discovery_id, OutboxMessage.kind == CARD)
        .where(OutboxMessage.status == OutboxStatus.PENDING)
    ).all()
    blocked = {p["route"]: e for _at, e, p in pending if e in BLOCKED_CHANNEL}
    due = [at for at, error, _payload in pending if error not in BLOCKED_CHANNEL]
    routes = session.exec(
        select(DiscoveryRoute)
        .where(DiscoveryRoute.discovery_id == discovery_id)
        .order_by(col(DiscoveryRoute.id))
    ).all()
    views = [view_of(RouteView, route) for route in routes]
    return ReceiptState(view_of(DiscoveryView, discovery), views, min(due, default=None), blocked)
