"""Each discovery's loop facts on its row, and the index a workspace's digests read by.

answered_at, actioned_at, closed_at, realised_at (the first of each in its history),
furthest_answer (of its current routes) and routes_now: the digests' 12-week trend read
them from status_changes and discovery_routes for every discovery of those weeks (a lookup
per discovery: most of a build at 1,000,000). Backfilled here from the history; kept by
storage.queries.loop_facts in the transaction of every change. (team_id, created_at,
status): every digest query is scoped by workspace (issue 16).

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.queries.loop_facts import backfill_loop_facts

revision: str = "0024"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MOMENTS = ("answered_at", "actioned_at", "closed_at", "realised_at")
TEAM_INDEX = "ix_discoveries_team_id_created_at_status"


def upgrade() -> None:
    """Add the columns (plain adds: a batch rebuild would drop 0014's triggers), fill them."""
    for name in MOMENTS:
        op.add_column("discoveries", sa.Column(name, sa.DateTime(timezone=True), nullable=True))
    op.add_column("discoveries", sa.Column("furthest_answer", sa.String(20), nullable=True))
    op.add_column("discoveries", sa.Column("routes_now", sa.Text(), nullable=True))
    backfill_loop_facts(op.get_bind())
    op.create_index(TEAM_INDEX, "discoveries", ["team_id", "created_at", "status"])


def downgrade() -> None:
    """Drop the index and the facts (the history they came from stays)."""
    op.drop_index(TEAM_INDEX, table_name="discoveries")
    for name in (*MOMENTS, "furthest_answer", "routes_now"):
        op.drop_column("discoveries", name)
