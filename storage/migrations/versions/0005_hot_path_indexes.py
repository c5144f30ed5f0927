"""Indexes for the hot paths: a scout's latest draft without reading every dialogue kept.

Revision ID: 0005
Revises: 0003
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create a partial index over drafts only (the same on SQLite and PostgreSQL)."""
    only_drafts = sa.text("status = 'draft'")
    op.create_index(
        "ix_dialogue_sessions_drafts",
        "dialogue_sessions",
        ["team_id", "user_id", "updated_at"],
        sqlite_where=only_drafts,
        postgresql_where=only_drafts,
    )


def downgrade() -> None:
    """Drop it."""
    op.drop_index("ix_dialogue_sessions_drafts", table_name="dialogue_sessions")
