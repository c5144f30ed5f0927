"""A route channel that refuses the bot: the card waits, the scout and the admins hear once,
and it goes out as soon as the channel takes it (then the scout hears that too)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine
from sqlmodel import select

from bot.config import WorkspaceConfig, save_config
from bot.discoveries.blocked import release_channel
from bot.discoveries.delivery import DeliveryWorker
from bot.emulator import SEED, ManualClock, SlackEmulator
from bot.settings import parse_weekly
from storage.engine import session_scope
from storage.enums import OutboxStatus
from storage.models import DiscoveryRoute, OutboxMessage

GONE = "C0GONE"  # a channel id the workspace does not have (deleted, or private without us)
ROUTES = [("sales", "Money"), ("product", "Roadmap")]


def block(emulator: SlackEmulator, how: str) -> str:
    """Make #product refuse the bot as `how` says; return the product route's channel."""
    if how == "not_in_channel":
        emulator.workspace.leave(SEED.product, SEED.bot_user_id)
    elif how == "is_archived":
        emulator.workspace.archive(SEED.product)
    return GONE if how == "channel_not_found" else SEED.product


def unblock(emulator: SlackEmulator, how: str) -> None:
    if how == "not_in_channel":
        emulator.workspace.join(SEED.product, SEED.bot_user_id)
    elif how == "is_archived":
        emulator.workspace.archive(SEED.product, archived=False)


class Scout:
    """What the scout sees in their DM: the receipt and the replies under it."""

    def __init__(self, emulator: SlackEmulator) -> None:
        self.emulator, self.dm = emulator, emulator.dm_channel_for(SEED.scout)

    def receipts(self) -> list[dict]:
        return [
            m for m in self.emulator.messages(self.dm) if m.get("thread_ts", m["ts"]) == m["ts"]
        ]

    def thread(self, receipt: dict) -> list[str]:
        return [
            m["text"] for m in self.emulator.messages(self.dm)
            if m.get("thread_ts") == receipt["ts"] and m["ts"] != receipt["ts"]
        ]  # fmt: skip


def admin_dms(emulator: SlackEmulator) -> list[str]:
    return [m["text"] for m in emulator.messages(emulator.dm_channel_for(SEED.admin))]


@pytest.fixture
def worker(make_worker: Callable[..., DeliveryWorker]) -> DeliveryWorker:
    return make_worker(admins={SEED.admin})


def drain(worker: DeliveryWorker, times: int = 3) -> None:
    """Drain until what one drain queues (notices, redraws) has gone out too."""
    for _ in range(times):
        worker.drain_once()


def make_due(engine: Engine, clock: ManualClock) -> None:
    """Skip the retry wait: what a member_joined_channel or unarchive event does."""
    with session_scope(engine) as session:
        now = datetime.fromtimestamp(clock(), UTC)
        for channel in (SEED.product, GONE):
            release_channel(session=session, channel_id=channel, now=now)


@pytest.mark.parametrize("how", ["not_in_channel", "is_archived", "channel_not_found"])
def test_a_refused_card_waits_the_scout_and_admins_hear_once_and_it_goes_out_once_fixed(
    how, engine, emulator, worker, submit, clock, caplog
):
    product = block(emulator, how)
    caplog.set_level(logging.INFO)
    submit(routes=ROUTES, channels={"sales": SEED.sales, "product": product})
    drain(worker)

    scout = Scout(emulator)
    [receipt] = scout.receipts()
    assert f"went to <#{SEED.sales}> (new, <" in receipt["text"]
    assert f"and is still on its way to <#{product}> (" in receipt["text"]
    [waiting] = scout.thread(receipt)
    assert f"not reached the product team in <#{product}> yet" in waiting
    assert "told the admins" in waiting
    [notice] = admin_dms(emulator)
    assert "/scout config" in notice and ("/invite @Value Scout" in notice or how == "is_archived")
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]

    clock.advance(16 * 60)  # it is tried again, and refused again: nobody hears twice
    drain(worker)
    assert len(scout.thread(receipt)) == 1 and len(admin_dms(emulator)) == 1
    assert emulator.messages(SEED.product) == [] or how == "channel_not_found"

    unblock(emulator, how)
    if how == "channel_not_found":  # an admin maps the route to a channel that exists
        remap(engine, clock, product=SEED.marketing)
    make_due(engine, clock)
    drain(worker)

    posted_in = SEED.marketing if how == "channel_not_found" else SEED.product
    assert len(emulator.messages(posted_in)) == 1
    [updated] = scout.receipts()
    assert "on its way" not in updated["text"] and f"<#{posted_in}> (new, <" in updated["text"]
    assert scout.thread(receipt)[1] == (
        f":inbox_tray: Your discovery has now reached the product team in <#{posted_in}>."
    )


