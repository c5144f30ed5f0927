"""Status changes: made once however they race, and told to the scout in the receipt's thread."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import Engine
from sqlmodel import select

from bot.discoveries.delivery import DeliveryWorker
from bot.discoveries.loop import STATUS_REPLY, Change, ChangeResult, change_status
from bot.discoveries.service import CARD
from bot.effects.dispatch import dispatch_events
from bot.emulator import SEED, ManualClock, SlackEmulator
from storage.engine import session_scope
from storage.enums import DiscoveryStatus, OutboxStatus
from storage.models import Discovery, OutboxMessage, StatusChange

Submit = Callable[..., int]
Status = DiscoveryStatus


def _change(
    engine: Engine, clock: ManualClock, discovery_id: int, to: Status, **fields
) -> ChangeResult:
    who, now = fields.pop("actor", SEED.dana), datetime.fromtimestamp(clock(), UTC)
    with session_scope(engine) as session:
        result = change_status(
            session=session,
            discovery_id=discovery_id,
            change=Change(to, who, SEED.sales, **fields),
            now=now,
        )
    dispatch_events(engine=engine, now=now, webhook=False)  # the change's effects, queued
    return result


def _replies(emulator: SlackEmulator) -> list[dict]:
    return [m for m in emulator.messages(SEED.scout) if m.get("thread_ts") not in (None, m["ts"])]


def _receipt(emulator: SlackEmulator) -> dict:
    return next(m for m in emulator.messages(SEED.scout) if "went to" in m["text"])


def test_a_reply_waits_for_the_receipt_then_threads_under_it(
    engine: Engine,
    emulator: SlackEmulator,
    worker: DeliveryWorker,
    submit: Submit,
    clock: ManualClock,
):
    discovery_id = submit()
    assert _change(engine, clock, discovery_id, Status.ACKNOWLEDGED).change_id is not None

    assert worker.drain_once() == 3  # the card, the receipt, then the reply under it

    [reply] = _replies(emulator)
    assert reply["thread_ts"] == _receipt(emulator)["ts"]
    assert reply["text"] == f":eyes: Picked up by <@{SEED.dana}> in <#{SEED.sales}>."
    # The card was posted after the change: it says so, and offers only what is left.
    [card] = emulator.messages(SEED.sales)
    assert f"<@{SEED.dana}> is on it" in str(card) and "Acknowledge" not in str(card)


def test_a_rate_limited_reply_stays_queued_and_is_delivered_once(
    engine: Engine,
    emulator: SlackEmulator,
    worker: DeliveryWorker,
    submit: Submit,
    clock: ManualClock,
):
    discovery_id = submit()
    worker.drain_once()
    _change(engine, clock, discovery_id, Status.DECLINED, note="Not our market")
    emulator.faults.rate_limit("chat.postMessage", retry_after=3, times=1)

    worker.drain_once()  # the card and receipt are redrawn (chat.update); the reply waits
    assert _replies(emulator) == []
    with session_scope(engine) as session:
        row = session.exec(select(OutboxMessage).where(OutboxMessage.kind == STATUS_REPLY)).one()
    assert (row.status, row.attempts, row.last_error) == (OutboxStatus.PENDING, 1, "ratelimited")
    clock.advance(4)

    assert worker.drain_once() == 1
    assert worker.drain_once() == 0
    [reply] = _replies(emulator)
    assert reply["text"] == (
        f":no_entry_sign: Declined by <@{SEED.dana}> in <#{SEED.sales}>: Not our market"
    )


def test_replies_keep_their_order_when_the_first_one_is_held_up(
    engine: Engine,
    emulator: SlackEmulator,
    worker: DeliveryWorker,
    submit: Submit,
    clock: ManualClock,
):
    discovery_id = submit()
    worker.drain_once()
    _change(engine, clock, discovery_id, Status.ACKNOWLEDGED)
    _change(engine, clock, discovery_id, Status.ACTIONED, outcome_kind="roadmap", note="Q3")
    emulator.faults.rate_limit("chat.postMessage", retry_after=1, times=1)

    worker.drain_once()  # the first reply is rate limited, the second waits for it
    assert _replies(emulator) == []
    clock.advance(3)
    worker.drain_once()

    texts = [reply["text"] for reply in _replies(emulator)]
    assert texts[0].startswith(":eyes: Picked up") and texts[1].startswith(":white_check_mark:")


def test_a_final_status_cannot_change_and_says_who_made_it_final(
    engine: Engine, submit: Submit, clock: ManualClock
):
    discovery_id = submit()
    _change(engine, clock, discovery_id, Status.ACTIONED, outcome_kind="other", note="Done")

    again = _change(engine, clock, discovery_id, Status.DECLINED, note="No", actor=SEED.sally)
    same = _change(engine, clock, discovery_id, Status.ACTIONED, note="Done", outcome_kind="other")

    assert (again.change_id, again.status, again.done) == (None, Status.ACTIONED, False)
    assert again.latest.actor_user_id == SEED.dana
    assert same.repeated and same.change_id is None  # the same person's retry: done already
    with session_scope(engine) as session:
        changes = session.exec(select(StatusChange).order_by(StatusChange.id)).all()
        replies = session.exec(
            select(OutboxMessage).where(OutboxMessage.kind == STATUS_REPLY)
        ).all()
    assert [(c.from_status, c.to_status) for c in changes] == [
        (None, Status.NEW),
        (Status.NEW, Status.ACTIONED),
    ]
    assert len(replies) == 1


def test_people_clicking_at_once_change_the_status_once(
    engine: Engine, submit: Submit, clock: ManualClock
):
    discovery_id = submit()
    start, results = threading.Barrier(8), []

    def click(user: str) -> None:
        start.wait()
        results.append(_change(engine, clock, discovery_id, Status.ACKNOWLEDGED, actor=user))

    threads = [threading.Thread(target=click, args=(f"U0P{n}",)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert sum(result.change_id is not None for result in results) == 1
    with session_scope(engine) as session:
        assert session.get(Discovery, discovery_id).status == Status.ACKNOWLEDGED
        acks = session.exec(
            select(StatusChange).where(StatusChange.to_status == Status.ACKNOWLEDGED)
        ).all()
        replies = session.exec(
            select(OutboxMessage).where(OutboxMessage.kind == STATUS_REPLY)
        ).all()
    assert len(acks) == len(replies) == 1
    losers = [r for r in results if r.change_id is None]
    assert all(r.latest.actor_user_id == acks[0].actor_user_id for r in losers)


def test_actioned_after_a_concurrent_acknowledge_records_where_it_came_from(
    engine: Engine, submit: Submit, clock: ManualClock
):
    discovery_id = submit()
    start, results = threading.Barrier(2), {}

    def act(to: Status, user: str, **fields) -> None:
        start.wait()
        results[to] = _change(engine, clock, discovery_id, to, actor=user, **fields)

    threads = [
        threading.Thread(target=act, args=(Status.ACKNOWLEDGED, SEED.dana)),
        threading.Thread(
            target=act,
            args=(Status.ACTIONED, SEED.sally),
            kwargs={"note": "Deal", "outcome_kind": "opportunity"},
        ),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert results[Status.ACTIONED].change_id is not None  # allowed from new and acknowledged
    with session_scope(engine) as session:
        changes = session.exec(select(StatusChange).order_by(StatusChange.id)).all()
        status = session.get(Discovery, discovery_id).status
    steps = [(c.from_status, c.to_status) for c in changes[1:]]
    # Whichever came first, the history is a path: each change starts where the last one ended.
    assert steps in (
        [(Status.NEW, Status.ACKNOWLEDGED), (Status.ACKNOWLEDGED, Status.ACTIONED)],
        [(Status.NEW, Status.ACTIONED)],
    )
    assert status == Status.ACTIONED


def test_a_change_between_posting_a_card_and_recording_it_still_reaches_the_card(
    engine: Engine,
    emulator: SlackEmulator,
    worker: DeliveryWorker,
    submit: Submit,
    clock: ManualClock,
    monkeypatch,
):
    """The card was drawn as new; Dana acknowledged before its ts was kept: it is redrawn."""
    discovery_id = submit()
    record = worker._record

    def acknowledged_meanwhile(job, ts, channel, hold):
        if job.kind == CARD and not getattr(acknowledged_meanwhile, "done", False):
            acknowledged_meanwhile.done = True
            _change(engine, clock, discovery_id, Status.ACKNOWLEDGED)
        record(job, ts, channel, hold)

    monkeypatch.setattr(worker, "_record", acknowledged_meanwhile)
    while worker.drain_once():
        clock.advance(2)
    cards = [m for c in (SEED.sales, SEED.product, SEED.marketing) for m in emulator.messages(c)]
    assert cards and all(f"<@{SEED.dana}> is on it" in str(card) for card in cards)
