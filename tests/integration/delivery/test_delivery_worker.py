"""The outbox drain against the Slack emulator: exactly once, retried, kept when Slack refuses."""

from __future__ import annotations

import logging
import socket
from collections.abc import Callable
from datetime import timedelta

import pytest
from slack_sdk import WebClient
from sqlalchemy import Engine
from sqlmodel import select

from bot.bootstrap import load_settings
from bot.discoveries.delivery import DeliveryWorker
from bot.emulator import SEED, ManualClock, SlackEmulator
from bot.slack_client import build_web_client
from storage.engine import session_scope
from storage.enums import OutboxStatus
from storage.models import Discovery, DiscoveryRoute, OutboxMessage
from storage.queries import pending_outbox_count

Submit = Callable[..., int]


def _outbox(engine: Engine) -> dict[str, OutboxMessage]:
    """Outbox rows by kind and route: "card:sales", "receipt"."""
    with session_scope(engine) as session:
        rows = session.exec(select(OutboxMessage)).all()
    return {r.kind.replace("discovery_", "") + (f":{r.payload['route']}" if "route" in r.payload else ""): r for r in rows}  # fmt: skip


def _posts_to(emulator: SlackEmulator, channel: str) -> list:
    return [c for c in emulator.calls_to("chat.postMessage") if c.params["channel"] == channel]


def test_cards_and_the_receipt_are_delivered_exactly_once(
    engine: Engine, emulator: SlackEmulator, worker: DeliveryWorker, submit: Submit
):
    submit(routes=[("sales", "Money"), ("product", "Roadmap")])

    assert worker.drain_once() == 3
    assert worker.drain_once() == 0

    sales, product = emulator.messages(SEED.sales), emulator.messages(SEED.product)
    assert len(sales) == len(product) == len(emulator.messages(SEED.scout)) == 1
    with session_scope(engine) as session:
        route_ts = {r.route: r.message_ts for r in session.exec(select(DiscoveryRoute))}
    assert route_ts == {"sales": sales[0]["ts"], "product": product[0]["ts"]}
    rows = _outbox(engine)
    assert {r.status for r in rows.values()} == {OutboxStatus.SENT}
    assert rows["card:sales"].posted_ts == sales[0]["ts"]
    assert rows["receipt"].posted_channel == emulator.dm_channel_for(SEED.scout)
    card_call = _posts_to(emulator, SEED.sales)[0]
    assert card_call.params["unfurl_links"] is False and card_call.params["unfurl_media"] is False
    assert card_call.params["metadata"]["event_payload"] == {"outbox_id": rows["card:sales"].id}


def test_a_card_is_rendered_at_send_time_so_an_edit_before_posting_is_included(
    engine: Engine, emulator: SlackEmulator, worker: DeliveryWorker, submit: Submit
):
    discovery_id = submit()
    with session_scope(engine) as session:  # the answer, and its column, as an edit writes them
        discovery = session.get(Discovery, discovery_id)
        discovery.answers = discovery.answers | {"outcome": "Open 40 stores before Easter"}
        discovery.outcome = "Open 40 stores before Easter"

    worker.drain_once()

    [card] = emulator.messages(SEED.sales)
    assert "Open 40 stores before Easter" in str(card["blocks"])


def test_a_rate_limited_post_waits_for_retry_after_then_is_posted_once(
    engine: Engine,
    emulator: SlackEmulator,
    worker: DeliveryWorker,
    submit: Submit,
    clock: ManualClock,
):
    emulator.faults.rate_limit("chat.postMessage", retry_after=7, times=1)
    submit()
    start = clock()

    assert worker.drain_once() == 0
    row = _outbox(engine)["card:sales"]
    assert (row.status, row.attempts) == (OutboxStatus.PENDING, 1)
    assert row.next_attempt_at.timestamp() == pytest.approx(start + 7, abs=0.01)

    clock.advance(6)
    assert worker.drain_once() == 0
    clock.advance(1.5)
    assert worker.drain_once() == 2  # the card, then the receipt that waited for it

    assert len(emulator.messages(SEED.sales)) == 1
    assert [c.status for c in _posts_to(emulator, SEED.sales)] == [429, 200]


@pytest.mark.parametrize("status", [500, 503])
def test_server_errors_back_off_exponentially_then_the_card_is_posted_once(
    status: int,
    engine: Engine,
    emulator: SlackEmulator,
    worker: DeliveryWorker,
    submit: Submit,
    clock: ManualClock,
):
    emulator.faults.server_error("chat.postMessage", status=status, times=2)
    submit()

    delays = []
    for _ in range(2):
        before = clock()
        assert worker.drain_once() == 0
        delays.append(_outbox(engine)["card:sales"].next_attempt_at.timestamp() - before)
        clock.advance(10)
    assert worker.drain_once() == 2

    assert 2 <= delays[0] <= 2.5 and 4 <= delays[1] <= 5  # 2 s, 4 s, … with up to 25 % jitter
    assert len(emulator.messages(SEED.sales)) == 1
    assert [c.status for c in _posts_to(emulator, SEED.sales)] == [status, status, 200]


