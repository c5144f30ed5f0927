"""How many dialogues are in each status: completions and abandonments, for /metrics."""

import sqlalchemy as sa
from sqlmodel import Session, select

from storage.models import DialogueSession


def dialogues_by_status(*, session: Session) -> dict[str, int]:
    """The number of dialogues in each status (open, draft, submitted, cancelled)."""
    statement = select(DialogueSession.status, sa.func.count()).group_by(DialogueSession.status)
    return {str(status): count for status, count in session.exec(statement)}
