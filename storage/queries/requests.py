"""Deduplication of Slack requests by their ids, in the database so it survives restarts."""

from datetime import datetime

from sqlmodel import Session

from storage.models import ProcessedRequest
from storage.queries._dialect import insert_for, inserted_one_row
from storage.types import utc_now


def record_request_once(
    *, session: Session, key: str, kind: str, now: datetime | None = None
) -> bool:
    """Record a request id; True the first time, False for a retry or a duplicate."""
    # ON CONFLICT DO NOTHING decides in the database: a racing second insert waits for the
    # first transaction (PG) or for the write lock (SQLite) and then inserts nothing. If the
    # caller's transaction rolls back, so does the record, and a retry is processed again.
    statement = (
        insert_for(session, ProcessedRequest)
        .values(key=key, kind=kind, received_at=now or utc_now())
        .on_conflict_do_nothing(index_elements=["key"])
    )
    return inserted_one_row(session, statement)
