"""The outbox: idempotent enqueue, leased claims, retries that never drop a message."""

import threading
from datetime import UTC, datetime, timedelta

from sqlmodel import Session

from storage.engine import session_scope
from storage.enums import OutboxStatus
from storage.models import OutboxMessage
from storage.queries import (
    claim_due_outbox,
    enqueue_outbox,
    mark_outbox_failed,
    mark_outbox_retry,
    mark_outbox_sent,
    pending_outbox_count,
)

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
LEASE = timedelta(minutes=5)


def _enqueue(session: Session, key: str, when: datetime = NOW) -> OutboxMessage:
    """Queue a discovery card with dedupe key key."""
    return enqueue_outbox(
        session=session,
        kind="discovery_card",
        dedupe_key=key,
        channel_id="CSALES",
        payload={"text": f"card {key}"},
        now=when,
    )


def _fill(engine, count: int) -> None:
    """Queue count due messages in one committed transaction."""
    with session_scope(engine) as session:
        for number in range(count):
            _enqueue(session, f"card:{number}")


def test_enqueueing_the_same_key_twice_keeps_one_message(session):
    first = _enqueue(session, "card:1")
    again = _enqueue(session, "card:1")

    assert again.id == first.id
    assert again.payload == {"text": "card card:1"}
    assert pending_outbox_count(session=session) == 1


def test_a_claim_returns_due_messages_oldest_first_and_skips_future_ones(session):
    _enqueue(session, "later", when=NOW + timedelta(minutes=1))
    _enqueue(session, "second", when=NOW - timedelta(minutes=1))
    _enqueue(session, "first", when=NOW - timedelta(minutes=2))

    claimed = claim_due_outbox(session=session, now=NOW, limit=10)

    assert [message.dedupe_key for message in claimed] == ["first", "second"]


def test_a_claim_leaves_the_rows_of_paced_channels_alone(session):
    _enqueue(session, "sales card")
    enqueue_outbox(
        session=session, kind="discovery_card", dedupe_key="product card",
        channel_id="CPRODUCT", payload={}, now=NOW,
    )  # fmt: skip

    claimed = claim_due_outbox(session=session, now=NOW, limit=10, skip_channels=["CSALES"])

    assert [message.dedupe_key for message in claimed] == ["product card"]
    assert pending_outbox_count(session=session) == 2


def test_claimed_messages_are_leased_and_not_claimed_again(session):
    _enqueue(session, "card:1")
    claim_due_outbox(session=session, now=NOW, limit=10, lease=LEASE)

    assert claim_due_outbox(session=session, now=NOW + LEASE / 2, limit=10) == []


def test_a_crashed_workers_lease_expires_and_the_message_is_claimed_again(session):
    _enqueue(session, "card:1")
    claim_due_outbox(session=session, now=NOW, limit=10, lease=LEASE)

    reclaimed = claim_due_outbox(session=session, now=NOW + LEASE, limit=10)

    assert [message.dedupe_key for message in reclaimed] == ["card:1"]


def test_a_sent_message_records_its_ts_and_is_no_longer_pending(session):
    message = _enqueue(session, "card:1")
    claim_due_outbox(session=session, now=NOW, limit=1)

    assert mark_outbox_sent(session=session, message_id=message.id, ts="1.2", channel="C9", now=NOW)
    session.refresh(message)

    assert (message.status, message.posted_ts, message.posted_channel) == ("sent", "1.2", "C9")
    assert message.sent_at == NOW
    assert pending_outbox_count(session=session) == 0
    assert claim_due_outbox(session=session, now=NOW + LEASE * 10, limit=10) == []


def test_marking_a_message_sent_twice_keeps_the_first_ts(session):
    message = _enqueue(session, "card:1")
    mark_outbox_sent(session=session, message_id=message.id, ts="1.1", channel="C9")

    assert not mark_outbox_sent(session=session, message_id=message.id, ts="2.2", channel="C9")
    session.refresh(message)
    assert message.posted_ts == "1.1"


def test_a_failed_delivery_stays_pending_until_its_retry_time(session):
    message = _enqueue(session, "card:1")
    claim_due_outbox(session=session, now=NOW, limit=1)
    retry_at = NOW + timedelta(seconds=30)

    mark_outbox_retry(
        session=session, message_id=message.id, error="ratelimited", retry_at=retry_at
    )
    session.refresh(message)

    assert (message.status, message.attempts, message.last_error) == ("pending", 1, "ratelimited")
    assert pending_outbox_count(session=session) == 1
    assert claim_due_outbox(session=session, now=retry_at - timedelta(seconds=1), limit=1) == []
    assert claim_due_outbox(session=session, now=retry_at, limit=1) == [message]


def test_retries_keep_counting_attempts(session):
    message = _enqueue(session, "card:1")
    for attempt in range(3):
        retry_at = NOW + timedelta(minutes=attempt)
        mark_outbox_retry(session=session, message_id=message.id, error="5xx", retry_at=retry_at)

    session.refresh(message)
    assert message.attempts == 3


def test_stored_errors_never_contain_slack_tokens(session):
    message = _enqueue(session, "card:1")
    error = "invalid_auth for xoxb-1234-5678-abcdefABCDEF and xapp-1-A01-99-ffee"

    mark_outbox_retry(session=session, message_id=message.id, error=error, retry_at=NOW)
    session.refresh(message)

    assert "abcdefABCDEF" not in message.last_error
    assert "ffee" not in message.last_error
    assert message.last_error.startswith("invalid_auth for xoxb-***")


def test_a_permanently_failed_message_is_kept_but_not_retried(session):
    message = _enqueue(session, "card:1")

    mark_outbox_failed(session=session, message_id=message.id, error="channel_not_found")
    session.refresh(message)

    assert (message.status, message.last_error) == (OutboxStatus.FAILED, "channel_not_found")
    assert claim_due_outbox(session=session, now=NOW + LEASE * 10, limit=10) == []


def test_concurrent_workers_never_claim_the_same_message(engine, race):
    _fill(engine, 40)

    def drain() -> list[int]:
        claimed: list[int] = []
        while True:
            with session_scope(engine) as session:
                batch = claim_due_outbox(session=session, now=NOW, limit=3)
            if not batch:
                return claimed
            claimed.extend(message.id for message in batch)

    claims = [message_id for worker in race(6, drain) for message_id in worker]

    assert len(claims) == 40
    assert len(set(claims)) == 40


def test_a_second_claimer_never_gets_rows_an_open_claim_holds(engine, database_backend):
    _fill(engine, 3)
    result: list[str] = []

    def other_worker() -> None:
        with session_scope(engine) as session:
            claimed = claim_due_outbox(session=session, now=NOW, limit=10)
            result.extend(message.dedupe_key for message in claimed)

    worker = threading.Thread(target=other_worker)
    with session_scope(engine) as holder:
        held = claim_due_outbox(session=holder, now=NOW, limit=2)
        worker.start()
        # PostgreSQL: SKIP LOCKED lets the worker finish at once. SQLite: it queues on the
        # write lock (BEGIN IMMEDIATE) until this claim commits, well within busy_timeout.
        worker.join(timeout=5 if database_backend == "postgresql" else 0.3)
        finished_while_held = not worker.is_alive()
    worker.join(timeout=10)

    assert [message.dedupe_key for message in held] == ["card:0", "card:1"]
    assert result == ["card:2"]
    assert finished_while_held is (database_backend == "postgresql")
