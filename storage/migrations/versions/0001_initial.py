"""Initial schema: discoveries, dialogues, outbox, dedupe, channel map, settings, digests.

Revision ID: 0001
Revises:
Create Date: 2026-11-23

Hand-cleaned from autogenerate: plain SQLAlchemy types only (enums are VARCHAR(20),
timestamps are DateTime(timezone=True)), so this file never changes when app code does.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _id() -> sa.Column:
    """Return an integer surrogate key column."""
    return sa.Column("id", sa.Integer(), nullable=False)


def _slack_id(name: str, *, nullable: bool = False) -> sa.Column:
    """Return a column for a Slack id or message ts."""
    return sa.Column(name, sa.String(length=32), nullable=nullable)


def _enum(name: str, *, nullable: bool = False) -> sa.Column:
    """Return a column for a str enum, stored as VARCHAR (no native PG enum)."""
    return sa.Column(name, sa.String(length=20), nullable=nullable)


def _timestamp(name: str, *, nullable: bool = False) -> sa.Column:
    """Return a timezone-aware timestamp column (UTC by convention)."""
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _text(name: str, *, nullable: bool = False) -> sa.Column:
    """Return an unbounded text column."""
    return sa.Column(name, sa.Text(), nullable=nullable)


def _discovery_fk(table: str, ondelete: str) -> sa.ForeignKeyConstraint:
    """Return the named foreign key from table.discovery_id to discoveries.id."""
    return sa.ForeignKeyConstraint(
        ["discovery_id"],
        ["discoveries.id"],
        name=f"fk_{table}_discovery_id_discoveries",
        ondelete=ondelete,
    )


def _create_discoveries() -> None:
    """Create the discoveries table and its indexes."""
    op.create_table(
        "discoveries",
        _id(),
        _slack_id("team_id"),
        _slack_id("scout_user_id"),
        sa.Column("account", sa.String(length=200), nullable=False),
        _enum("who_cares", nullable=True),
        _text("outcome"),
        _text("gap"),
        _text("evidence", nullable=True),
        _text("evidence_url", nullable=True),
        _enum("value_band", nullable=True),
        sa.Column("value_amount", sa.Numeric(precision=18, scale=2), nullable=True),
        sa.Column("value_currency", sa.String(length=3), nullable=True),
        sa.Column("event_date", sa.Date(), nullable=True),
        _text("event_pressure", nullable=True),
        _enum("fit"),
        sa.Column("themes", sa.JSON(), nullable=False),
        _enum("status"),
        _enum("source"),
        sa.Column("source_key", sa.String(length=255), nullable=False),
        _timestamp("created_at"),
        _timestamp("updated_at"),
        sa.PrimaryKeyConstraint("id", name="pk_discoveries"),
        sa.UniqueConstraint("source_key", name="uq_discoveries_source_key"),
    )
    op.create_index("ix_discoveries_account", "discoveries", ["account"])
    op.create_index("ix_discoveries_created_at", "discoveries", ["created_at"])
    op.create_index("ix_discoveries_status", "discoveries", ["status"])


def _create_discovery_children() -> None:
    """Create the routes and status history of discoveries."""
    op.create_table(
        "discovery_routes",
        _id(),
        sa.Column("discovery_id", sa.Integer(), nullable=False),
        _enum("route"),
        _text("reason"),
        _slack_id("channel_id"),
        _slack_id("message_ts", nullable=True),
        _discovery_fk("discovery_routes", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_discovery_routes"),
        sa.UniqueConstraint("discovery_id", "route", name="uq_discovery_routes_discovery_id_route"),
    )
    op.create_table(
        "status_changes",
        _id(),
        sa.Column("discovery_id", sa.Integer(), nullable=False),
        _enum("from_status", nullable=True),
        _enum("to_status"),
        _slack_id("actor_user_id"),
        _text("note", nullable=True),
        sa.Column("outcome_kind", sa.String(length=50), nullable=True),
        _text("link", nullable=True),
        _timestamp("at"),
        _discovery_fk("status_changes", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_status_changes"),
    )
    op.create_index("ix_status_changes_discovery_id_at", "status_changes", ["discovery_id", "at"])


def _create_dialogue_sessions() -> None:
    """Create dialogue sessions, with at most one open dialogue per user."""
    op.create_table(
        "dialogue_sessions",
        _id(),
        _slack_id("team_id"),
        _slack_id("user_id"),
        _slack_id("channel_id", nullable=True),
        sa.Column("step", sa.String(length=64), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        _enum("status"),
        _timestamp("created_at"),
        _timestamp("updated_at"),
        _timestamp("reminded_at", nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_dialogue_sessions"),
    )
    only_open = sa.text("status = 'open'")
    op.create_index(
        "uq_dialogue_sessions_open_user",
        "dialogue_sessions",
        ["team_id", "user_id"],
        unique=True,
        sqlite_where=only_open,
        postgresql_where=only_open,
    )


def _create_outbox() -> None:
    """Create the durable outbox of Slack messages to deliver."""
    op.create_table(
        "outbox_messages",
        _id(),
        sa.Column("kind", sa.String(length=50), nullable=False),
        sa.Column("dedupe_key", sa.String(length=255), nullable=False),
        sa.Column("discovery_id", sa.Integer(), nullable=True),
        _slack_id("channel_id"),
        _slack_id("thread_ts", nullable=True),
        sa.Column("payload", sa.JSON(), nullable=False),
        _enum("status"),
        sa.Column("attempts", sa.Integer(), nullable=False),
        _timestamp("next_attempt_at"),
        _text("last_error", nullable=True),
        _slack_id("posted_ts", nullable=True),
        _slack_id("posted_channel", nullable=True),
        _timestamp("created_at"),
        _timestamp("sent_at", nullable=True),
        _discovery_fk("outbox_messages", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name="pk_outbox_messages"),
        sa.UniqueConstraint("dedupe_key", name="uq_outbox_messages_dedupe_key"),
    )
    op.create_index(
        "ix_outbox_messages_status_next_attempt_at",
        "outbox_messages",
        ["status", "next_attempt_at"],
    )


def _create_operations() -> None:
    """Create request dedupe, the channel map, settings and digest runs."""
    op.create_table(
        "processed_requests",
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("kind", sa.String(length=50), nullable=False),
        _timestamp("received_at"),
        sa.PrimaryKeyConstraint("key", name="pk_processed_requests"),
    )
    op.create_table(
        "route_channels",
        _enum("route"),
        _slack_id("channel_id"),
        _slack_id("updated_by", nullable=True),
        _timestamp("updated_at"),
        sa.PrimaryKeyConstraint("route", name="pk_route_channels"),
    )
    op.create_table(
        "app_settings",
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        _slack_id("updated_by", nullable=True),
        _timestamp("updated_at"),
        sa.PrimaryKeyConstraint("key", name="pk_app_settings"),
    )
    op.create_table(
        "digest_runs",
        _id(),
        sa.Column("digest", sa.String(length=50), nullable=False),
        _slack_id("channel_id"),
        sa.Column("period", sa.String(length=32), nullable=False),
        _enum("status"),
        _timestamp("claimed_at"),
        _timestamp("sent_at", nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_digest_runs"),
        sa.UniqueConstraint(
            "digest", "channel_id", "period", name="uq_digest_runs_digest_channel_id_period"
        ),
    )


def upgrade() -> None:
    """Create every table of the first release."""
    _create_discoveries()
    _create_discovery_children()
    _create_dialogue_sessions()
    _create_outbox()
    _create_operations()


def downgrade() -> None:
    """Drop every table, children before parents (indexes go with their tables)."""
    for table in (
        "digest_runs",
        "app_settings",
        "route_channels",
        "processed_requests",
        "outbox_messages",
        "dialogue_sessions",
        "status_changes",
        "discovery_routes",
        "discoveries",
    ):
        op.drop_table(table)
