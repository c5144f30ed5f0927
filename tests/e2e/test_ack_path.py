"""A scout's DM is acked without touching the database: the request thread only checks the
signature, parses and answers; who is acting (the workspace's admins) is read after the ack,
by the work that needs it. Read before the ack, that query put the database (and each wait
for the GIL around its calls) into every DM's ack time: the ack p99's tail under load."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, event

from bot.emulator import SEED, SlackDriver, SlackEmulator

REQUEST_THREAD = "process_request_thread"  # LocalServer's thread per request (socketserver)


@contextmanager
def _statements_by_thread(engine: Engine) -> Iterator[list[tuple[str, str]]]:
    """(thread name, SQL) of every statement the app runs meanwhile."""
    seen: list[tuple[str, str]] = []

    def record(_conn: Any, _cursor: Any, sql: str, *_: Any) -> None:
        seen.append((threading.current_thread().name, sql))

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def test_a_dm_is_acked_without_a_query_and_answered_after(
    driver: SlackDriver, emulator: SlackEmulator, engine: Engine
):
    dm = emulator.dm_channel_for(SEED.scout)
    with _statements_by_thread(engine) as seen:
        for text, question in (("hi", "Which customer"), ("Globex", "achieve")):
            assert driver.message(SEED.scout, text).status == 200
            emulator.wait_for_call(
                "chat.postMessage",
                lambda call, question=question: (
                    call.params.get("channel") == dm and question in str(call.params)
                ),
                timeout=10,
            )

    threads = {name for name, _ in seen}
    assert [sql for name, sql in seen if REQUEST_THREAD in name] == []
    assert any(name.startswith("after-ack") for name in threads), threads  # the work queried
