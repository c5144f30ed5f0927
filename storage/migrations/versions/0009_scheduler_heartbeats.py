"""The scheduler's heartbeats: one row per process that runs it, so `doctor` can tell whether
scheduled work (digests, reminders, nudges) runs anywhere.

Revision ID: 0009
Revises: 0007
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create scheduler_heartbeats."""
    op.create_table(
        "scheduler_heartbeats",
        sa.Column("process", sa.String(255), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("beat_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("process", name=op.f("pk_scheduler_heartbeats")),
    )
    op.create_index(op.f("ix_scheduler_heartbeats_beat_at"), "scheduler_heartbeats", ["beat_at"])


def downgrade() -> None:
    """Drop scheduler_heartbeats."""
    op.drop_index(op.f("ix_scheduler_heartbeats_beat_at"), table_name="scheduler_heartbeats")
    op.drop_table("scheduler_heartbeats")
