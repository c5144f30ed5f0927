"""Full-text search over discoveries (indexing every existing one), and when an account's
convergence was last announced.

Revision ID: 0014
Revises: 0011
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage import search_schema

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add accounts.converged_at and the search index of each database."""
    with op.batch_alter_table("accounts") as batch:
        batch.add_column(sa.Column("converged_at", sa.DateTime(timezone=True), nullable=True))
    for statement in _statements(upgrade=True):
        op.execute(statement)


def downgrade() -> None:
    """Drop the search index and accounts.converged_at."""
    for statement in _statements(upgrade=False):
        op.execute(statement)
    with op.batch_alter_table("accounts") as batch:
        batch.drop_column("converged_at")


def _statements(*, upgrade: bool) -> list[str]:
    if op.get_bind().dialect.name == "postgresql":
        return search_schema.pg_statements() if upgrade else search_schema.pg_drop_statements()
    return search_schema.sqlite_statements() if upgrade else search_schema.sqlite_drop_statements()
