"""A route channel that refuses the bot: its card waits, and the scout and the admins hear once.

Once is decided by the outbox's unique dedupe keys, so however many processes deliver, each
person is told once; the card stays pending and goes out as soon as the channel takes it
(the bot invited, the channel unarchived, or its route mapped to another channel).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, col, select

from bot.discoveries.outbox_jobs import BLOCKED_CHANNEL
from bot.discoveries.service import CARD, queue_redraws, receipt_key
from storage.enums import OutboxStatus
from storage.models import Discovery, DiscoveryRoute, OutboxMessage
from storage.queries import enqueue_outbox

WAITING = "delivery_waiting"  # to the scout, in the receipt's thread, once per card
RESUMED = "delivery_resumed"  # to the scout, once the card that waited is posted
CHANNEL_BLOCKED = "channel_blocked"  # to each admin, once per channel and error
NOTICES = (WAITING, RESUMED, CHANNEL_BLOCKED)


def waiting_key(discovery_id: int, route: str) -> str:
    """The dedupe key of the scout's notice that one card waits."""
    return f"{WAITING}:{discovery_id}:{route}"


def channel_blocked_key(channel_id: str, error: str, admin: str) -> str:
    """The dedupe key of an admin's notice about one channel and error."""
    return f"{CHANNEL_BLOCKED}:{channel_id}:{error}:{admin}"


def note_blocked(
    *, session: Session, discovery_id: int, route: str, channel_id: str, error: str,
    admins: Collection[str], now: datetime,
) -> None:  # fmt: skip
    """Queue the scout's notice (once per card) and each admin's (once per channel and error)."""
    # "team", not "route": a payload with a route is a card's (record_delivery keeps its ts).
    about = {"team": route, "channel_id": channel_id, "error": error}
    found = session.exec(
        select(Discovery.scout_user_id, Discovery.team_id).where(Discovery.id == discovery_id)
    ).first()
    scout, team = found if found else (None, None)  # the admins' DMs go by the card's workspace
    notices = [(admin, CHANNEL_BLOCKED, channel_blocked_key(channel_id, error, admin), None)
               for admin in sorted(admins)]  # fmt: skip
    if scout is not None:
        notices.insert(0, (scout, WAITING, waiting_key(discovery_id, route), discovery_id))
    for person, kind, key, discovery in notices:
        payload = about | ({"discovery_id": discovery} if discovery else {})
        enqueue_outbox(
            session=session, kind=kind, dedupe_key=key, channel_id=person, payload=payload,
            now=now, discovery_id=discovery, team_id=team,
        )  # fmt: skip


def note_delivered(
    *, session: Session, discovery_id: int, route: str, channel_id: str, now: datetime
) -> None:
    """A card is posted: if it had waited, tell the scout who heard so, redraw the receipt, and
    let a later refusal of the channel that held it be news for the admins again."""
    waiting = _row(session, waiting_key(discovery_id, route))
    if waiting is None:
        return
    if waiting.status == OutboxStatus.SENT:
        enqueue_outbox(
            session=session, kind=RESUMED, dedupe_key=f"{RESUMED}:{discovery_id}:{route}",
            channel_id=waiting.channel_id, now=now, discovery_id=discovery_id,
            payload={"discovery_id": discovery_id, "team": route, "channel_id": channel_id},
        )  # fmt: skip
    queue_redraws(session=session, discovery_id=discovery_id, cause=f"posted:{route}", now=now)
    held = waiting.payload["channel_id"]
    stale = col(OutboxMessage.dedupe_key).startswith(f"{CHANNEL_BLOCKED}:{held}:", autoescape=True)
    for notice in session.exec(select(OutboxMessage).where(stale)).all():
        notice.dedupe_key = f"resolved:{notice.id}:{notice.dedupe_key}"


def release_channel(*, session: Session, channel_id: str, now: datetime) -> int:
    """Make the cards that wait on this channel due now; how many there were."""
    # A row in flight has attempts > 0, so its worker looks for its own post before posting.
    statement = sa.update(OutboxMessage).where(*_waiting(), OutboxMessage.channel_id == channel_id)
    return session.exec(statement.values(next_attempt_at=now)).rowcount


def retarget_blocked(
    *, session: Session, channels: Mapping[str, str], now: datetime, team_id: str | None = None
) -> int:
    """Send the cards that wait on a refusing channel to their route's newly mapped one, now
    (the workspace's cards, when its admin changed its own map)."""
    moved, waiting = 0, select(OutboxMessage).where(*_waiting())
    if team_id is not None:
        waiting = waiting.where(OutboxMessage.team_id == team_id)
    for row in session.exec(waiting).all():
        route = row.payload.get("route")
        channel = channels.get(route)
        if not channel or channel == row.channel_id:
            continue
        row.channel_id, row.next_attempt_at, moved = channel, now, moved + 1
        session.exec(
            sa.update(DiscoveryRoute)
            .where(DiscoveryRoute.discovery_id == row.discovery_id, DiscoveryRoute.route == route)
            .where(col(DiscoveryRoute.message_ts).is_(None))
            .values(channel_id=channel)
        )
    return moved


def still_blocked(*, session: Session, channel_id: str, error: str) -> bool:
    """Whether a card still waits on this channel for this reason (else an admin's notice is moot)."""
    statement = select(OutboxMessage.id).where(*_waiting(), OutboxMessage.channel_id == channel_id)
    return (
        session.exec(statement.where(OutboxMessage.last_error == error).limit(1)).first()
        is not None
    )


def card_posted(*, session: Session, discovery_id: int, route: str) -> bool:
    """Whether the card of this route is in its channel now."""
    statement = select(DiscoveryRoute.message_ts).where(
        DiscoveryRoute.discovery_id == discovery_id, DiscoveryRoute.route == route
    )
    return bool(session.exec(statement).first())


def receipt_thread(*, session: Session, discovery_id: int) -> tuple[str, str] | bool:
    """(channel, ts) of the posted receipt; True while it is still to be posted; False if it
    never will be (then a notice goes to the scout's DM unthreaded)."""
    receipt = _row(session, receipt_key(discovery_id))
    if receipt is not None and receipt.posted_channel and receipt.posted_ts:
        return receipt.posted_channel, receipt.posted_ts
    return receipt is not None and receipt.status == OutboxStatus.PENDING


def _waiting() -> tuple:
    """Cards still pending whose last attempt a channel refused."""
    return (
        OutboxMessage.kind == CARD,
        OutboxMessage.status == OutboxStatus.PENDING,
        col(OutboxMessage.last_error).in_(sorted(BLOCKED_CHANNEL)),
    )


def _row(session: Session, key: str) -> OutboxMessage | None:
    return session.exec(select(OutboxMessage).where(OutboxMessage.dedupe_key == key)).first()
