"""Digests whose cost follows the week: the sales digest's compelling events by their date.

The events list (the next 30 days) read every discovery to find the few with an event date
in range: a scan of the whole table on PostgreSQL, of every route on SQLite (bench/digest.py
at 1,000,000 discoveries). With an index on event_date it reads the month's events only.

Revision ID: 0021
Revises: 0016
Create Date: 2026-12-02
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0021"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEX = "ix_discoveries_event_date"


def upgrade() -> None:
    """Index the compelling event's date."""
    op.create_index(INDEX, "discoveries", ["event_date"])


def downgrade() -> None:
    """Drop it."""
    op.drop_index(INDEX, table_name="discoveries")
