"""A digest run survives Slack errors, crashes and rival senders without posting anything twice."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlmodel import select

from bot.digests.model import Digest, DigestKind, Message, Week
from bot.digests.send import Outcome, send_digest
from bot.emulator import SEED, SlackEmulator
from storage.engine import session_scope
from storage.enums import DigestRunStatus
from storage.models import DigestRun
from storage.queries.digests import claim_digest_run, record_digest_progress
from tests.integration.digests.slack import bot_texts, client, emulator, production_client

__all__ = ["client", "emulator"]  # fixtures

NOW = datetime(2026, 11, 16, 8, 0, tzinfo=UTC)
WEEK = Week.parse("2026-W46")
KEY = {"digest": "route:sales", "channel_id": SEED.sales, "period": "2026-W46"}
TEXTS = ["Sales digest", "part 1", "part 2", "part 3"]


def digest() -> Digest:
    thread = tuple(Message(text) for text in TEXTS[1:])
    return Digest(DigestKind.ROUTE, "route:sales", SEED.sales, WEEK, Message(TEXTS[0]), thread)


def texts(emulator: SlackEmulator) -> list[str]:
    return bot_texts(emulator, SEED.sales)


def send(engine, client, now: datetime = NOW) -> Outcome:
    return send_digest(engine=engine, client=client, digest=digest(), now=now)


def status(engine) -> DigestRunStatus:
    with session_scope(engine) as session:
        return session.exec(select(DigestRun.status)).one()


def after_posting(emulator: SlackEmulator, text: str, action) -> None:
    """Run action once, right after the bot posts `text` (before Slack answers the post)."""
    done = threading.Event()

    def listener(channel: str, message: dict, kind: str) -> None:
        if kind == "posted" and message.get("text") == text and not done.is_set():
            done.set()
            action()

    emulator.on_message(listener)


def test_a_slack_error_fails_the_run_and_the_next_attempt_sends_it(engine, emulator, client):
    emulator.faults.error("chat.postMessage", "not_in_channel")

    assert send(engine, client) is Outcome.FAILED
    assert texts(emulator) == [] and status(engine) is DigestRunStatus.FAILED

    assert send(engine, client, NOW + timedelta(minutes=5)) is Outcome.SENT
    assert texts(emulator) == TEXTS


def test_an_error_mid_thread_resumes_after_the_last_part_posted(engine, emulator, client):
    after_posting(emulator, "part 1", lambda: emulator.faults.error("chat.postMessage", "fatal"))

    assert send(engine, client) is Outcome.FAILED
    assert texts(emulator) == TEXTS[:2]

    assert send(engine, client, NOW + timedelta(minutes=5)) is Outcome.SENT
    assert texts(emulator) == TEXTS
    parent = emulator.messages(SEED.sales)[0]
    assert all(m["thread_ts"] == parent["ts"] for m in emulator.messages(SEED.sales)[1:])


def test_a_crashed_senders_stale_claim_is_taken_over_and_finished_without_reposting(
    engine, emulator, client
):
    parent = client.chat_postMessage(channel=SEED.sales, text=TEXTS[0])["ts"]
    client.chat_postMessage(channel=SEED.sales, text=TEXTS[1], thread_ts=parent)
    with session_scope(engine) as session:  # a sender that died after two posts
        claim_digest_run(session=session, now=NOW, **KEY)
        progress = {"channel": SEED.sales, "parent_ts": parent, "parts": 1}
        record_digest_progress(session=session, lease=NOW, progress=progress, now=NOW, **KEY)

    assert send(engine, client, NOW + timedelta(minutes=5)) is Outcome.BUSY  # maybe still alive
    assert texts(emulator) == TEXTS[:2]
    assert send(engine, client, NOW + timedelta(minutes=11)) is Outcome.SENT
    assert texts(emulator) == TEXTS
    assert emulator.messages(SEED.sales)[-1]["thread_ts"] == parent


def test_a_sender_whose_claim_was_taken_over_stops_posting(engine, emulator, client):
    def take_over() -> None:
        with session_scope(engine) as session:
            session.exec(sa.update(DigestRun).values(claimed_at=NOW + timedelta(minutes=30)))

    after_posting(emulator, "part 1", take_over)

    assert send(engine, client) is Outcome.BUSY
    assert texts(emulator) == TEXTS[:2]  # part 2 is the new owner's to post


def test_racing_senders_post_each_message_once(engine, emulator, client):
    barrier = threading.Barrier(6)
    outcomes: list[Outcome] = []

    def contender() -> None:
        barrier.wait(timeout=10)
        outcomes.append(send(engine, production_client(emulator)))

    threads = [threading.Thread(target=contender) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes).count(Outcome.SENT) == 1
    assert texts(emulator) == TEXTS
