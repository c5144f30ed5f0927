"""Crashes and concurrent workers: every outbox row is posted at most once, and eventually."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import Engine
from sqlmodel import select

from bot.discoveries.delivery import DeliveryWorker
from bot.emulator import SEED, ManualClock, SlackEmulator
from storage.engine import session_scope
from storage.enums import OutboxStatus
from storage.models import DiscoveryRoute, OutboxMessage
from storage.queries import claim_due_outbox, pending_outbox_count
from storage.queries.outbox import DEFAULT_LEASE

Submit = Callable[..., int]
ALL_ROUTES = [("sales", "Money"), ("marketing", "A story"), ("product", "Roadmap")]


class ProcessDied(Exception):
    """Stands for the process being killed at that very point."""


@contextmanager
def dies_when_recording_a_post(engine: Engine) -> Iterator[None]:
    """The first UPDATE that marks an outbox row sent never reaches the database."""

    def die(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if (
            statement.lstrip().upper().startswith("UPDATE OUTBOX_MESSAGES")
            and "posted_ts" in statement
        ):
            raise ProcessDied

    sa.event.listen(engine, "before_cursor_execute", die)
    try:
        yield
    finally:
        sa.event.remove(engine, "before_cursor_execute", die)


def _sent_outbox_ids(emulator: SlackEmulator) -> Counter[int]:
    """How many times Slack accepted a post for each outbox row (by the metadata we attach)."""
    calls = [c for c in emulator.calls_to("chat.postMessage") if c.ok]
    return Counter(c.params["metadata"]["event_payload"]["outbox_id"] for c in calls)


def test_a_post_whose_recording_was_lost_is_found_by_its_metadata_and_not_posted_again(
    engine: Engine, emulator: SlackEmulator, make_worker, submit: Submit, clock: ManualClock
):
    submit()
    with dies_when_recording_a_post(engine), pytest.raises(ProcessDied):
        make_worker().drain_once()
    [posted] = emulator.messages(SEED.sales)  # Slack has the card; the database does not know

    clock.advance(DEFAULT_LEASE.total_seconds() + 1)  # the dead worker's lease runs out
    assert make_worker().drain_once() == 2  # the restarted process: the card (found) and receipt

    assert len(emulator.messages(SEED.sales)) == 1
    assert len(emulator.calls_to("chat.postMessage")) == 2  # the card once, the receipt once
    assert emulator.calls_to("conversations.history")
    with session_scope(engine) as session:
        route = session.exec(select(DiscoveryRoute)).one()
        card = session.exec(
            select(OutboxMessage).where(OutboxMessage.kind == "discovery_card")
        ).one()
    assert route.message_ts == card.posted_ts == posted["ts"]
    assert card.status == OutboxStatus.SENT


def test_a_channel_whose_history_slack_will_not_show_still_gets_its_card(
    engine: Engine,
    emulator: SlackEmulator,
    worker: DeliveryWorker,
    submit: Submit,
    clock: ManualClock,
):
    submit()
    emulator.faults.server_error("chat.postMessage", status=500, times=4)  # the first try fails
    emulator.faults.error("conversations.history", "missing_scope", times=None)
    worker.drain_once()
    assert emulator.messages(SEED.sales) == []

    emulator.faults.clear()
    emulator.faults.error("conversations.history", "missing_scope", times=None)
    clock.advance(60)
    worker.drain_once()
    clock.advance(60)
    worker.drain_once()

    assert len(emulator.messages(SEED.sales)) == 1  # looked, could not see, posted anyway


def test_rows_claimed_by_a_worker_that_died_before_posting_are_delivered_once_after_the_lease(
    engine: Engine,
    emulator: SlackEmulator,
    worker: DeliveryWorker,
    submit: Submit,
    clock: ManualClock,
):
    submit()
    with session_scope(engine) as session:  # a worker claims, then dies before posting
        claimed = claim_due_outbox(
            session=session, now=datetime.fromtimestamp(clock(), UTC), limit=10
        )
    assert len(claimed) == 2

    assert worker.drain_once() == 0  # still leased to the dead worker
    clock.advance(DEFAULT_LEASE.total_seconds() + 1)
    assert worker.drain_once() == 2

    assert len(emulator.messages(SEED.sales)) == len(emulator.messages(SEED.scout)) == 1
    assert emulator.calls_to("conversations.history")  # it looked before posting
    assert set(_sent_outbox_ids(emulator).values()) == {1}


def test_two_workers_draining_one_database_at_once_post_each_row_once(
    engine: Engine,
    emulator: SlackEmulator,
    make_worker,
    new_client,
    submit: Submit,
    clock: ManualClock,
):
    for number in range(4):
        submit(key=f"view:{number}", routes=ALL_ROUTES)
    # Each worker has its own client (connection) and takes small batches, so that they interleave.
    # The test clock races ahead while a worker waits on Slack: an hour's lease keeps this test
    # about concurrent claims, not about leases running out (tested above).
    workers = [
        make_worker(client=new_client(), batch_size=2, lease=timedelta(hours=1)) for _ in range(2)
    ]
    barrier = threading.Barrier(len(workers))
    deadline = datetime.now(UTC) + timedelta(seconds=20)

    def drain(worker: DeliveryWorker) -> int:
        barrier.wait(timeout=10)
        sent = 0
        while datetime.now(UTC) < deadline:
            sent += worker.drain_once()
            with session_scope(engine) as session:
                if pending_outbox_count(session=session) == 0:
                    return sent
            clock.advance(0.5)  # receipts wait a couple of seconds for their cards
        return sent

    results: list[int] = []
    threads = [threading.Thread(target=lambda w=w: results.append(drain(w))) for w in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    sent = _sent_outbox_ids(emulator)
    assert len(sent) == 16 and set(sent.values()) == {1}
    assert sum(results) == 16
    for channel in (SEED.sales, SEED.marketing, SEED.product, SEED.scout):
        assert len(emulator.messages(channel)) == 4
