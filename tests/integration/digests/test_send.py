"""Sending a digest through the emulator: parent, thread and chart once each, whatever Slack does."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from bot.digests.model import Chart, Digest, DigestKind, Message, Week
from bot.digests.send import Outcome, send_digest
from bot.emulator import SEED, SlackEmulator
from storage.engine import session_scope
from storage.enums import DigestRunStatus
from storage.models import DigestRun
from tests.integration.digests.slack import bot_texts, client, emulator

__all__ = ["client", "emulator"]  # fixtures

NOW = datetime(2026, 11, 16, 8, 0, tzinfo=UTC)  # Monday 09:00 in Berlin
WEEK = Week.parse("2026-W46")
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def route_digest(*, parts: int = 2, chart: Chart | None = None) -> Digest:
    """A hand-made sales digest: a parent and `parts` thread messages."""
    parent = Message(
        "Sales: 3 new this week",
        [{"type": "section", "text": {"type": "mrkdwn", "text": "*Sales*: 3 new this week"}}],
    )
    thread = tuple(Message(f"part {n}") for n in range(1, parts + 1))
    return Digest(DigestKind.ROUTE, "route:sales", SEED.sales, WEEK, parent, thread, chart)


def coach_digest() -> Digest:
    chart = Chart(PNG, "coach-2026-W46.png", "12 weeks of discoveries", "Bars per week by route")
    parent = Message("Coaches: the last 12 weeks")
    return Digest(DigestKind.COACH, "coach", SEED.coaches, WEEK, parent, (Message("trend"),), chart)


def bot_posts(emulator: SlackEmulator, channel: str) -> list[dict]:
    return [m for m in emulator.messages(channel) if m.get("user") == SEED.bot_user_id]


def run_row(engine, name: str = "route:sales") -> DigestRun:
    with session_scope(engine) as session:
        return session.exec(select(DigestRun).where(DigestRun.digest == name)).one()


def send(engine, client, digest: Digest, now: datetime = NOW, **options) -> Outcome:
    return send_digest(engine=engine, client=client, digest=digest, now=now, **options)


def test_a_digest_posts_its_parent_then_its_thread_once(engine, emulator, client):
    assert send(engine, client, route_digest()) is Outcome.SENT
    assert send(engine, client, route_digest(), NOW + timedelta(hours=1)) is Outcome.ALREADY_SENT

    parent, *replies = bot_posts(emulator, SEED.sales)
    assert [parent["text"], *(r["text"] for r in replies)] == [
        "Sales: 3 new this week",
        "part 1",
        "part 2",
    ]
    assert all(reply["thread_ts"] == parent["ts"] for reply in replies)
    assert run_row(engine).status is DigestRunStatus.SENT


def test_digests_never_unfurl_links(engine, emulator, client):
    send(engine, client, route_digest())

    posts = emulator.calls_to("chat.postMessage")
    assert len(posts) == 3
    assert all(str(c.params["unfurl_links"]).lower() in ("false", "0") for c in posts)
    assert all(str(c.params["unfurl_media"]).lower() in ("false", "0") for c in posts)


def test_a_scout_digest_goes_to_the_scouts_dm(engine, emulator, client):
    digest = Digest(DigestKind.SCOUT, "scout", SEED.scout, WEEK, Message("Your week"))

    assert send(engine, client, digest) is Outcome.SENT

    assert bot_texts(emulator, emulator.dm_channel_for(SEED.scout)) == ["Your week"]
    assert run_row(engine, "scout").channel_id == SEED.scout


def test_the_chart_is_shared_in_the_digests_thread(engine, emulator, client):
    assert send(engine, client, coach_digest()) is Outcome.SENT

    parent, trend, upload = bot_posts(emulator, SEED.coaches)
    assert trend["thread_ts"] == upload["thread_ts"] == parent["ts"]
    [shared] = upload["files"]
    assert emulator.file_bytes(shared["id"]) == PNG
    info = emulator.file_info(shared["id"])
    assert info["title"] == "12 weeks of discoveries"
    assert info["alt_txt"] == "Bars per week by route"
    assert run_row(engine, "coach").progress["chart"] == "uploaded"


@pytest.mark.parametrize("method", ["files.getUploadURLExternal", "files.completeUploadExternal"])
def test_a_failed_chart_upload_leaves_the_text_and_logs_an_error(
    engine, emulator, client, caplog, method
):
    emulator.faults.error(method, "internal_error", times=None)

    with caplog.at_level(logging.ERROR, logger="bot.digests.send"):
        assert send(engine, client, coach_digest()) is Outcome.SENT

    assert bot_texts(emulator, SEED.coaches) == ["Coaches: the last 12 weeks", "trend"]
    [record] = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert "coach" in record.getMessage() and SEED.coaches in record.getMessage()
    assert "2026-W46" in record.getMessage() and "internal_error" in record.getMessage()
    assert run_row(engine, "coach").status is DigestRunStatus.SENT


def test_rate_limits_while_posting_are_waited_out_and_each_message_posted_once(
    engine, emulator, client
):
    emulator.faults.rate_limit("chat.postMessage", retry_after=1, times=2)

    assert send(engine, client, route_digest()) is Outcome.SENT

    assert bot_texts(emulator, SEED.sales) == ["Sales: 3 new this week", "part 1", "part 2"]
    statuses = [call.status for call in emulator.calls_to("chat.postMessage")]
    assert statuses.count(429) == 2 and statuses.count(200) == 3


def test_a_forced_send_posts_again_as_a_run_of_its_own(engine, emulator, client):
    send(engine, client, route_digest())

    assert (
        send(engine, client, route_digest(), NOW + timedelta(hours=2), force=True) is Outcome.SENT
    )

    assert bot_texts(emulator, SEED.sales).count("Sales: 3 new this week") == 2
    with session_scope(engine) as session:
        periods = sorted(session.exec(select(DigestRun.period)).all())
    assert periods == ["2026-W46", "2026-W46+20261116T100000"]
