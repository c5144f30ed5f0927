"""Themes people set: corrections of a discovery's themes, and themes admins added.

Revision ID: 0018
Revises: 0019
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create theme_corrections and theme_additions (new tables: discoveries is not rebuilt)."""
    op.create_table(
        "theme_corrections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("discovery_id", sa.Integer(), nullable=False),
        sa.Column("themes", sa.JSON(), nullable=False),
        sa.Column("replaced", sa.JSON(), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("source_key", sa.String(length=255), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["discovery_id"],
            ["discoveries.id"],
            name="fk_theme_corrections_discovery_id_discoveries",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_theme_corrections"),
        sa.UniqueConstraint("source_key", name="uq_theme_corrections_source_key"),
    )
    op.create_index("ix_theme_corrections_discovery_id", "theme_corrections", ["discovery_id"])
    op.create_table(
        "theme_additions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column("label", sa.String(length=100), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("phrases", sa.JSON(), nullable=False),
        sa.Column("added_by", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_theme_additions"),
        sa.UniqueConstraint("key", name="uq_theme_additions_key"),
    )


def downgrade() -> None:
    """Drop both tables."""
    op.drop_table("theme_additions")
    op.drop_index("ix_theme_corrections_discovery_id", table_name="theme_corrections")
    op.drop_table("theme_corrections")
