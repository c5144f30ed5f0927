"""Per-channel pacing in the database, so every process and thread shares one pace.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create channel_pacing: the next free slot of each channel (a 429's pause included)."""
    op.create_table(
        "channel_pacing",
        sa.Column("channel_id", sa.String(length=32), nullable=False),
        sa.Column("next_free_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("channel_id", name="pk_channel_pacing"),
    )


def downgrade() -> None:
    """Drop it: pacing goes back to nothing shared."""
    op.drop_table("channel_pacing")
