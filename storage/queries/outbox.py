"""The durable outbox: enqueue once, claim with a lease, then mark sent or retry later."""

import re
from collections.abc import Collection
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from storage.enums import OutboxStatus
from storage.models import Discovery, OutboxMessage
from storage.queries._dialect import insert_for
from storage.types import utc_now

DEFAULT_LEASE = timedelta(minutes=5)
MAX_ERROR_LENGTH = 2000
# Slack tokens (xoxb-, xoxp-, xapp-…) must never be stored, even inside an error text.
_TOKEN = re.compile(r"\b(xox[a-z]|xapp)-[A-Za-z0-9-]+")


def scrub_error(error: str) -> str:
    """Return an error text safe to store: tokens masked, length bounded."""
    return _TOKEN.sub(r"\1-***", error)[:MAX_ERROR_LENGTH]


def enqueue_outbox(
    *,
    session: Session,
    kind: str,
    dedupe_key: str,
    channel_id: str,
    payload: dict[str, Any],
    now: datetime,
    discovery_id: int | None = None,
    thread_ts: str | None = None,
    team_id: str | None = None,
) -> OutboxMessage:
    """Queue a message for delivery; enqueueing the same dedupe_key again returns the first.
    Its workspace is team_id, else its discovery's (read in the insert itself), else ""."""
    statement = (
        insert_for(session, OutboxMessage)
        .values(
            team_id=_team_of(team_id, discovery_id),
            kind=kind,
            dedupe_key=dedupe_key,
            discovery_id=discovery_id,
            channel_id=channel_id,
            thread_ts=thread_ts,
            payload=payload,
            status=OutboxStatus.PENDING,
            attempts=0,
            next_attempt_at=now,
            created_at=now,
        )
        .on_conflict_do_nothing(index_elements=["dedupe_key"])
    )
    session.exec(statement)
    return session.exec(select(OutboxMessage).where(OutboxMessage.dedupe_key == dedupe_key)).one()


def _team_of(team_id: str | None, discovery_id: int | None) -> Any:
    if team_id is not None or discovery_id is None:
        return team_id or ""
    found = select(Discovery.team_id).where(Discovery.id == discovery_id).scalar_subquery()
    return sa.func.coalesce(found, "")


def claim_due_outbox(
    *,
    session: Session,
    now: datetime,
    limit: int,
    lease: timedelta = DEFAULT_LEASE,
    skip_channels: Collection[str] = (),
    kinds: Collection[str] | None = None,
    skip_kinds: Collection[str] = (),
) -> list[OutboxMessage]:
    """Claim up to limit pending, due messages by pushing their next attempt past a lease.

    skip_channels: channels the caller may not post to yet (pacing), so their rows are not
    claimed only to be put back. kinds / skip_kinds: only these kinds, or all but these
    (Slack and webhook rows are delivered by different threads).
    """
    # FOR UPDATE SKIP LOCKED (PostgreSQL) lets workers claim side by side without taking
    # each other's rows; SQLite ignores it and BEGIN IMMEDIATE serialises claimers instead.
    # A worker that dies before marking its rows leaves them due again once the lease ends.
    statement = (
        _due(select(OutboxMessage), now, skip_channels, kinds, skip_kinds)
        .order_by(col(OutboxMessage.next_attempt_at), col(OutboxMessage.id))
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    messages = list(session.exec(statement).all())
    for message in messages:
        message.next_attempt_at = now + lease
    session.flush()
    return messages


def any_due_outbox(
    *,
    session: Session,
    now: datetime,
    skip_channels: Collection[str] = (),
    kinds: Collection[str] | None = None,
    skip_kinds: Collection[str] = (),
) -> bool:
    """Whether claim_due_outbox would claim anything: a read, so an idle worker can look
    without the write lock (on SQLite every claim takes it, and scouts' steps wait)."""
    statement = _due(select(OutboxMessage.id), now, skip_channels, kinds, skip_kinds).limit(1)
    return session.exec(statement).first() is not None


def _due(
    statement: Any,
    now: datetime,
    skip_channels: Collection[str],
    kinds: Collection[str] | None,
    skip_kinds: Collection[str],
) -> Any:
    """Pending rows due at `now`, of these kinds, not to these channels."""
    statement = (
        statement.where(
            OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.next_attempt_at <= now
        )
        .where(col(OutboxMessage.channel_id).not_in(list(skip_channels)))
        .where(col(OutboxMessage.kind).not_in(list(skip_kinds)))
    )
    if kinds is not None:
        statement = statement.where(col(OutboxMessage.kind).in_(list(kinds)))
    return statement


def mark_outbox_sent(
    *,
    session: Session,
    message_id: int,
    ts: str | None,
    channel: str | None,
    now: datetime | None = None,
) -> bool:
    """Record a delivery and its Slack ts (None: not a Slack post); False if already sent."""
    statement = (
        sa.update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.status != OutboxStatus.SENT)
        .values(
            status=OutboxStatus.SENT, posted_ts=ts, posted_channel=channel, sent_at=now or utc_now()
        )
    )
    return session.exec(statement).rowcount == 1