def test_a_rate_limit_pauses_the_channel_for_every_worker_not_only_the_one_told(
    engine: Engine,
    emulator: SlackEmulator,
    make_worker,
    new_client: Callable[[], WebClient],
    submit: Submit,
    clock: ManualClock,
):
    settings = load_settings(
        _env_file=None, SLACK_BOT_TOKEN=SEED.bot_token, SLACK_API_URL=emulator.api_url
    )
    # The production client would sleep through a 429 itself: delivery must not let it.
    told = make_worker(client=build_web_client(settings), per_channel_interval=1.1)
    other = make_worker(client=new_client(), per_channel_interval=1.1)  # another process
    emulator.faults.rate_limit("chat.postMessage", retry_after=5, times=1)
    submit(key="view:first")

    assert told.drain_once() == 0
    submit(key="view:second")  # a new card for the paused channel, due at once
    clock.advance(4.5)
    assert other.drain_once() == 0  # the pause holds it too (the other's DM is not paused)
    assert [c.status for c in _posts_to(emulator, SEED.sales)] == [429]

    clock.advance(0.6)  # (a little past the 5 s: the database keeps microseconds)
    assert other.drain_once() == 1  # the channel takes one post, then one per slot
    clock.advance(1.2)
    other.drain_once()
    assert len(emulator.messages(SEED.sales)) == 2
    assert [c.status for c in _posts_to(emulator, SEED.sales)] == [429, 200, 200]


# A channel that refuses the bot (channel_not_found, not_in_channel, is_archived) is a case of
# its own: the receipt does not wait for that card, and people are told (test_delivery_blocked).
@pytest.mark.parametrize("error", ["invalid_blocks", "msg_too_long"])
def test_a_refused_post_stays_pending_with_a_long_backoff_and_goes_out_later(
    error: str,
    engine: Engine,
    emulator: SlackEmulator,
    worker: DeliveryWorker,
    submit: Submit,
    clock: ManualClock,
    caplog: pytest.LogCaptureFixture,
):
    emulator.faults.error("chat.postMessage", error, times=1)
    discovery_id = submit()

    with caplog.at_level(logging.WARNING, logger="bot.discoveries.delivery"):
        assert worker.drain_once() == 0

    row = _outbox(engine)["card:sales"]
    assert (row.status, row.attempts, row.last_error) == (OutboxStatus.PENDING, 1, error)
    assert row.next_attempt_at.timestamp() - clock() >= 10 * 60
    with session_scope(engine) as session:
        assert pending_outbox_count(session=session) == 2  # the card and its waiting receipt
    [record] = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert f"discovery {discovery_id}" in record.getMessage() and error in record.getMessage()
    assert SEED.bot_token not in caplog.text

    clock.advance(5 * 60)
    assert worker.drain_once() == 0
    clock.advance(11 * 60)
    assert worker.drain_once() == 2
    assert len(emulator.messages(SEED.sales)) == 1


def test_a_channel_the_bot_was_not_invited_to_gets_its_card_once_an_admin_invites_it(
    engine: Engine,
    emulator: SlackEmulator,
    worker: DeliveryWorker,
    submit: Submit,
    clock: ManualClock,
):
    submit(channels={"sales": SEED.general})  # the bot is not a member of #general

    worker.drain_once()
    assert _outbox(engine)["card:sales"].last_error == "not_in_channel"
    emulator.workspace.join(SEED.general, SEED.bot_user_id)
    clock.advance(16 * 60)
    worker.drain_once()

    assert len(emulator.messages(SEED.general)) == 1
    assert _outbox(engine)["card:sales"].status == OutboxStatus.SENT


def test_an_unreachable_slack_is_retried_with_backoff(
    engine: Engine, make_worker, submit: Submit, clock: ManualClock
):
    with socket.socket() as probe:  # a port nothing listens on: connection refused
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = WebClient(token=SEED.bot_token, base_url=f"http://127.0.0.1:{port}/api/", timeout=2, retry_handlers=[])  # fmt: skip
    submit()

    assert make_worker(client=client).drain_once() == 0

    row = _outbox(engine)["card:sales"]
    assert (row.status, row.attempts) == (OutboxStatus.PENDING, 1)
    assert 2 <= row.next_attempt_at.timestamp() - clock() <= 2.5


def test_messages_of_a_deleted_discovery_are_parked_not_retried(
    engine: Engine, emulator: SlackEmulator, worker: DeliveryWorker, submit: Submit
):
    discovery_id = submit()
    with session_scope(engine) as session:
        session.delete(session.get(Discovery, discovery_id))

    assert worker.drain_once() == 0

    assert {r.status for r in _outbox(engine).values()} == {OutboxStatus.FAILED}
    assert emulator.calls_to("chat.postMessage") == []


def test_rows_not_yet_due_are_left_alone(
    engine: Engine, emulator: SlackEmulator, worker: DeliveryWorker, submit: Submit
):
    submit()
    with session_scope(engine) as session:
        for row in session.exec(select(OutboxMessage)):
            row.next_attempt_at += timedelta(minutes=1)

    assert worker.drain_once() == 0
    assert emulator.calls == []
