"""Follow-through after Actioned: each actioned route's stage and follow-up date, and the
history of its stages (opportunity opened → won, planned → shipped…)."""

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from storage.models.base import ENUM_LENGTH, SLACK_ID
from storage.types import UTCDateTime, utc_now


class FollowUp(SQLModel, table=True):
    """One actioned route's follow-through: its stage now, who follows it up and when."""

    __tablename__ = "follow_ups"
    __table_args__ = (
        sa.UniqueConstraint("route_id"),
        # The job: follow-ups due on or before a day.
        sa.Index("ix_follow_ups_due_on", "due_on"),
        sa.Index("ix_follow_ups_discovery_id", "discovery_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    discovery_id: int = Field(sa_type=sa.Integer, foreign_key="discoveries.id", ondelete="CASCADE")
    route_id: int = Field(sa_type=sa.Integer, foreign_key="discovery_routes.id", ondelete="CASCADE")
    route: str = Field(sa_type=sa.String(ENUM_LENGTH))
    # Who actioned the route: they get the follow-up DMs and may move its stage.
    owner_user_id: str = Field(sa_type=sa.String(SLACK_ID))
    stage: str = Field(sa_type=sa.String(ENUM_LENGTH))  # a stage id of the route's follow_through
    # The day (the workspace's) the next follow-up DM is due; None once the stage ends it.
    due_on: date | None = Field(default=None, sa_type=sa.Date)
    asked: int = Field(default=0)  # DMs sent for this due date: 1, then 2 (overdue after)
    asked_on: date | None = Field(default=None, sa_type=sa.Date)  # the day of the last one
    # What was realised, as the latest stage recorded it.
    amount: Decimal | None = Field(default=None, sa_type=sa.Numeric(18, 2))
    currency: str | None = Field(default=None, sa_type=sa.String(3))
    amount_base: Decimal | None = Field(default=None, sa_type=sa.Numeric(18, 2))
    link: str | None = Field(default=None, sa_type=sa.Text)
    updated_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)


class StageChange(SQLModel, table=True):
    """One move of a route's follow-through stage: who, when, and what they typed for it."""

    __tablename__ = "stage_changes"
    __table_args__ = (
        sa.Index("ix_stage_changes_discovery_id", "discovery_id"),
        # Digests and realised_by_week read a range of changes.
        sa.Index("ix_stage_changes_at", "at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    discovery_id: int = Field(sa_type=sa.Integer, foreign_key="discoveries.id", ondelete="CASCADE")
    follow_up_id: int = Field(sa_type=sa.Integer, foreign_key="follow_ups.id", ondelete="CASCADE")
    route: str = Field(sa_type=sa.String(ENUM_LENGTH))
    from_stage: str | None = Field(default=None, sa_type=sa.String(ENUM_LENGTH))
    stage: str = Field(sa_type=sa.String(ENUM_LENGTH))
    realised: bool = Field(default=False)
    actor_user_id: str = Field(sa_type=sa.String(SLACK_ID))
    amount: Decimal | None = Field(default=None, sa_type=sa.Numeric(18, 2))
    currency: str | None = Field(default=None, sa_type=sa.String(3))
    amount_base: Decimal | None = Field(default=None, sa_type=sa.Numeric(18, 2))
    link: str | None = Field(default=None, sa_type=sa.Text)
    reason: str | None = Field(default=None, sa_type=sa.Text)
    at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)
