"""Accounts as entities: every discovery links to one, grouped from the old free-text names.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from storage.account_names import group_names

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FOREIGN_KEY = "fk_discoveries_account_id_accounts"
INDEX = "ix_discoveries_account_id"


def upgrade() -> None:
    """Create accounts, link discoveries to them, and backfill from the names scouts typed."""
    accounts = op.create_table(
        "accounts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("aliases", sa.JSON(), nullable=False),
        sa.Column("crm_id", sa.String(length=100), nullable=True),
        sa.Column("crm_url", sa.Text(), nullable=True),
        sa.Column("owner_user_id", sa.String(length=32), nullable=True),
        sa.Column("segment", sa.String(length=100), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_accounts"),
        sa.UniqueConstraint("crm_id", name="uq_accounts_crm_id"),
    )
    with op.batch_alter_table("discoveries") as batch:
        batch.add_column(sa.Column("account_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(FOREIGN_KEY, "accounts", ["account_id"], ["id"])
        batch.create_index(INDEX, ["account_id"])
    _backfill(op.get_bind(), accounts)


def _backfill(connection: sa.Connection, accounts: sa.Table) -> None:
    """One account per group of matching names; the most used spelling names it."""
    discoveries = sa.table("discoveries", sa.column("account"), sa.column("account_id"))
    used = sa.func.count().label("used")
    spellings = sa.select(discoveries.c.account, used).group_by(discoveries.c.account)
    names = [row.account for row in connection.execute(spellings.order_by(used.desc(), "account"))]
    now = datetime.now(UTC)
    for group in group_names(names):
        aliases = [name for name in group[1:] if name.strip() != group[0].strip()]
        row = {"name": group[0].strip(), "aliases": aliases, "created_at": now, "updated_at": now}
        account_id = connection.execute(accounts.insert().values(row)).inserted_primary_key[0]
        link = discoveries.update().where(discoveries.c.account.in_(group))
        connection.execute(link.values(account_id=account_id))


def downgrade() -> None:
    """Unlink discoveries (their names stay) and drop accounts."""
    with op.batch_alter_table("discoveries") as batch:
        batch.drop_index(INDEX)
        batch.drop_constraint(FOREIGN_KEY, type_="foreignkey")
        batch.drop_column("account_id")
    op.drop_table("accounts")
