"""Re-routes, edits and digest progress: the columns closing the loop and digests need.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add the columns; all nullable or defaulted, so existing rows stay valid."""
    with op.batch_alter_table("discoveries") as table:
        table.add_column(sa.Column("edited_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("discovery_routes") as table:
        table.add_column(sa.Column("rerouted_to", sa.String(length=20), nullable=True))
    with op.batch_alter_table("status_changes") as table:
        table.add_column(sa.Column("rerouted_from", sa.String(length=20), nullable=True))
        table.add_column(sa.Column("rerouted_to", sa.String(length=20), nullable=True))
    with op.batch_alter_table("digest_runs") as table:
        table.add_column(
            sa.Column("progress", sa.JSON(), nullable=False, server_default=sa.text("'{}'"))
        )


def downgrade() -> None:
    """Drop what upgrade added."""
    with op.batch_alter_table("digest_runs") as table:
        table.drop_column("progress")
    with op.batch_alter_table("status_changes") as table:
        table.drop_column("rerouted_to")
        table.drop_column("rerouted_from")
    with op.batch_alter_table("discovery_routes") as table:
        table.drop_column("rerouted_to")
    with op.batch_alter_table("discoveries") as table:
        table.drop_column("edited_at")
