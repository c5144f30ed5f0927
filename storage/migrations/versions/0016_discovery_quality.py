"""Quality at capture: each discovery's completeness score (0–5), stored on submit and edit.

Existing rows stay NULL: the score is read from the answers with the words of
prompts/opener.yaml, which storage does not import; the export computes it for them.

Revision ID: 0016
Revises: 0014
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add discoveries.quality (a plain add: a batch rebuild would drop 0014's search triggers)."""
    op.add_column("discoveries", sa.Column("quality", sa.Integer(), nullable=True))


def downgrade() -> None:
    """Drop the scores (the answers they came from stay); a plain drop keeps the triggers too."""
    op.drop_column("discoveries", "quality")
