"""`valuescout doctor`: run every check of the set-up, print one line each, exit 1 on any ✗."""

from __future__ import annotations

from typing import TextIO

from bot.doctor import run_checks
from bot.doctor.database import missing_sqlite_file
from bot.settings import Settings
from bot.slack_client import build_web_client
from storage.engine import create_engine_for
from storage.types import utc_now


def run_doctor(settings: Settings, *, out: TextIO) -> int:
    """Check, changing nothing: no migration, no seeding, and no SQLite file made."""
    client = build_web_client(settings) if settings.bot_token else None
    missing = missing_sqlite_file(settings.database_url)
    engine = None if missing else create_engine_for(settings.database_url)
    try:
        checks = run_checks(settings=settings, engine=engine, client=client, now=utc_now())
    finally:
        if engine is not None:
            engine.dispose()
    for check in checks:
        out.write(check.line() + "\n")
    wrong = sum(not check.ok for check in checks)
    out.write(f"{wrong} of {len(checks)} checks failed.\n" if wrong else "All is well.\n")
    return 1 if wrong else 0
