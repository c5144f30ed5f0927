"""Signed webhooks against a real HTTP receiver: the contract, retries, order, a day, a restart."""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import Engine
from sqlmodel import select

from bot.bootstrap import load_settings
from bot.cli.webhook import run_webhook_test
from bot.discoveries.delivery import DeliveryWorker
from bot.discoveries.loop import Change, change_status
from bot.discoveries.service import submit_discovery
from bot.effects.webhook import WEBHOOK, WebhookTarget
from bot.emulator import SEED, ManualClock, SlackEmulator
from storage.engine import session_scope
from storage.enums import DiscoverySource, DiscoveryStatus, OutboxStatus
from storage.models import OutboxMessage
from storage.queries import claim_due_outbox
from tests.integration.delivery.conftest import ANSWERS, CHANNELS

SECRET = "whsec-test-0123456789"
BODY_KEYS = {"id", "type", "occurred_at", "team_id", "discovery"}


class Receiver:
    """A real HTTP endpoint: keeps every request; answers as scripted (a status, or a delay)."""

    def __init__(self) -> None:
        self.requests: list[tuple[dict[str, str], bytes]] = []
        self.script: list[int | float] = []  # int: that status; float: hang that long, then 200
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append((dict(self.headers), body))
                answer = receiver.script.pop(0) if receiver.script else 200
                if isinstance(answer, float):
                    time.sleep(answer)
                    answer = 200
                try:
                    self.send_response(answer)
                    self.end_headers()
                    self.wfile.write(b'{"ok": true}')
                except OSError:  # the sender gave up waiting
                    pass

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/valuescout"

    def bodies(self) -> list[dict]:
        return [json.loads(body) for _headers, body in self.requests]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    receiver = Receiver()
    thread = threading.Thread(target=receiver.server.serve_forever, daemon=True)
    thread.start()
    yield receiver
    receiver.server.shutdown()
    receiver.server.server_close()


@pytest.fixture
def hooked(make_worker, receiver: Receiver) -> Callable[..., DeliveryWorker]:
    """A worker with the receiver as its webhook target (a new one is a restarted process)."""
    return lambda timeout=5.0: make_worker(webhook=WebhookTarget(receiver.url, SECRET, timeout))


def verify(headers: dict[str, str], body: bytes, now: float) -> bool:
    """What a receiver does (as in the README): recompute the signature, check its age."""
    timestamp = headers["X-ValueScout-Timestamp"]
    signed = f"v1:{timestamp}:".encode() + body
    expected = "v1=" + hmac.new(SECRET.encode(), signed, hashlib.sha256).hexdigest()
    fresh = abs(now - int(timestamp)) <= 300
    return hmac.compare_digest(expected, headers["X-ValueScout-Signature"]) and fresh


def _now(clock: ManualClock) -> datetime:
    return datetime.fromtimestamp(clock(), UTC)


def _submit(engine: Engine, clock: ManualClock, key: str = "view:W1") -> int:
    with session_scope(engine) as session:
        return submit_discovery(
            session=session, source_key=key, team_id=SEED.team_id, scout_user_id=SEED.scout,
            source=DiscoverySource.MODAL, answers=ANSWERS, routes=[("sales", "Money")],
            themes=[], route_channels=CHANNELS, now=_now(clock),
        ).discovery_id  # fmt: skip


def _acknowledge(engine: Engine, clock: ManualClock, discovery_id: int) -> None:
    change = Change(DiscoveryStatus.ACKNOWLEDGED, SEED.dana, SEED.sales)
    with session_scope(engine) as session:
        change_status(session=session, discovery_id=discovery_id, change=change, now=_now(clock))


def _webhook_rows(engine: Engine) -> list[OutboxMessage]:
    with session_scope(engine) as session:
        query = select(OutboxMessage).where(OutboxMessage.kind == WEBHOOK)
        return list(session.exec(query.order_by(OutboxMessage.id)).all())


def test_every_event_is_posted_signed_with_the_export_record(
    engine: Engine, clock: ManualClock, hooked, receiver: Receiver
):
    worker = hooked()
    discovery_id = _submit(engine, clock)
    worker.drain_once()
    _acknowledge(engine, clock, discovery_id)
    worker.drain_once()

    submitted, acknowledged = receiver.bodies()
    assert [submitted["type"], acknowledged["type"]] == [
        "discovery.submitted",
        "route.acknowledged",
    ]
    for (headers, raw), body in zip(receiver.requests, receiver.bodies(), strict=True):
        assert set(body) == BODY_KEYS and body["team_id"] == SEED.team_id
        assert headers["X-ValueScout-Event-Id"] == body["id"]
        assert headers["X-ValueScout-Timestamp"] == str(int(clock()))
        assert headers["Content-Type"] == "application/json"
        assert verify(headers, raw, clock())
    assert submitted["discovery"]["id"] == discovery_id
    assert submitted["discovery"]["account"] == ANSWERS["account"]
    assert (submitted["discovery"]["status"], acknowledged["discovery"]["status"]) == (
        "new",
        "acknowledged",
    )  # fmt: skip: each record is the discovery right after its event
    assert [row.status for row in _webhook_rows(engine)] == [OutboxStatus.SENT] * 2


def test_a_tampered_body_or_an_old_timestamp_fails_verification(
    engine: Engine, clock: ManualClock, hooked, receiver: Receiver
):
    _submit(engine, clock)
    hooked().drain_once()
    [(headers, raw)] = receiver.requests

    assert verify(headers, raw, clock())
    assert not verify(headers, raw.replace(b"Globex", b"Globez"), clock())
    assert not verify(headers, raw, clock() + 3600)