def mark_outbox_retry(*, session: Session, message_id: int, error: str, retry_at: datetime) -> None:
    """Count a failed attempt and keep the message pending until retry_at: never dropped."""
    statement = (
        sa.update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.status == OutboxStatus.PENDING)
        .values(
            attempts=OutboxMessage.attempts + 1,
            last_error=scrub_error(error),
            next_attempt_at=retry_at,
        )
    )
    session.exec(statement)


def mark_outbox_failed(*, session: Session, message_id: int, error: str) -> None:
    """Park a message that can never succeed (e.g. channel gone): kept, visible, not retried."""
    statement = (
        sa.update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.status == OutboxStatus.PENDING)
        .values(
            status=OutboxStatus.FAILED,
            attempts=OutboxMessage.attempts + 1,
            last_error=scrub_error(error),
        )
    )
    session.exec(statement)


def pending_outbox_count(*, session: Session) -> int:
    """Return how many messages still wait for delivery (due or not)."""
    statement = select(sa.func.count()).where(OutboxMessage.status == OutboxStatus.PENDING)
    return session.exec(statement).one()


def postpone_outbox(*, session: Session, message_id: int, until: datetime) -> None:
    """Move a pending row's next attempt without counting a failure (pacing, waiting)."""
    session.exec(
        sa.update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.status == OutboxStatus.PENDING)
        .values(next_attempt_at=until)
    )


def earlier_pending(
    *, session: Session, kind: str, discovery_id: int, message_id: int
) -> datetime | None:
    """When the oldest earlier pending row of this kind and discovery is next due, if any."""
    return session.exec(
        select(sa.func.min(OutboxMessage.next_attempt_at)).where(
            OutboxMessage.kind == kind,
            OutboxMessage.discovery_id == discovery_id,
            OutboxMessage.status == OutboxStatus.PENDING,
            col(OutboxMessage.id) < message_id,
        )
    ).one()


def oldest_pending_outbox(*, session: Session) -> datetime | None:
    """When the oldest message still waiting for delivery was queued (None: nothing waits)."""
    statement = select(sa.func.min(OutboxMessage.created_at)).where(
        OutboxMessage.status == OutboxStatus.PENDING
    )
    return session.exec(statement).one()


PARKED = "parked"  # pending, for a workspace that has no installation now


def outbox_backlog(
    *, session: Session, installed: Collection[str] | None = None
) -> list[tuple[str, str, int, datetime]]:
    """(kind, status, how many, oldest created_at) of the rows still pending or kept as failed:
    one indexed query (by status), whatever the number of rows sent before. With the installed
    workspaces given (installed by OAuth), a pending row of any other workspace is "parked": it
    waits for a reinstall, and is no delivery falling behind."""
    status: sa.ColumnElement = OutboxMessage.status
    if installed is not None:
        uninstalled = sa.and_(
            OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.team_id != "",
            col(OutboxMessage.team_id).not_in(list(installed)),
        )  # fmt: skip
        status = sa.case((uninstalled, PARKED), else_=OutboxMessage.status)
    statement = (
        select(OutboxMessage.kind, status, sa.func.count(), sa.func.min(OutboxMessage.created_at))
        .where(col(OutboxMessage.status).in_([OutboxStatus.PENDING, OutboxStatus.FAILED]))
        .group_by(OutboxMessage.kind, status)
    )
    return [
        (kind, str(status), count, oldest)
        for kind, status, count, oldest in session.exec(statement)
    ]