def remap(engine: Engine, clock: ManualClock, **channels: str) -> None:
    mapped = {"sales": SEED.sales, "marketing": SEED.marketing, "product": SEED.product}
    config = WorkspaceConfig(channels=mapped | channels, schedule=parse_weekly("mon 09:00"),
                             nudge_days=3)  # fmt: skip
    with session_scope(engine) as session:
        save_config(session=session, config=config, admin=SEED.admin,
                    now=datetime.fromtimestamp(clock(), UTC))  # fmt: skip


def test_each_scout_hears_of_their_card_but_the_admins_once_per_channel_and_error(
    emulator, make_worker, submit
):
    product = block(emulator, "not_in_channel")
    for key in ("view:V1", "view:V2"):  # two processes, each with its own memory
        submit(key=key, routes=ROUTES, channels={"sales": SEED.sales, "product": product})
        drain(make_worker(admins={SEED.admin, SEED.dana}))

    scout = Scout(emulator)
    assert [len(scout.thread(r)) for r in scout.receipts()] == [1, 1]
    assert len(admin_dms(emulator)) == 1
    assert len(emulator.messages(emulator.dm_channel_for(SEED.dana))) == 1


def test_the_admins_hear_again_when_a_channel_that_worked_again_refuses_again(
    engine, emulator, worker, submit, clock
):
    block(emulator, "not_in_channel")
    submit(key="view:V1", routes=ROUTES, channels={"sales": SEED.sales, "product": SEED.product})
    drain(worker)
    unblock(emulator, "not_in_channel")
    make_due(engine, clock)
    drain(worker)
    assert len(admin_dms(emulator)) == 1

    block(emulator, "not_in_channel")
    submit(key="view:V2", routes=ROUTES, channels={"sales": SEED.sales, "product": SEED.product})
    drain(worker)
    assert len(admin_dms(emulator)) == 2


def test_a_notice_not_yet_sent_when_the_card_goes_out_is_not_sent(
    engine, emulator, worker, submit, clock
):
    block(emulator, "is_archived")
    submit(routes=ROUTES, channels={"sales": SEED.sales, "product": SEED.product})
    worker.drain_once()  # the card is refused; the notices are queued, not yet sent
    unblock(emulator, "is_archived")
    make_due(engine, clock)
    drain(worker)

    assert len(emulator.messages(SEED.product)) == 1 and admin_dms(emulator) == []
    scout = Scout(emulator)
    [receipt] = scout.receipts()
    assert scout.thread(receipt) == [] and "on its way" not in receipt["text"]
    with session_scope(engine) as session:
        kinds = session.exec(select(OutboxMessage.kind, OutboxMessage.status)).all()
    assert ("delivery_waiting", OutboxStatus.FAILED) in kinds  # kept, with why it was not sent


def test_a_card_moved_while_in_flight_is_found_where_it_was_posted(engine, emulator, submit):
    from bot.discoveries.service import record_delivery

    submit(routes=[("product", "Roadmap")], channels={"product": SEED.product})
    with session_scope(engine) as session:
        row = session.exec(
            select(OutboxMessage).where(OutboxMessage.kind == "discovery_card")
        ).one()
        record_delivery(session=session, message_id=row.id, payload=row.payload, ts="1.000001",
                        channel=SEED.marketing, now=datetime.now(UTC))  # fmt: skip
        route = session.exec(select(DiscoveryRoute)).one()
        assert (route.channel_id, route.message_ts) == (SEED.marketing, "1.000001")
