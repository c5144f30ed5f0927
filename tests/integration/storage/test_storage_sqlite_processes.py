"""SQLite under several processes: long reads never hold writers back, and no write is lost.

As under Gunicorn: separate processes on one database file. Readers run slow reads (and
the health check) back to back; writers run short transactions meanwhile. With a short
busy_timeout, a reader that took the write lock would make the writers give up with
"database is locked"; reads must take none, and every write must land.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import sqlalchemy as sa

from storage.engine import create_engine_for
from storage.migrate import upgrade

PROJECT_ROOT = Path(__file__).resolve().parents[3]
WRITES = 150

CHILD = r"""
import sys, time
import storage.engine as engine_module
engine_module.SQLITE_BUSY_TIMEOUT_MS = 250  # a slow read holding the lock would exceed this
from sqlmodel import select
from storage.engine import create_engine_for, database_is_reachable, read_scope, session_scope
from storage.models import ProcessedRequest
from storage.queries import record_request_once

role, url, name, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
engine = create_engine_for(url)
SLOW = ("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 300000) "
        "SELECT count(*) FROM c")
errors = 0
if role == "reader":
    deadline = time.monotonic() + count
    while time.monotonic() < deadline:
        with read_scope(engine) as session:
            session.exec(select(ProcessedRequest.key)).all()  # a snapshot of the table…
            session.connection().exec_driver_sql(SLOW).scalar()  # …held ~0.1-0.3 s
        errors += not database_is_reachable(engine)
else:
    for number in range(count):
        try:
            with session_scope(engine) as session:
                record_request_once(session=session, key=f"{name}:{number}", kind="turn")
        except Exception as error:
            errors += 1
            print(repr(error), file=sys.stderr)
print(errors)
"""


def _start(role: str, url: str, name: str, count: int) -> subprocess.Popen:
    command = [sys.executable, "-c", CHILD, role, url, name, str(count)]
    return subprocess.Popen(
        command, cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def test_slow_reads_in_other_processes_never_make_a_write_fail(tmp_path):
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    upgrade(engine_or_url=url)
    readers = [_start("reader", url, f"r{n}", 3) for n in range(2)]
    writers = [_start("writer", url, f"w{n}", WRITES) for n in range(2)]

    outcomes = [process.communicate(timeout=120) for process in readers + writers]

    assert [(out.strip(), err[-500:]) for out, err in outcomes] == [("0", "")] * 4
    engine = create_engine_for(url)
    try:
        with engine.connect() as connection:
            written = connection.execute(sa.text("SELECT count(*) FROM processed_requests"))
            assert written.scalar() == 2 * WRITES
    finally:
        engine.dispose()
