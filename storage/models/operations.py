"""Operational tables: the outbox, channel pacing, request dedupe, channel map, settings,
digest runs and the scheduler's heartbeats."""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from storage.enums import DigestRunStatus, OutboxStatus
from storage.models.base import ENUM_LENGTH, SLACK_ID, SLACK_TS, team_field
from storage.types import UTCDateTime, str_enum, utc_now


class OutboxMessage(SQLModel, table=True):
    """A Slack message to deliver after the ack: durable, retried, never dropped."""

    __tablename__ = "outbox_messages"
    __table_args__ = (
        sa.Index("ix_outbox_messages_status_next_attempt_at", "status", "next_attempt_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    # The workspace whose token posts it: its discovery's, or the job's that queued it.
    team_id: str = team_field()
    kind: str = Field(sa_type=sa.String(50))
    # Enqueueing twice with one key yields one row: the caller's retries cannot double-post.
    dedupe_key: str = Field(sa_type=sa.String(255), unique=True)
    discovery_id: int | None = Field(
        default=None, sa_type=sa.Integer, foreign_key="discoveries.id", ondelete="SET NULL"
    )
    channel_id: str = Field(sa_type=sa.String(SLACK_ID))
    thread_ts: str | None = Field(default=None, sa_type=sa.String(SLACK_TS))
    payload: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
    status: OutboxStatus = Field(
        default=OutboxStatus.PENDING, sa_type=str_enum(OutboxStatus, ENUM_LENGTH)
    )
    attempts: int = Field(default=0)
    next_attempt_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)
    last_error: str | None = Field(default=None, sa_type=sa.Text)
    posted_ts: str | None = Field(default=None, sa_type=sa.String(SLACK_TS))
    posted_channel: str | None = Field(default=None, sa_type=sa.String(SLACK_ID))
    created_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class ChannelPacing(SQLModel, table=True):
    """When a channel may take its next post: one row per channel, shared by every process."""

    __tablename__ = "channel_pacing"
    # Global on purpose: Slack's channel ids are unique across workspaces (a channel shared
    # by two Grid workspaces is one channel), so one row per channel is never ambiguous.

    channel_id: str = Field(sa_type=sa.String(SLACK_ID), primary_key=True)
    # Claimed a slot at a time (moved one interval on), or pushed later by Slack's 429
    # Retry-After: either way no process posts to the channel before it.
    next_free_at: datetime = Field(sa_type=UTCDateTime)


class ProcessedRequest(SQLModel, table=True):
    """A Slack request already handled: its id as key, so retries are recognised."""

    __tablename__ = "processed_requests"

    # Global on purpose: the key holds Slack's own ids (event, view, trigger, a message ts with
    # its channel), unique across workspaces; rows hold no customer data and age out.
    key: str = Field(sa_type=sa.String(255), primary_key=True)
    kind: str = Field(sa_type=sa.String(50))
    received_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)


class RouteChannel(SQLModel, table=True):
    """Which Slack channel serves a route (or the coaches)."""

    __tablename__ = "route_channels"

    # Per workspace; team "" is the deployment's map (seeded from the environment, and the
    # one map of single-workspace mode): a workspace without its own row for a route uses it.
    team_id: str = team_field(primary_key=True)
    # A route id of prompts/routing.yaml, or "coach": text, so a new route needs no migration.
    route: str = Field(sa_type=sa.String(ENUM_LENGTH), primary_key=True)
    channel_id: str = Field(sa_type=sa.String(SLACK_ID))
    updated_by: str | None = Field(default=None, sa_type=sa.String(SLACK_ID))
    updated_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)


class AppSetting(SQLModel, table=True):
    """An admin-editable setting (digest schedule, nudge days…) as a JSON value."""

    __tablename__ = "app_settings"

    # Per workspace; team "" is the deployment's (single-workspace mode's) setting, which a
    # workspace without its own row reads, and the environment after it.
    team_id: str = team_field(primary_key=True)
    key: str = Field(sa_type=sa.String(100), primary_key=True)
    value: Any = Field(default=None, sa_type=sa.JSON)
    updated_by: str | None = Field(default=None, sa_type=sa.String(SLACK_ID))
    updated_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)


class DigestRun(SQLModel, table=True):
    """One digest for one channel and period: the unique row makes it exactly-once."""

    __tablename__ = "digest_runs"
    __table_args__ = (sa.UniqueConstraint("team_id", "digest", "channel_id", "period"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = team_field()  # "": single-workspace mode's runs
    digest: str = Field(sa_type=sa.String(50))
    channel_id: str = Field(sa_type=sa.String(SLACK_ID))
    period: str = Field(sa_type=sa.String(32))
    status: DigestRunStatus = Field(
        default=DigestRunStatus.CLAIMED, sa_type=str_enum(DigestRunStatus, ENUM_LENGTH)
    )
    claimed_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # How far sending got (parent ts, parts posted, chart): a resumed run never posts twice.
    progress: dict[str, Any] = Field(
        default_factory=dict,
        sa_type=sa.JSON,
        sa_column_kwargs={"server_default": sa.text("'{}'")},  # rows claimed by a bare INSERT
    )


class SchedulerHeartbeat(SQLModel, table=True):
    """A process that runs the scheduler, and when it last said so: `doctor` and App Home
    read it to tell whether digests and nudges run anywhere."""

    __tablename__ = "scheduler_heartbeats"

    process: str = Field(sa_type=sa.String(255), primary_key=True)  # host:pid
    kind: str = Field(sa_type=sa.String(20))  # web, worker, clock or demo
    started_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)
    beat_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime, index=True)
