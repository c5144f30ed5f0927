"""Discoveries, where they were routed, their status history, and the dialogues that make them."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from storage.enums import (
    DialogueStatus,
    DiscoverySource,
    DiscoveryStatus,
    Fit,
    Persona,
    ValueBand,
)
from storage.models.base import ENUM_LENGTH, SLACK_ID, SLACK_TS
from storage.types import UTCDateTime, str_enum, utc_now

_TOUCH = {"onupdate": utc_now}
EMPTY_JSON = sa.text("'{}'")


class Discovery(SQLModel, table=True):
    """A value gap a scout found at a customer."""

    __tablename__ = "discoveries"
    __table_args__ = (
        sa.Index("ix_discoveries_account", "account"),
        sa.Index("ix_discoveries_account_id", "account_id"),
        # Time ranges (digests, related cards); with the status, a range counts from the index.
        sa.Index("ix_discoveries_created_at_status", "created_at", "status"),
        sa.Index("ix_discoveries_status", "status"),
        # Digests: open loops (still new, logged before a moment) and first-time scouts.
        sa.Index("ix_discoveries_status_created_at", "status", "created_at"),
        sa.Index("ix_discoveries_scout_user_id_created_at", "scout_user_id", "created_at"),
        # The sales digest's and the radar's compelling events of the coming weeks.
        sa.Index("ix_discoveries_event_date", "event_date"),
        # A workspace's digests read its week (and the trend's 13 weeks) by this range.
        sa.Index("ix_discoveries_team_id_created_at_status", "team_id", "created_at", "status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(sa_type=sa.String(SLACK_ID))
    scout_user_id: str = Field(sa_type=sa.String(SLACK_ID))
    account: str = Field(sa_type=sa.String(200))
    # Set on every submit (a matched account, or a new one); nullable only for the migration.
    account_id: int | None = Field(default=None, sa_type=sa.Integer, foreign_key="accounts.id")
    who_cares: Persona | None = Field(default=None, sa_type=str_enum(Persona, ENUM_LENGTH))
    outcome: str = Field(sa_type=sa.Text)
    gap: str = Field(sa_type=sa.Text)
    # Kept whole, however long: Slack messages are truncated visibly, the database never.
    evidence: str | None = Field(default=None, sa_type=sa.Text)
    evidence_url: str | None = Field(default=None, sa_type=sa.Text)
    value_band: ValueBand | None = Field(default=None, sa_type=str_enum(ValueBand, ENUM_LENGTH))
    value_amount: Decimal | None = Field(default=None, sa_type=sa.Numeric(18, 2))
    value_currency: str | None = Field(default=None, sa_type=sa.String(3))
    # The value in the base currency (VALUESCOUT_BASE_CURRENCY): the amount converted, or the
    # band's midpoint; what "largest by value" and totals compare.
    value_base: Decimal | None = Field(default=None, sa_type=sa.Numeric(18, 2))
    event_date: date | None = Field(default=None, sa_type=sa.Date)
    event_pressure: str | None = Field(default=None, sa_type=sa.Text)
    fit: Fit = Field(sa_type=str_enum(Fit, ENUM_LENGTH))
    # Completeness 0–5 (measurable outcome, value, compelling event, who cares, their words),
    # scored from the answers on submit and on every edit; NULL for rows stored before it.
    quality: int | None = Field(default=None, sa_type=sa.Integer)
    # The parts it lacks, "<words>:part,part" (bot.domain.opener.quality.missing_mark): written
    # with the score; the digests read it rather than score each discovery again. NULL for rows
    # stored before it, or inserted by hand; scored under other words: scored again when read.
    quality_missing: str | None = Field(default=None, sa_type=sa.Text)
    # Every answer, under its question's key, as the dialogue stores it: the source of what
    # every surface shows. The columns above are its projection for queries (routing,
    # digests, accounts, indexes), written from the same answers in one place. Rows inserted
    # by hand (benches, bulk loads) get an empty one and are read from their columns.
    answers: dict[str, Any] = Field(
        default_factory=dict, sa_type=sa.JSON, sa_column_kwargs={"server_default": EMPTY_JSON}
    )
    themes: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    status: DiscoveryStatus = Field(
        default=DiscoveryStatus.NEW, sa_type=str_enum(DiscoveryStatus, ENUM_LENGTH)
    )
    source: DiscoverySource = Field(sa_type=str_enum(DiscoverySource, ENUM_LENGTH))
    # The Slack ids that make a submission unique (view id, "dialogue:<id>"): retries collide here.
    source_key: str = Field(sa_type=sa.String(255), unique=True)
    created_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)
    updated_at: datetime = Field(
        default_factory=utc_now, sa_type=UTCDateTime, sa_column_kwargs=_TOUCH
    )
    # Set when the scout changed the discovery after submitting it; cards then say "edited".
    edited_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # Its loop facts, from its history and routes (storage.queries.loop_facts, refreshed in
    # the transaction of every change): the digests' trend reads these, not the history.
    # First answer (from new by any team, re-routes aside), first actioned, first closed
    # (actioned or declined), first realised follow-through stage.
    answered_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    actioned_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    realised_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # The furthest answer of a current route now: "acknowledged", "actioned" or NULL.
    furthest_answer: str | None = Field(default=None, sa_type=sa.String(ENUM_LENGTH))
    # The routes it is on now (not re-routed away), comma-separated, in no set order.
    routes_now: str | None = Field(default=None, sa_type=sa.Text)


class DiscoveryRoute(SQLModel, table=True):
    """One team a discovery was routed to, and the card posted there."""

    __tablename__ = "discovery_routes"
    __table_args__ = (
        sa.UniqueConstraint("discovery_id", "route"),
        # A discovery's current routes from the index alone: every digest figure per route
        # joins on this for each discovery of the week (or of the 13 weeks of the trend).
        sa.Index(
            "ix_discovery_routes_discovery_id_rerouted_to_route",
            "discovery_id",
            "rerouted_to",
            "route",
        ),
        # Open loops and nudges: the cards still new that arrived before a moment.
        sa.Index("ix_discovery_routes_status_created_at", "status", "created_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    discovery_id: int = Field(sa_type=sa.Integer, foreign_key="discoveries.id", ondelete="CASCADE")
    route: str = Field(sa_type=sa.String(ENUM_LENGTH))  # a route id of prompts/routing.yaml
    # This team's own answer; the discovery's status is derived from its routes' (lifecycle).
    status: DiscoveryStatus = Field(
        default=DiscoveryStatus.NEW, sa_type=str_enum(DiscoveryStatus, ENUM_LENGTH)
    )
    # When the discovery reached this team (submitted, re-routed or also sent here).
    created_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)
    reason: str = Field(sa_type=sa.Text)
    channel_id: str = Field(sa_type=sa.String(SLACK_ID))
    message_ts: str | None = Field(default=None, sa_type=sa.String(SLACK_TS))
    # Set when the card was re-routed: this route no longer acts on it, the named one does.
    rerouted_to: str | None = Field(default=None, sa_type=sa.String(ENUM_LENGTH))


class StatusChange(SQLModel, table=True):
    """One change of a route's status (or of every route at once): who, when, what came of it.

    route_id names the route whose status changed; NULL when the change covered every route
    the discovery had then (the submission, a withdrawal, and changes from before each team
    had its own status). A move belongs to the route it left, an "also send" to the route it
    created, so each route's history tells its own story.
    """

    __tablename__ = "status_changes"
    __table_args__ = (
        # A discovery's changes in time order, and what each did, from the index alone: the
        # digest's loop timing looks up every discovery of four weeks here (80,000 at 20,000 a week).
        sa.Index(
            "ix_status_changes_discovery_id_at_statuses",
            *("discovery_id", "at", "rerouted_to", "from_status", "to_status"),
        ),
        # Digests read a week of changes at a time.
        sa.Index("ix_status_changes_at", "at"),
        sa.Index("ix_status_changes_route_id", "route_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    discovery_id: int = Field(sa_type=sa.Integer, foreign_key="discoveries.id", ondelete="CASCADE")
    route_id: int | None = Field(
        default=None, sa_type=sa.Integer, foreign_key="discovery_routes.id", ondelete="CASCADE"
    )
    from_status: DiscoveryStatus | None = Field(
        default=None, sa_type=str_enum(DiscoveryStatus, ENUM_LENGTH)
    )
    to_status: DiscoveryStatus = Field(sa_type=str_enum(DiscoveryStatus, ENUM_LENGTH))
    actor_user_id: str = Field(sa_type=sa.String(SLACK_ID))
    note: str | None = Field(default=None, sa_type=sa.Text)
    outcome_kind: str | None = Field(default=None, sa_type=sa.String(50))
    link: str | None = Field(default=None, sa_type=sa.Text)
    # A re-route is a change in the history too: from which route to which.
    rerouted_from: str | None = Field(default=None, sa_type=sa.String(ENUM_LENGTH))
    rerouted_to: str | None = Field(default=None, sa_type=sa.String(ENUM_LENGTH))
    at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)


class DialogueSession(SQLModel, table=True):
    """A scout's dialogue in progress, kept so it survives restarts."""

    __tablename__ = "dialogue_sessions"
    __table_args__ = (
        # At most one OPEN dialogue per user: a partial unique index, same on both backends.
        sa.Index(
            "uq_dialogue_sessions_open_user",
            "team_id",
            "user_id",
            unique=True,
            sqlite_where=sa.text("status = 'open'"),
            postgresql_where=sa.text("status = 'open'"),
        ),
        # A scout's latest draft, on every new dialogue: only drafts are indexed, so the
        # index stays as small as the drafts however many dialogues are kept.
        sa.Index(
            "ix_dialogue_sessions_drafts",
            "team_id",
            "user_id",
            "updated_at",
            sqlite_where=sa.text("status = 'draft'"),
            postgresql_where=sa.text("status = 'draft'"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(sa_type=sa.String(SLACK_ID))
    user_id: str = Field(sa_type=sa.String(SLACK_ID))
    channel_id: str | None = Field(default=None, sa_type=sa.String(SLACK_ID))
    step: str = Field(sa_type=sa.String(64))
    answers: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
    status: DialogueStatus = Field(
        default=DialogueStatus.OPEN, sa_type=str_enum(DialogueStatus, ENUM_LENGTH)
    )
    created_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)
    updated_at: datetime = Field(
        default_factory=utc_now, sa_type=UTCDateTime, sa_column_kwargs=_TOUCH
    )
    reminded_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
