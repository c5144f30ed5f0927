"""Past weeks' trend figures kept per workspace and week, and the triggers that forget a
week's row when one of its discoveries changes (storage.queries.digest_kept).

The coaches' 12-week trend counted every discovery of those weeks on each build (~260,000
rows at 20,000 a week: most of a build's trend time), and its rising themes the four weeks
before this one; a closed week's figures only change when one of its discoveries does. On SQLite a later batch rebuild of `discoveries` would
drop these triggers (as 0014's): create them again after one.

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.queries.digest_kept import TABLE, drop_trigger_statements, trigger_statements

revision: str = "0026"
down_revision: str | None = "0025"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create the table (empty: the next build fills it) and the triggers."""
    op.create_table(
        TABLE,
        sa.Column("team_id", sa.String(32), server_default="", nullable=False),
        sa.Column("week_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("week_end", sa.DateTime(timezone=True), nullable=False),
        sa.Column("form", sa.Integer(), nullable=False),
        sa.Column("tally", sa.JSON(), nullable=False),
        sa.Column("seconds", sa.LargeBinary(), nullable=False),
        sa.Column("themes", sa.JSON(), nullable=False),
        sa.Column("settled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("kept_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("team_id", "week_start", "week_end", name=f"pk_{TABLE}"),
    )
    for statement in trigger_statements(op.get_bind().dialect.name):
        op.execute(statement)


def downgrade() -> None:
    """Drop the triggers and the table."""
    for statement in drop_trigger_statements(op.get_bind().dialect.name):
        op.execute(statement)
    op.drop_table(TABLE)
