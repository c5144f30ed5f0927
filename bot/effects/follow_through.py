"""The outbox work of follow-through: the follow-up DM, its redraw once answered, and the
scout's note of each stage change. Each row has a dedupe key, so it is queued once."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from storage.models import Discovery, OutboxMessage
from storage.queries import enqueue_outbox

FOLLOW_UP = "follow_up"  # the DM to the person who actioned: which stage is it at now?
FOLLOW_UP_UPDATE = "follow_up_update"  # that DM redrawn once answered (chat.update)
STAGE_REPLY = "stage_reply"  # the scout hears of a stage change (and gets a customer draft)
KINDS = (FOLLOW_UP, FOLLOW_UP_UPDATE, STAGE_REPLY)


def follow_up_key(follow_up_id: int, due: str, ask: int) -> str:
    """The dedupe key of one follow-up DM: per follow-up, due date and ask (1, then 2)."""
    return f"follow_up:{follow_up_id}:{due}:{ask}"


def queue_follow_up(
    *, session: Session, discovery_id: int, follow_up_id: int, owner: str, stage: str,
    key: str, ask: int, now: datetime,
) -> None:  # fmt: skip
    """The follow-up DM (a user id posts in the app's DM), drawn when it is sent."""
    enqueue_outbox(
        session=session, kind=FOLLOW_UP, dedupe_key=key, channel_id=owner, now=now,
        payload={"discovery_id": discovery_id, "follow_up_id": follow_up_id, "stage": stage,
                 "ask": ask},
        discovery_id=discovery_id,
    )  # fmt: skip


def queue_stage_effects(
    *, session: Session, discovery_id: int, follow_up_id: int, change_id: int, now: datetime
) -> None:
    """After a stage change: the scout's note, and every posted follow-up DM redrawn without
    its buttons (so a second click there has nothing left to press)."""
    scout = session.exec(select(Discovery.scout_user_id).where(Discovery.id == discovery_id))
    enqueue_outbox(
        session=session, kind=STAGE_REPLY, dedupe_key=f"stage_reply:{change_id}",
        channel_id=scout.one(), now=now, discovery_id=discovery_id,
        payload={"discovery_id": discovery_id, "stage_change_id": change_id},
    )  # fmt: skip
    posted = session.exec(
        select(OutboxMessage)
        .where(col(OutboxMessage.dedupe_key).startswith(f"follow_up:{follow_up_id}:"))
        .where(col(OutboxMessage.posted_ts).is_not(None))
    ).all()
    for dm in posted:
        enqueue_outbox(
            session=session, kind=FOLLOW_UP_UPDATE, now=now, discovery_id=discovery_id,
            dedupe_key=f"follow_up_update:{dm.id}:{change_id}", channel_id=str(dm.posted_channel),
            payload={"discovery_id": discovery_id, "follow_up_id": follow_up_id,
                     "ts": dm.posted_ts},
        )  # fmt: skip
