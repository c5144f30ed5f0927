"""A discovery's status changes, with what each did, from the index alone.

The coaches' loop timing looks up the changes of every discovery of four weeks (80,000 at
20,000 a week); with the statuses in the index each lookup reads no table row
(bench/digest.py at 1,000,000 rows, PostgreSQL: 342,000 buffers read -> 232,000). The index
it replaces, (discovery_id, at), is its prefix, so every other query that used it still can.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = ["discovery_id", "at", "rerouted_to", "from_status", "to_status"]


def upgrade() -> None:
    """Create the covering index, then drop its prefix."""
    op.create_index("ix_status_changes_discovery_id_at_statuses", "status_changes", COLUMNS)
    op.drop_index("ix_status_changes_discovery_id_at", table_name="status_changes")


def downgrade() -> None:
    """Bring back the plain (discovery_id, at) index."""
    op.create_index("ix_status_changes_discovery_id_at", "status_changes", ["discovery_id", "at"])
    op.drop_index("ix_status_changes_discovery_id_at_statuses", table_name="status_changes")
