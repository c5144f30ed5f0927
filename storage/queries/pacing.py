"""Per-channel pacing shared by every process: take a channel for one post, free it, pause it."""

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, select

from storage.models import ChannelPacing
from storage.queries._dialect import insert_for, inserted_one_row


def claim_channel_slot(
    *, session: Session, channel_id: str, now: datetime, hold: datetime
) -> datetime | None:
    """Take the channel if it is free at `now`, until `hold` at most (None), else return
    when it frees up. The taker releases it once Slack has answered (release_channel_slot).

    One conditional UPDATE (or the first INSERT) decides, so two processes can never both
    take it: PostgreSQL re-checks the WHERE after a concurrent update commits, and on
    SQLite the write lock (BEGIN IMMEDIATE) makes claimers take turns.
    """
    taken = sa.update(ChannelPacing).where(
        ChannelPacing.channel_id == channel_id, ChannelPacing.next_free_at <= now
    )
    if session.exec(taken.values(next_free_at=hold)).rowcount == 1:
        return None
    first = (
        insert_for(session, ChannelPacing)
        .values(channel_id=channel_id, next_free_at=hold)
        .on_conflict_do_nothing(index_elements=["channel_id"])
    )
    if inserted_one_row(session, first):
        return None
    free = select(ChannelPacing.next_free_at).where(ChannelPacing.channel_id == channel_id)
    return session.exec(free).one()


def release_channel_slot(
    *, session: Session, channel_id: str, hold: datetime, free_at: datetime
) -> None:
    """Free a channel taken until `hold` from `free_at` on; if the hold ran out and another
    process took the channel since, its claim is left alone."""
    statement = (
        sa.update(ChannelPacing)
        .where(ChannelPacing.channel_id == channel_id, ChannelPacing.next_free_at == hold)
        .values(next_free_at=free_at)
    )
    session.exec(statement)


def pause_channel(*, session: Session, channel_id: str, until: datetime) -> None:
    """Keep every process from posting to the channel before `until` (Slack's Retry-After)."""
    statement = (
        insert_for(session, ChannelPacing)
        .values(channel_id=channel_id, next_free_at=until)
        .on_conflict_do_update(
            index_elements=["channel_id"],
            set_={"next_free_at": until},
            where=ChannelPacing.next_free_at < until,  # a longer pause already set stays
        )
    )
    session.exec(statement)


def paced_channels(*, session: Session, now: datetime) -> list[str]:
    """Channels that may not take a post at `now`: their outbox rows can wait unclaimed."""
    statement = select(ChannelPacing.channel_id).where(ChannelPacing.next_free_at > now)
    return list(session.exec(statement).all())
