"""Quality at capture, its parts: what each discovery lacks, stored beside its score.

The weekly digests scored every discovery of the week again from its columns, with the
words of prompts/opener.yaml (0.6 s of a build at 20,000 a week). The mark is written on
submit and edit with the score; it names the words it was scored under, so rows scored
under other words, and existing rows (NULL: storage does not import the words), are scored
when read, as before.

Revision ID: 0022
Revises: 0018
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0022"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add discoveries.quality_missing (a plain add: a batch rebuild would drop 0014's triggers)."""
    op.add_column("discoveries", sa.Column("quality_missing", sa.Text(), nullable=True))


def downgrade() -> None:
    """Drop the marks (the columns they came from stay); a plain drop keeps the triggers too."""
    op.drop_column("discoveries", "quality_missing")
