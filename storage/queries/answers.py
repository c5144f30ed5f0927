"""Discoveries found by an answer of their answers document: any question, shipped or added."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session, col, select

from storage.models import Discovery


def discoveries_answering(
    *, session: Session, key: str, value: str, limit: int = 100
) -> Sequence[Discovery]:
    """The newest discoveries whose answer to question `key` is the text `value` (a choice's
    value, a text answer as typed), on SQLite and PostgreSQL alike."""
    answer = col(Discovery.answers)[key].as_string()
    query = select(Discovery).where(answer == value)
    return session.exec(query.order_by(col(Discovery.created_at).desc()).limit(limit)).all()
