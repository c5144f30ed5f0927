"""The scheduler's heartbeats: each process that runs it says so once a minute."""

from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, col, select

from storage.models import SchedulerHeartbeat
from storage.queries._dialect import insert_for

# A process silent this long is gone: its row is removed at the next beat of any other.
FORGET_AFTER = timedelta(days=1)


def beat(*, session: Session, process: str, kind: str, now: datetime) -> None:
    """Record that `process` runs the scheduler at `now`; forget processes long silent."""
    row = {"process": process, "kind": kind, "started_at": now, "beat_at": now}
    statement = insert_for(session, SchedulerHeartbeat).values(**row)
    session.exec(  # type: ignore[call-overload]
        statement.on_conflict_do_update(index_elements=["process"], set_={"beat_at": now})
    )
    session.exec(  # type: ignore[call-overload]
        sa.delete(SchedulerHeartbeat).where(col(SchedulerHeartbeat.beat_at) < now - FORGET_AFTER)
    )


def latest_beat(*, session: Session) -> SchedulerHeartbeat | None:
    """The most recent heartbeat of any process, or None if no scheduler ever ran."""
    newest = select(SchedulerHeartbeat).order_by(col(SchedulerHeartbeat.beat_at).desc())
    return session.exec(newest.limit(1)).first()
