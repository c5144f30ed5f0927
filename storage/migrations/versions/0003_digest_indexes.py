"""Indexes for weekly digests: a week of status changes, open loops, first-time scouts.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = (
    ("ix_status_changes_at", "status_changes", ["at"]),
    ("ix_discoveries_status_created_at", "discoveries", ["status", "created_at"]),
    ("ix_discoveries_scout_user_id_created_at", "discoveries", ["scout_user_id", "created_at"]),
)


def upgrade() -> None:
    """Create the indexes the digest queries range over."""
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade() -> None:
    """Drop them."""
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
