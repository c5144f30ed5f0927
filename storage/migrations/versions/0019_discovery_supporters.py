"""Supporters: the accounts (with their value and evidence) added to an open discovery by a
look-alike discovery's scout or by a merge, instead of a second card.

Revision ID: 0019
Revises: 0017
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "discovery_supporters"


def upgrade() -> None:
    """Create the table (a new one: the FTS triggers on discoveries are left alone)."""
    op.create_table(
        TABLE,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("discovery_id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=True),
        sa.Column("account", sa.String(length=200), nullable=False),
        sa.Column("scout_user_id", sa.String(length=32), nullable=False),
        sa.Column("value_band", sa.String(length=20), nullable=True),
        sa.Column("value_amount", sa.Numeric(18, 2), nullable=True),
        sa.Column("value_currency", sa.String(length=3), nullable=True),
        sa.Column("value_base", sa.Numeric(18, 2), nullable=True),
        sa.Column("evidence", sa.Text(), nullable=True),
        sa.Column("source_key", sa.String(length=255), nullable=False),
        sa.Column("merged_from_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["discovery_id"], ["discoveries.id"],
            name="fk_discovery_supporters_discovery_id_discoveries", ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name="fk_discovery_supporters_account_id_accounts"
        ),
        sa.ForeignKeyConstraint(
            ["merged_from_id"], ["discoveries.id"],
            name="fk_discovery_supporters_merged_from_id_discoveries", ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_discovery_supporters"),
        sa.UniqueConstraint("source_key", name="uq_discovery_supporters_source_key"),
    )  # fmt: skip
    op.create_index("ix_discovery_supporters_discovery_id", TABLE, ["discovery_id"])


def downgrade() -> None:
    """Drop the supporters (the discoveries they supported stay as they are)."""
    op.drop_index("ix_discovery_supporters_discovery_id", table_name=TABLE)
    op.drop_table(TABLE)
