"""The domain event log: record an event with its change, claim undispatched ones, mark them."""

import uuid
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from storage.models import RecordedEvent
from storage.queries.outbox import scrub_error

DISPATCH_RETRY = timedelta(minutes=1)  # a handler that failed (a bug) is tried again after this


def record_event(
    *,
    session: Session,
    type: str,
    team_id: str,
    discovery_id: int | None,
    data: dict[str, Any],
    discovery: dict[str, Any],
    now: datetime,
) -> RecordedEvent:
    """Add an event to the log in the caller's transaction (so it commits with the change)."""
    event = RecordedEvent(
        event_id=str(uuid.uuid4()), type=type, team_id=team_id, discovery_id=discovery_id,
        occurred_at=now, data=data, discovery=discovery, next_attempt_at=now,
    )  # fmt: skip
    session.add(event)
    session.flush()
    return event


def claim_undispatched_events(
    *, session: Session, now: datetime, limit: int
) -> list[RecordedEvent]:
    """The oldest events whose effects are not queued yet, locked until the caller commits.

    FOR UPDATE without SKIP LOCKED: dispatchers take turns (it is quick, database-only work),
    so effects are queued in the order the events happened, whichever process queues them.
    """
    statement = _undispatched(select(RecordedEvent), now).order_by(col(RecordedEvent.id))
    return list(session.exec(statement.limit(limit).with_for_update()).all())


def any_undispatched_events(*, session: Session, now: datetime) -> bool:
    """Whether claim_undispatched_events would find any: a read, so an idle dispatcher can
    look without the write lock (on SQLite every claim takes it)."""
    return session.exec(_undispatched(select(RecordedEvent.id), now).limit(1)).first() is not None


def _undispatched(statement: Any, now: datetime) -> Any:
    return statement.where(
        col(RecordedEvent.dispatched_at).is_(None), RecordedEvent.next_attempt_at <= now
    )


def mark_event_dispatched(*, session: Session, event_id: int, now: datetime) -> None:
    """Its effects are in the outbox: never dispatched again."""
    session.exec(
        sa.update(RecordedEvent).where(RecordedEvent.id == event_id).values(dispatched_at=now)
    )


def mark_event_retry(*, session: Session, event_id: int, error: str, now: datetime) -> None:
    """A handler failed: kept undispatched and visible, tried again a little later."""
    session.exec(
        sa.update(RecordedEvent)
        .where(RecordedEvent.id == event_id)
        .values(
            attempts=RecordedEvent.attempts + 1,
            last_error=scrub_error(error),
            next_attempt_at=now + DISPATCH_RETRY,
        )
    )
