"""The Slack outbox work effects queue: cards, the scout's receipt and replies, redraws.

Each row has a dedupe key derived from what it is about, so queueing it twice (a retried
dispatch, two processes) yields one message.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from storage.models import Discovery, DiscoveryRoute, OutboxMessage
from storage.queries import enqueue_outbox

CARD = "discovery_card"
CARD_UPDATE = "card_update"  # a posted card redrawn after a change (chat.update)
RECEIPT = "receipt"
RECEIPT_UPDATE = "receipt_update"  # the scout's receipt redrawn: its buttons follow the status
STATUS_REPLY = "status_reply"
SUPPORTER_RECEIPT = "supporter_receipt"  # to a scout whose account joined another discovery


def card_key(discovery_id: int, route: str) -> str:
    """The outbox dedupe key of a discovery's card in one route's channel."""
    return f"card:{discovery_id}:{route}"


def receipt_key(discovery_id: int) -> str:
    """The outbox dedupe key of the receipt a scout gets for a discovery."""
    return f"receipt:{discovery_id}"


def status_reply_key(change_id: int) -> str:
    """The outbox dedupe key of the scout's reply for one status change."""
    return f"status:{change_id}"


def queue_card(
    *, session: Session, discovery_id: int, route: str, channel_id: str, now: datetime
) -> None:
    """A discovery's card in one route's channel, drawn from the database when it is posted."""
    enqueue_outbox(
        session=session, kind=CARD, dedupe_key=card_key(discovery_id, route),
        channel_id=channel_id, payload={"discovery_id": discovery_id, "route": route}, now=now,
        discovery_id=discovery_id,
    )  # fmt: skip


def queue_receipt(
    *, session: Session, discovery_id: int, scout_user_id: str, now: datetime
) -> None:
    """The scout's receipt (a user id posts in the app's DM), posted once its cards are out."""
    enqueue_outbox(
        session=session, kind=RECEIPT, dedupe_key=receipt_key(discovery_id),
        channel_id=scout_user_id, payload={"discovery_id": discovery_id}, now=now,
        discovery_id=discovery_id,
    )  # fmt: skip


def queue_supporter_receipt(
    *, session: Session, discovery_id: int, supporter_id: int, scout_user_id: str, now: datetime
) -> None:
    """The scout's receipt for joining a discovery: a link to its card, once."""
    enqueue_outbox(
        session=session, kind=SUPPORTER_RECEIPT, dedupe_key=f"supporter_receipt:{supporter_id}",
        channel_id=scout_user_id, now=now, discovery_id=discovery_id,
        payload={"discovery_id": discovery_id, "supporter_id": supporter_id},
    )  # fmt: skip


def queue_redraws(*, session: Session, discovery_id: int, cause: str, now: datetime) -> None:
    """Redraw every posted card and the receipt after `cause` (e.g. "change:12"), once each.

    Through the outbox, so a restart, a 429 or a Slack error between the change and the
    redraw never leaves a card (or the receipt's buttons) showing a status it no longer has.
    """
    posted = session.exec(
        select(DiscoveryRoute).where(
            DiscoveryRoute.discovery_id == discovery_id, col(DiscoveryRoute.message_ts).is_not(None)
        )
    ).all()
    redraws = [  # a card not posted yet is drawn as it is when it is posted
        (CARD_UPDATE, f"card_update:{r.id}:{cause}", r.channel_id,
         {"route": r.route, "ts": r.message_ts})
        for r in posted
    ]  # fmt: skip
    receipt = receipt_posts(session=session, discovery_ids=[discovery_id]).get(discovery_id)
    if receipt is not None:
        key = f"receipt_update:{discovery_id}:{cause}"
        redraws.append((RECEIPT_UPDATE, key, receipt[0], {"ts": receipt[1]}))
    for kind, key, channel, payload in redraws:
        enqueue_outbox(
            session=session, kind=kind, dedupe_key=key, channel_id=channel, now=now,
            discovery_id=discovery_id, payload={"discovery_id": discovery_id, **payload},
        )  # fmt: skip


def queue_status_reply(
    *, session: Session, discovery_id: int, change_id: int, payload: dict[str, Any], now: datetime
) -> None:
    """The scout's reply about one change: threaded under the receipt, once it is posted."""
    thread = receipt_thread(session=session, discovery_id=discovery_id)
    scout = session.exec(select(Discovery.scout_user_id).where(Discovery.id == discovery_id))
    enqueue_outbox(
        session=session,
        kind=STATUS_REPLY,
        dedupe_key=status_reply_key(change_id),
        # Until the receipt is posted the reply waits; delivery then threads it under it.
        channel_id=thread[0] if thread else scout.one(),
        thread_ts=thread[1] if thread else None,
        payload={"discovery_id": discovery_id, "status_change_id": change_id, **payload},
        now=now,
        discovery_id=discovery_id,
    )


def receipt_posts(*, session: Session, discovery_ids: list[int]) -> dict[int, tuple[str, str]]:
    """Where each discovery's receipt was posted, (channel, ts), for those posted."""
    keys = {receipt_key(discovery_id): discovery_id for discovery_id in discovery_ids}
    rows = session.exec(
        select(
            OutboxMessage.dedupe_key, OutboxMessage.posted_channel, OutboxMessage.posted_ts
        ).where(col(OutboxMessage.dedupe_key).in_(list(keys)))
    ).all()
    return {keys[key]: (channel, ts) for key, channel, ts in rows if channel and ts}


def receipt_thread(*, session: Session, discovery_id: int) -> tuple[str, str] | None:
    """(channel, ts) of the discovery's posted receipt, if it is posted."""
    return receipt_posts(session=session, discovery_ids=[discovery_id]).get(discovery_id)