def test_a_failing_receiver_is_retried_within_a_minute_in_order_and_slack_goes_on(
    engine: Engine, clock: ManualClock, hooked, receiver: Receiver, emulator: SlackEmulator
):
    worker = hooked()
    receiver.script = [500]
    discovery_id = _submit(engine, clock)
    worker.drain_once()
    _acknowledge(engine, clock, discovery_id)
    worker.drain_once()  # the acknowledgement waits: its discovery's submit is not through

    assert [body["type"] for body in receiver.bodies()] == ["discovery.submitted"]
    assert len(emulator.messages(SEED.sales)) == 1  # the card went out all the same
    first = _webhook_rows(engine)[0]
    assert (first.status, first.attempts, first.last_error) == (
        OutboxStatus.PENDING, 1, 'HTTP 500: {"ok": true}',
    )  # fmt: skip
    assert (first.next_attempt_at - first.created_at).total_seconds() <= 60

    clock.advance(60)
    worker.drain_once()
    worker.drain_once()

    types = [body["type"] for body in receiver.bodies()]
    assert types == ["discovery.submitted", "discovery.submitted", "route.acknowledged"]
    (h1, _), (h2, _) = receiver.requests[:2]
    assert h1["X-ValueScout-Event-Id"] == h2["X-ValueScout-Event-Id"]  # the same event
    assert h1["X-ValueScout-Timestamp"] != h2["X-ValueScout-Timestamp"]  # signed afresh
    assert h1["X-ValueScout-Signature"] != h2["X-ValueScout-Signature"]


def test_a_receiver_that_does_not_answer_in_time_is_retried(
    engine: Engine, clock: ManualClock, hooked, receiver: Receiver
):
    receiver.script = [1.5]  # longer than the worker waits
    _submit(engine, clock)
    worker = hooked(timeout=0.3)
    worker.drain_once()

    [row] = _webhook_rows(engine)
    assert (row.status, row.attempts) == (OutboxStatus.PENDING, 1)
    assert "timed out" in row.last_error
    clock.advance(60)
    worker.drain_once()
    assert _webhook_rows(engine)[0].status == OutboxStatus.SENT
    assert len(receiver.requests) == 2


def test_after_a_day_of_failures_an_event_is_kept_failed_and_the_next_one_goes(
    engine: Engine, clock: ManualClock, hooked, receiver: Receiver
):
    worker = hooked()
    receiver.script = [503] * 200
    discovery_id = _submit(engine, clock)
    worker.drain_once()
    _acknowledge(engine, clock, discovery_id)
    hours = 0
    while _webhook_rows(engine)[0].status == OutboxStatus.PENDING:
        clock.advance(3601)
        hours += 1
        worker.drain_once()
        assert hours <= 30

    given_up, waiting = _webhook_rows(engine)
    assert waiting.status == OutboxStatus.PENDING  # held back behind it, in order
    assert hours >= 24 and given_up.status == OutboxStatus.FAILED
    assert given_up.last_error.startswith("HTTP 503") and given_up.attempts >= 10
    # In order: the next event only after this one was given up (the pass that gives it up
    # may already try the next one), never interleaved with its retries.
    types = [body["type"] for body in receiver.bodies()]
    tried = types.count("discovery.submitted")
    assert tried >= 10 and set(types[:tried]) == {"discovery.submitted"}
    assert set(types[tried:]) <= {"route.acknowledged"}
    receiver.script = []
    clock.advance(60)
    worker.drain_once()
    assert receiver.bodies()[-1]["type"] == "route.acknowledged"
    assert _webhook_rows(engine)[1].status == OutboxStatus.SENT


def test_a_worker_that_died_mid_send_leaves_it_to_the_next_one(
    engine: Engine, clock: ManualClock, hooked, receiver: Receiver
):
    _submit(engine, clock)
    hooked().drain_once()  # dispatches, then a later event's row is claimed by a dying worker
    discovery_id = _submit(engine, clock, key="view:W2")
    dying = hooked()
    dying._drain_slack()  # the event is dispatched into its webhook row…
    with session_scope(engine) as session:  # …which that worker claims, then it is killed
        [claimed] = claim_due_outbox(session=session, now=_now(clock), limit=5, kinds=(WEBHOOK,))
    hooked().drain_once()
    assert len(receiver.requests) == 1  # leased: not sent twice at once

    clock.advance(5 * 60 + 1)  # the lease ends
    assert hooked().drain_once() == 1  # a new process, over the same database
    assert receiver.bodies()[-1]["discovery"]["id"] == discovery_id
    assert claimed.id == _webhook_rows(engine)[-1].id


def test_without_a_webhook_no_webhook_work_is_queued(
    engine: Engine, clock: ManualClock, worker: DeliveryWorker
):
    _submit(engine, clock)
    worker.drain_once()
    assert _webhook_rows(engine) == []


def test_the_webhook_test_command_sends_a_signed_ping_and_prints_the_answer(
    receiver: Receiver,
):
    settings = load_settings(webhook_url=receiver.url, webhook_secret=SECRET)
    out = io.StringIO()

    assert run_webhook_test(settings, out=out) == 0
    [(headers, raw)] = receiver.requests
    body = json.loads(raw)
    assert set(body) == {"id", "type", "occurred_at"} and body["type"] == "ping"
    assert verify(headers, raw, time.time())
    assert f"ping {body['id']} to {receiver.url}: HTTP 200" in out.getvalue()
    receiver.script = [404]
    assert run_webhook_test(settings, out=out) == 1
    assert "HTTP 404" in out.getvalue()
