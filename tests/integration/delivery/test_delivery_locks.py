"""The delivery thread and SQLite's write lock: a poll that finds nothing to do only reads."""

from __future__ import annotations

from unittest.mock import patch

from slack_sdk import WebClient

import storage.engine as engine_module
from bot.dialogue.definition import Definition
from bot.discoveries.delivery import DeliveryWorker
from storage.engine import create_engine_for, session_scope
from storage.migrate import upgrade
from storage.models import ProcessedRequest


def test_an_idle_drain_never_waits_for_a_scouts_write_lock(
    tmp_path, client: WebClient, definition: Definition
):
    """Every worker polls every second; had it taken the write lock to find an empty outbox,
    scouts' steps would queue behind it, and it behind them (here: give up at once)."""
    with (
        patch.object(engine_module, "SQLITE_BUSY_TIMEOUT_MS", 50),
        patch.object(engine_module, "SQLITE_BEGIN_ATTEMPTS", 1),
    ):
        engine = create_engine_for(f"sqlite:///{tmp_path / 'idle.db'}")
        upgrade(engine_or_url=engine)
        try:
            worker = DeliveryWorker(engine=engine, client=client, definition=definition)
            with session_scope(engine) as step:  # a scout's step, holding the write lock
                step.add(ProcessedRequest(key="event:E1", kind="turn"))
                step.flush()
                assert worker.drain_once() == 0
        finally:
            engine.dispose()
