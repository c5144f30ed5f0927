"""A change redraws every posted card through the outbox: retried until Slack takes it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import Engine
from sqlmodel import select

from bot.discoveries.delivery import DeliveryWorker
from bot.discoveries.loop import Change, change_status
from bot.discoveries.service import CARD_UPDATE
from bot.emulator import SEED, ManualClock, SlackEmulator
from storage.engine import session_scope
from storage.enums import DiscoveryStatus, OutboxStatus
from storage.models import OutboxMessage

Submit = Callable[..., int]


def _acknowledge(engine: Engine, clock: ManualClock, discovery_id: int) -> None:
    with session_scope(engine) as session:
        change = Change(DiscoveryStatus.ACKNOWLEDGED, SEED.dana, SEED.sales)
        now = datetime.fromtimestamp(clock(), UTC)
        change_status(session=session, discovery_id=discovery_id, change=change, now=now)


def _redraws(engine: Engine) -> list[OutboxMessage]:
    with session_scope(engine) as session:
        rows = session.exec(select(OutboxMessage).where(OutboxMessage.kind == CARD_UPDATE)).all()
        return [row.model_copy() for row in rows]


def test_a_redraw_slack_refuses_for_a_while_is_retried_until_the_card_shows_it(
    engine: Engine, emulator: SlackEmulator, worker: DeliveryWorker, submit: Submit,
    clock: ManualClock,
):  # fmt: skip
    discovery_id = submit()
    worker.drain_once()  # the card and the receipt
    _acknowledge(engine, clock, discovery_id)
    emulator.faults.server_error(
        "chat.update", times=None
    )  # an incident, past the client's retries

    worker.drain_once()
    [pending] = _redraws(engine)
    assert (pending.status, pending.attempts) == (OutboxStatus.PENDING, 1)
    emulator.faults.clear()
    clock.advance(60)
    worker.drain_once()

    [card] = emulator.messages(SEED.sales)
    assert f"<@{SEED.dana}> is on it" in str(card)
    assert [row.status for row in _redraws(engine)] == [OutboxStatus.SENT]


def test_a_card_slack_no_longer_has_is_let_go(
    engine: Engine, emulator: SlackEmulator, worker: DeliveryWorker, submit: Submit,
    clock: ManualClock,
):  # fmt: skip
    discovery_id = submit()
    worker.drain_once()
    _acknowledge(engine, clock, discovery_id)
    emulator.faults.error("chat.update", "message_not_found")

    worker.drain_once()

    [row] = _redraws(engine)
    assert (row.status, row.last_error) == (
        OutboxStatus.FAILED,
        "card_update not sent: message_not_found",
    )
