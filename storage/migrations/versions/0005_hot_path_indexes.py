"""Indexes for the hot paths and for digests whose cost follows the week, not the history.

- drafts: a scout's latest draft without reading every dialogue kept (a partial index);
- discovery_routes (discovery_id, rerouted_to, route): a discovery's current routes from the
  index alone, for every per-route digest figure;
- discoveries (created_at, status) replaces (created_at): a range of live discoveries counts
  from the index.

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

ROUTES_INDEX = "ix_discovery_routes_discovery_id_rerouted_to_route"


def upgrade() -> None:
    """Create the indexes (the drafts one partial, the same on SQLite and PostgreSQL)."""
    only_drafts = sa.text("status = 'draft'")
    op.create_index(
        "ix_dialogue_sessions_drafts",
        "dialogue_sessions",
        ["team_id", "user_id", "updated_at"],
        sqlite_where=only_drafts,
        postgresql_where=only_drafts,
    )
    op.create_index(ROUTES_INDEX, "discovery_routes", ["discovery_id", "rerouted_to", "route"])
    op.create_index("ix_discoveries_created_at_status", "discoveries", ["created_at", "status"])
    op.drop_index("ix_discoveries_created_at", table_name="discoveries")


def downgrade() -> None:
    """Drop them, and bring back the plain created_at index."""
    op.create_index("ix_discoveries_created_at", "discoveries", ["created_at"])
    op.drop_index("ix_discoveries_created_at_status", table_name="discoveries")
    op.drop_index(ROUTES_INDEX, table_name="discovery_routes")
    op.drop_index("ix_dialogue_sessions_drafts", table_name="dialogue_sessions")
