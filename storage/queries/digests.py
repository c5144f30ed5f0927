"""Exactly-once digests: one row per (digest, channel, period) decides who sends."""

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session

from storage.enums import DigestRunStatus
from storage.models import DigestRun
from storage.queries._dialect import insert_for, inserted_one_row


def _run_filter(digest: str, channel_id: str, period: str) -> sa.ColumnElement[bool]:
    """Return the WHERE clause selecting one digest run."""
    return sa.and_(
        DigestRun.digest == digest,
        DigestRun.channel_id == channel_id,
        DigestRun.period == period,
    )


def claim_digest_run(
    *, session: Session, digest: str, channel_id: str, period: str, now: datetime
) -> bool:
    """Claim a digest for a channel and period; True only for the first claimer, ever."""
    statement = (
        insert_for(session, DigestRun)
        .values(
            digest=digest,
            channel_id=channel_id,
            period=period,
            status=DigestRunStatus.CLAIMED,
            claimed_at=now,
        )
        .on_conflict_do_nothing(index_elements=["digest", "channel_id", "period"])
    )
    if inserted_one_row(session, statement):
        return True
    return _reclaim_failed(session, digest=digest, channel_id=channel_id, period=period, now=now)


def _reclaim_failed(
    session: Session, *, digest: str, channel_id: str, period: str, now: datetime
) -> bool:
    """Take over a run marked failed; the conditional UPDATE lets only one process win."""
    statement = (
        sa.update(DigestRun)
        .where(_run_filter(digest, channel_id, period), DigestRun.status == DigestRunStatus.FAILED)
        .values(status=DigestRunStatus.CLAIMED, claimed_at=now)
    )
    return session.exec(statement).rowcount == 1


def mark_digest_sent(
    *, session: Session, digest: str, channel_id: str, period: str, now: datetime
) -> None:
    """Record that the claimed digest was posted."""
    statement = (
        sa.update(DigestRun)
        .where(_run_filter(digest, channel_id, period))
        .values(status=DigestRunStatus.SENT, sent_at=now)
    )
    session.exec(statement)


def mark_digest_failed(*, session: Session, digest: str, channel_id: str, period: str) -> None:
    """Give a claimed digest back, so the next scheduled attempt may claim it again."""
    statement = (
        sa.update(DigestRun)
        .where(_run_filter(digest, channel_id, period), DigestRun.status == DigestRunStatus.CLAIMED)
        .values(status=DigestRunStatus.FAILED)
    )
    session.exec(statement)
