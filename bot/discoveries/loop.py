"""Closing the loop: a discovery's status changes once, kept in its history, told to the scout.

Acknowledging first is not required: "actioned" or "declined" straight from "new" is one
change (new → actioned), not an invented acknowledgement; whoever acts has picked it up,
and the history records what people did, nothing more.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

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
from bot.effects.slack import STATUS_REPLY, receipt_key
from bot.effects.slack import status_reply_key as status_reply_key
from storage.enums import DiscoveryStatus, OutboxStatus
from storage.models import Discovery, DiscoveryRoute, OutboxMessage, StatusChange
from storage.queries import earlier_pending

NOTE_LIMIT = 1000
Status = DiscoveryStatus
# Which statuses each change may start from; actioned, declined and withdrawn are final.
ALLOWED_FROM: dict[DiscoveryStatus, tuple[DiscoveryStatus, ...]] = {
    Status.ACKNOWLEDGED: (Status.NEW,),
    Status.ACTIONED: (Status.NEW, Status.ACKNOWLEDGED),
    Status.DECLINED: (Status.NEW, Status.ACKNOWLEDGED),
    Status.WITHDRAWN: (Status.NEW, Status.ACKNOWLEDGED),
}
EVENTS: dict[DiscoveryStatus, type[StatusChanged]] = {
    Status.ACKNOWLEDGED: RouteAcknowledged,
    Status.ACTIONED: RouteActioned,
    Status.DECLINED: RouteDeclined,
    Status.WITHDRAWN: DiscoveryWithdrawn,
}


class Outcome(StrEnum):
    """What came of an actioned discovery."""

    OPPORTUNITY = "opportunity"
    CONTENT = "content"
    ROADMAP = "roadmap"
    TRAINING = "training"
    OTHER = "other"


OUTCOME_LABELS = {
    Outcome.OPPORTUNITY: "Opportunity created or advanced",
    Outcome.CONTENT: "Message or content",
    Outcome.ROADMAP: "Roadmap item",
    Outcome.TRAINING: "Training or coaching",
    Outcome.OTHER: "Other",
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
class ChangeResult:
    """The status now; the new change's id when this call made it, else the latest change."""

    status: DiscoveryStatus | None  # None: the discovery is gone
    change_id: int | None = None
    latest: StatusChange | None = None
    repeated: bool = False  # the same person's same change arrived again (double click, retry)
    moved: bool = False  # clicked on a card that was re-routed away: the new team decides

    @property
    def done(self) -> bool:
        """True when the status is what was asked for (now or by this very person before)."""
        return self.change_id is not None or self.repeated


@dataclass(frozen=True)
class ReplyState:
    """What a status reply needs: its change, the receipt's thread, earlier replies still due."""

    change: StatusChange
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


def moved_away(routes: list[DiscoveryRoute], channel_id: str) -> bool:
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


def latest_change(*, session: Session, discovery_id: int) -> StatusChange | None:
    """The newest status change of a discovery."""
    return session.exec(
        select(StatusChange)
        .where(StatusChange.discovery_id == discovery_id)
        .order_by(col(StatusChange.at).desc(), col(StatusChange.id).desc())
    ).first()


def status_history(*, session: Session, discovery_id: int) -> list[StatusChange]:
    """Every status change of a discovery, oldest first."""
    return list(
        session.exec(
            select(StatusChange)
            .where(StatusChange.discovery_id == discovery_id)
            .order_by(col(StatusChange.at), col(StatusChange.id))
        ).all()
    )


def load_cards(
    *, session: Session, discovery_id: int
) -> tuple[Discovery, list[DiscoveryRoute], list[StatusChange]] | None:
    """The discovery, its routes (with their posted cards) and its history; None if gone."""
    discovery = session.get(Discovery, discovery_id)
    if discovery is None:
        return None
    routes = session.exec(
        select(DiscoveryRoute)
        .where(DiscoveryRoute.discovery_id == discovery_id)
        .order_by(col(DiscoveryRoute.id))
    ).all()
    return discovery, list(routes), status_history(session=session, discovery_id=discovery_id)


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
        change=change,
        thread=_posted(receipt),
        receipt_pending=receipt is not None and receipt.status == OutboxStatus.PENDING,
        earlier_due_at=earlier,
    )


def _posted(receipt: OutboxMessage | None) -> tuple[str, str] | None:
    """(channel, ts) of a posted receipt."""
    if receipt is None or not receipt.posted_ts or not receipt.posted_channel:
        return None
    return receipt.posted_channel, receipt.posted_ts
