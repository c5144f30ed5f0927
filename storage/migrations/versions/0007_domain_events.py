"""The domain event log: each change's events, recorded with it, dispatched into the outbox once.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEX = "ix_domain_events_dispatched_at_next_attempt_at"


def _timestamp(name: str, *, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    """Create domain_events; its index finds the events whose effects are not queued yet."""
    op.create_table(
        "domain_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.String(length=40), nullable=False),
        sa.Column("type", sa.String(length=50), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("discovery_id", sa.Integer(), nullable=True),
        _timestamp("occurred_at"),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("discovery", sa.JSON(), nullable=False),
        _timestamp("dispatched_at", nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        _timestamp("next_attempt_at"),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["discovery_id"],
            ["discoveries.id"],
            name="fk_domain_events_discovery_id_discoveries",
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_domain_events"),
        sa.UniqueConstraint("event_id", name="uq_domain_events_event_id"),
    )
    op.create_index(INDEX, "domain_events", ["dispatched_at", "next_attempt_at"])


def downgrade() -> None:
    """Drop the event log."""
    op.drop_index(INDEX, table_name="domain_events")
    op.drop_table("domain_events")
