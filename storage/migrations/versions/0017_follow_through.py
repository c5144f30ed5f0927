"""Follow-through to realised value: each actioned route's stage and follow-up date, and the
history of its stages. New tables only (nothing existing is rebuilt).

Revision ID: 0017
Revises: 0021
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create follow_ups and stage_changes with their indexes."""
    _create_follow_ups()
    _create_stage_changes()


def _create_follow_ups() -> None:
    """Each actioned route's follow-up: its stage, who is asked, when, and what it realised."""
    op.create_table(
        "follow_ups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("discovery_id", sa.Integer(), nullable=False),
        sa.Column("route_id", sa.Integer(), nullable=False),
        sa.Column("route", sa.String(length=20), nullable=False),
        sa.Column("owner_user_id", sa.String(length=32), nullable=False),
        sa.Column("stage", sa.String(length=20), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("asked", sa.Integer(), nullable=False),
        sa.Column("asked_on", sa.Date(), nullable=True),
        *_realised(),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        _cascade("follow_ups", "discovery_id", "discoveries"),
        _cascade("follow_ups", "route_id", "discovery_routes"),
        sa.PrimaryKeyConstraint("id", name="pk_follow_ups"),
        sa.UniqueConstraint("route_id", name="uq_follow_ups_route_id"),
    )
    op.create_index("ix_follow_ups_due_on", "follow_ups", ["due_on"])
    op.create_index("ix_follow_ups_discovery_id", "follow_ups", ["discovery_id"])


def _create_stage_changes() -> None:
    """Every move of a follow-up's stage: who, when, and what they typed for it."""
    op.create_table(
        "stage_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("discovery_id", sa.Integer(), nullable=False),
        sa.Column("follow_up_id", sa.Integer(), nullable=False),
        sa.Column("route", sa.String(length=20), nullable=False),
        sa.Column("from_stage", sa.String(length=20), nullable=True),
        sa.Column("stage", sa.String(length=20), nullable=False),
        sa.Column("realised", sa.Boolean(), nullable=False),
        sa.Column("actor_user_id", sa.String(length=32), nullable=False),
        *_realised(),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        _cascade("stage_changes", "discovery_id", "discoveries"),
        _cascade("stage_changes", "follow_up_id", "follow_ups"),
        sa.PrimaryKeyConstraint("id", name="pk_stage_changes"),
    )
    op.create_index("ix_stage_changes_discovery_id", "stage_changes", ["discovery_id"])
    op.create_index("ix_stage_changes_at", "stage_changes", ["at"])


def _cascade(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    """A foreign key to target's id, deleted with it, named as the models name it."""
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], ondelete="CASCADE", name=f"fk_{table}_{column}_{target}"
    )


def _realised() -> list[sa.Column]:
    """What a stage realised: an amount (and in the base currency) or a link."""
    return [
        sa.Column("amount", sa.Numeric(precision=18, scale=2), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=True),
        sa.Column("amount_base", sa.Numeric(precision=18, scale=2), nullable=True),
        sa.Column("link", sa.Text(), nullable=True),
    ]


def downgrade() -> None:
    """Drop both tables (their indexes go with them)."""
    op.drop_table("stage_changes")
    op.drop_table("follow_ups")
