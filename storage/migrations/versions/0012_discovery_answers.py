"""Every answer of a discovery in one JSON document, `answers`, beside the columns queries read.

A question added only in prompts/dialogue.yaml is stored under its key in the document; the
columns stay as the projection routing, digests and accounts query. Every existing discovery
gets the document of the answers its columns hold, in the format the dialogue stores them, so
nothing is lost. Rows are read and written in batches by id, so memory stays flat.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02
"""

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 1000
TEXTS = ("account", "outcome", "gap", "fit", "who_cares", "evidence", "evidence_url")
DISCOVERIES = sa.table(
    "discoveries",
    sa.column("id", sa.Integer),
    *(sa.column(name, sa.Text) for name in TEXTS),
    sa.column("value_band", sa.Text),
    sa.column("value_amount", sa.Numeric(18, 2)),
    sa.column("value_currency", sa.Text),
    sa.column("event_date", sa.Date),
    sa.column("event_pressure", sa.Text),
    sa.column("answers", sa.JSON),
)


def upgrade() -> None:
    """Add the document, fill it from the columns, then make it required."""
    with op.batch_alter_table("discoveries") as batch:
        batch.add_column(sa.Column("answers", sa.JSON(), nullable=True))
    _backfill(op.get_bind())
    with op.batch_alter_table("discoveries") as batch:
        # A row inserted by hand (a bench, a bulk load) gets an empty document.
        batch.alter_column(
            "answers", existing_type=sa.JSON(), nullable=False, server_default=sa.text("'{}'")
        )


def _backfill(connection: sa.Connection) -> None:
    """Each discovery's answers from its columns, batch after batch."""
    after = 0
    while True:
        query = sa.select(DISCOVERIES).where(DISCOVERIES.c.id > after)
        rows = connection.execute(query.order_by(DISCOVERIES.c.id).limit(BATCH)).all()
        if not rows:
            return
        update = (
            DISCOVERIES.update()
            .where(DISCOVERIES.c.id == sa.bindparam("row_id"))
            .values(answers=sa.bindparam("document", type_=sa.JSON))
        )
        connection.execute(update, [{"row_id": r.id, "document": answers_of(r)} for r in rows])
        after = rows[-1].id


def answers_of(row: Any) -> dict[str, Any]:
    """The answers a discovery's columns hold, as the dialogue stores them (skipped ones left out)."""
    answers: dict[str, Any] = {
        name: getattr(row, name) for name in TEXTS if getattr(row, name) not in (None, "")
    }
    if row.value_amount is not None:
        amount = Decimal(row.value_amount).quantize(Decimal("0.01")).normalize()
        answers["value"] = {"amount": format(amount, "f"), "currency": row.value_currency or ""}
    elif row.value_band:
        answers["value"] = {"band": row.value_band}
    if row.event_date is not None:
        answers["event"] = {
            "date": row.event_date.isoformat(),
            "pressure": row.event_pressure or "",
        }
    return answers


def downgrade() -> None:
    """Drop the document (the columns keep the built-in answers)."""
    with op.batch_alter_table("discoveries") as batch:
        batch.drop_column("answers")
