"""Each team owns its answer: a status per route, and each history row tied to its route.

Every route gets the status its discovery had (a card moved away keeps the status it had
when it moved), and arrives when its discovery was logged or re-routed there. A re-route row
belongs to the route it left; every other row covered all the discovery's routes at the time
and stays so (route_id NULL), which is also what a withdrawal writes from now on.

Revision ID: 0015
Revises: 0011
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FOREIGN_KEY = "fk_status_changes_route_id_discovery_routes"
ROUTE_INDEX = "ix_status_changes_route_id"
OPEN_INDEX = "ix_discovery_routes_status_created_at"


def upgrade() -> None:
    """Add the columns, fill them from the discovery and its history, then index them."""
    with op.batch_alter_table("discovery_routes") as batch:
        batch.add_column(sa.Column("status", sa.String(length=20), nullable=True))
        batch.add_column(sa.Column("created_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("status_changes") as batch:
        batch.add_column(sa.Column("route_id", sa.Integer(), nullable=True))
    _backfill(op.get_bind())
    with op.batch_alter_table("discovery_routes") as batch:
        batch.alter_column("status", existing_type=sa.String(length=20), nullable=False)
        batch.alter_column("created_at", existing_type=sa.DateTime(timezone=True), nullable=False)
        batch.create_index(OPEN_INDEX, ["status", "created_at"])
    with op.batch_alter_table("status_changes") as batch:
        batch.create_foreign_key(
            FOREIGN_KEY, "discovery_routes", ["route_id"], ["id"], ondelete="CASCADE"
        )
        batch.create_index(ROUTE_INDEX, ["route_id"])


def _backfill(connection: sa.Connection) -> None:
    """Statuses, arrivals and re-route rows' routes, each in one UPDATE (no row left out)."""
    for statement in (
        # A re-route row belongs to the route it left.
        """UPDATE status_changes SET route_id = (
               SELECT r.id FROM discovery_routes r
               WHERE r.discovery_id = status_changes.discovery_id
                 AND r.route = status_changes.rerouted_from)
           WHERE rerouted_from IS NOT NULL""",
        # Each route has its discovery's status; one moved away, the status it left with.
        """UPDATE discovery_routes SET status = COALESCE(
               (SELECT c.from_status FROM status_changes c
                WHERE c.route_id = discovery_routes.id AND c.rerouted_to IS NOT NULL
                ORDER BY c.at DESC, c.id DESC LIMIT 1),
               (SELECT d.status FROM discoveries d WHERE d.id = discovery_routes.discovery_id))""",
        # A route arrived when it was re-routed there, else when its discovery was logged.
        """UPDATE discovery_routes SET created_at = COALESCE(
               (SELECT MAX(c.at) FROM status_changes c
                WHERE c.discovery_id = discovery_routes.discovery_id
                  AND c.rerouted_to = discovery_routes.route),
               (SELECT d.created_at FROM discoveries d
                WHERE d.id = discovery_routes.discovery_id))""",
    ):
        connection.execute(sa.text(statement))


def downgrade() -> None:
    """Drop the per-route columns (each discovery's own status stays as it was derived)."""
    with op.batch_alter_table("status_changes") as batch:
        batch.drop_index(ROUTE_INDEX)
        batch.drop_constraint(FOREIGN_KEY, type_="foreignkey")
        batch.drop_column("route_id")
    with op.batch_alter_table("discovery_routes") as batch:
        batch.drop_index(OPEN_INDEX)
        batch.drop_column("created_at")
        batch.drop_column("status")
