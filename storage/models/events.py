"""The event log: every domain event a use case recorded, and whether its effects are queued."""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from storage.models.base import SLACK_ID
from storage.types import UTCDateTime, utc_now


class RecordedEvent(SQLModel, table=True):
    """A domain event, written in the transaction of the change it tells of.

    The dispatcher turns it into outbox rows (its effects) once, then sets dispatched_at.
    """

    __tablename__ = "domain_events"
    __table_args__ = (
        sa.Index(
            "ix_domain_events_dispatched_at_next_attempt_at", "dispatched_at", "next_attempt_at"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    # Public and stable: the webhook's X-ValueScout-Event-Id, the same on every retry.
    event_id: str = Field(sa_type=sa.String(40), unique=True)
    type: str = Field(sa_type=sa.String(50))
    team_id: str = Field(sa_type=sa.String(SLACK_ID))
    discovery_id: int | None = Field(
        default=None, sa_type=sa.Integer, foreign_key="discoveries.id", ondelete="SET NULL"
    )
    occurred_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)
    data: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
    # The discovery's export record right after the change: what a webhook receiver gets.
    discovery: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
    dispatched_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    attempts: int = Field(default=0)
    next_attempt_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)
    last_error: str | None = Field(default=None, sa_type=sa.Text)
