"""Pacing across processes: three workers with two delivery threads each, as under Gunicorn,
post to one channel no faster than Slack takes (about one a second), as the emulator saw it."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from itertools import pairwise
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import select

from bot.emulator import SEED, SlackEmulator
from storage.engine import session_scope
from storage.enums import OutboxStatus
from storage.models import OutboxMessage

PROJECT_ROOT = Path(__file__).resolve().parents[3]
PROCESSES, CARDS = 3, 4

# A child: two delivery threads on the default pacing, started together with its siblings
# (each says "ready", then waits for "go"), stopped once every card is posted (a receipt
# whose card was in another process's hands looks again up to a minute later: not waited for).
CHILD = r"""
import sys, time
from bot.dialogue.definition import load_definition
from bot.discoveries.delivery import DeliveryWorker
from bot.emulator import SEED
from bot.slack_client import KeepAliveWebClient
from sqlmodel import select
from storage.engine import create_engine_for, read_scope
from storage.models import OutboxMessage

url, api_url = sys.argv[1], sys.argv[2]
engine = create_engine_for(url)
client = KeepAliveWebClient(token=SEED.bot_token, base_url=api_url, timeout=10)
workers = [
    DeliveryWorker(engine=engine, client=client, definition=load_definition(), poll_interval=0.05)
    for _ in range(2)
]
print("ready", flush=True)
sys.stdin.readline()
for worker in workers:
    worker.start()
deadline = time.monotonic() + 20
while time.monotonic() < deadline:
    with read_scope(engine) as session:
        cards = select(OutboxMessage.id).where(
            OutboxMessage.kind == "discovery_card", OutboxMessage.status == "pending"
        )
        if not session.exec(cards).first():
            break
    time.sleep(0.1)
for worker in workers:
    worker.stop()
"""


def _start_child(database_url: str, emulator: SlackEmulator) -> subprocess.Popen:
    command = [sys.executable, "-c", CHILD, database_url, emulator.api_url]
    return subprocess.Popen(
        command, cwd=PROJECT_ROOT, text=True,
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip


def _post_times(emulator: SlackEmulator, channel: str) -> list[float]:
    """When the emulator took each successful post to a channel, in order."""
    posts = emulator.calls_to("chat.postMessage")
    return sorted(c.at for c in posts if c.ok and c.response["channel"] == channel)


def test_three_processes_post_to_one_channel_at_most_once_a_second(
    database_url: str, engine: Engine, emulator: SlackEmulator, submit: Callable[..., int]
):
    for number in range(CARDS):
        submit(key=f"view:{number}", routes=[("sales", "Money")])
    children = [_start_child(database_url, emulator) for _ in range(PROCESSES)]
    for child in children:  # all three ready before any starts: they race from the start
        assert child.stdout.readline().strip() == "ready", child.stderr.read()
    for child in children:
        child.stdin.write("go\n")
        child.stdin.flush()

    outcomes = [child.communicate(timeout=60) for child in children]

    assert [
        (child.returncode, err[-800:]) for child, (_, err) in zip(children, outcomes, strict=True)
    ] == [(0, "")] * PROCESSES
    with session_scope(engine) as session:
        cards = session.exec(select(OutboxMessage).where(OutboxMessage.kind == "discovery_card"))
        assert [row.status for row in cards] == [OutboxStatus.SENT] * CARDS
    card_times = _post_times(emulator, SEED.sales)
    assert len(card_times) == len(emulator.messages(SEED.sales)) == CARDS  # each exactly once
    receipt_times = _post_times(emulator, emulator.dm_channel_for(SEED.scout))
    for times in (card_times, receipt_times):  # the scout's DM is paced as a channel too
        gaps = [later - earlier for earlier, later in pairwise(times)]
        assert all(gap >= 1.0 for gap in gaps), gaps
