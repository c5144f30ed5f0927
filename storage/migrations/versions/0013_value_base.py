"""Every discovery's value also in the base currency: amounts converted, bands at their midpoint.

Existing rows are filled with the rates of prompts/rates.yaml (the copy in use) to
VALUESCOUT_BASE_CURRENCY as the environment sets it (USD unless set); the app keeps the column
up to date from then on (bot.domain.money), so this repeats its arithmetic in SQL, row sets at a
time: a million discoveries take a statement per currency and per band.

Revision ID: 0013
Revises: 0011
Create Date: 2026-12-02
"""

import os
from collections.abc import Sequence
from decimal import Decimal

import sqlalchemy as sa
from alembic import op

import prompts

revision: str = "0013"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DISCOVERIES = sa.table(
    "discoveries",
    sa.column("value_band", sa.String),
    sa.column("value_amount", sa.Numeric(18, 2)),
    sa.column("value_currency", sa.String),
    sa.column("value_base", sa.Numeric(18, 2)),
)


def upgrade() -> None:
    """Add value_base and fill it for every discovery that has a value."""
    with op.batch_alter_table("discoveries") as batch:
        batch.add_column(sa.Column("value_base", sa.Numeric(18, 2), nullable=True))
    rates, midpoints = _rates()
    base = os.environ.get("VALUESCOUT_BASE_CURRENCY", "").strip().upper() or "USD"
    if base not in rates:
        return  # start-up refuses this base currency; nothing can be converted to it
    connection, table = op.get_bind(), DISCOVERIES
    for currency, rate in rates.items():
        factor = rate / rates[base]
        converted = sa.func.round(table.c.value_amount * sa.literal(factor, sa.Numeric(28, 12)), 2)
        chosen = table.c.value_currency == currency
        connection.execute(table.update().where(chosen).values(value_base=converted))
    for band, midpoint in midpoints.items():
        chosen = (table.c.value_band == band) & table.c.value_amount.is_(None)
        connection.execute(table.update().where(chosen).values(value_base=midpoint))


def _rates() -> tuple[dict[str, Decimal], dict[str, Decimal]]:
    """The rates (one unit's worth in the quote currency) and band midpoints, as numbers."""
    data, _ = prompts.load_mapping("rates.yaml", path=None, error=RuntimeError)
    data = data if isinstance(data, dict) else {}
    return _numbers(data.get("rates")), _numbers(data.get("bands"))


def _numbers(raw: object) -> dict[str, Decimal]:
    return {str(k): Decimal(str(v)) for k, v in raw.items()} if isinstance(raw, dict) else {}


def downgrade() -> None:
    """Drop the normalised values (the amounts, currencies and bands stay)."""
    with op.batch_alter_table("discoveries") as batch:
        batch.drop_column("value_base")
