"""The dispatcher: takes recorded events from the log and queues their effects, once each."""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import Engine
from sqlmodel import Session

from bot.domain.events import event_from
from bot.effects.handlers import Occurred, handle
from storage.engine import read_scope, session_scope
from storage.models import RecordedEvent
from storage.queries import (
    any_undispatched_events,
    claim_undispatched_events,
    mark_event_dispatched,
    mark_event_retry,
)

logger = logging.getLogger(__name__)
BATCH = 100


def dispatch_events(
    *, engine: Engine, now: datetime, webhook: bool, team_webhooks: bool = False,
    limit: int = BATCH,
) -> int:  # fmt: skip
    """Queue the effects of every event not dispatched yet (oldest first); return how many."""
    with read_scope(engine) as session:  # most drains find none: no write lock to find that
        if not any_undispatched_events(session=session, now=now):
            return 0
    with session_scope(engine) as session:
        events = claim_undispatched_events(session=session, now=now, limit=limit)
        for event in events:
            _dispatch(session, event, now=now, webhook=webhook, team_webhooks=team_webhooks)
    return len(events)


def _dispatch(
    session: Session, row: RecordedEvent, *, now: datetime, webhook: bool, team_webhooks: bool
) -> None:
    """One event's effects in a savepoint: a handler that fails (a bug) holds back only it."""
    assert row.id is not None
    occurred = Occurred(
        event=event_from(row.type, row.data), event_id=row.event_id, occurred_at=row.occurred_at,
        team_id=row.team_id, discovery=row.discovery, now=now, webhook=webhook,
        team_webhooks=team_webhooks,
    )  # fmt: skip
    try:
        with session.begin_nested():
            handle(session, occurred)
    except Exception as error:
        logger.exception("effects of event %s (%s) failed; kept, tried again", row.id, row.type)
        mark_event_retry(session=session, event_id=row.id, error=repr(error), now=now)
        return
    mark_event_dispatched(session=session, event_id=row.id, now=now)
