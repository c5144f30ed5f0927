"""Recording domain events: in the use case's transaction, with the discovery as it now is."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from bot.discoveries.export.reading import current_record
from bot.domain.events import DomainEvent, event_data
from storage.queries import record_event


def record(*, session: Session, event: DomainEvent, now: datetime) -> None:
    """Log the event beside the change it tells of; it commits, or rolls back, with it."""
    discovery = current_record(session=session, discovery_id=event.discovery_id)
    if discovery is None:  # the change itself found the discovery, so this cannot happen
        raise LookupError(f"discovery {event.discovery_id} is gone")
    record_event(
        session=session, type=event.type, team_id=discovery["team_id"],
        discovery_id=event.discovery_id, data=event_data(event), discovery=discovery, now=now,
    )  # fmt: skip
