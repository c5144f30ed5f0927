"""`valuescout db backup FILE`: SQLite's online backup; for PostgreSQL, the pg_dump line to run."""

from __future__ import annotations

import os
import shlex
import sqlite3
from pathlib import Path
from typing import TextIO

from sqlalchemy.engine import URL

from bot.settings import SettingsError
from storage.engine import parse_database_url


def backup(url: str, target: Path, *, out: TextIO) -> None:
    """Copy the database to `target`, consistent while the app keeps writing."""
    parsed = parse_database_url(url)
    if parsed.get_backend_name() == "postgresql":
        raise SettingsError(
            f"PostgreSQL is backed up with pg_dump; run: {pg_dump_line(parsed, target)}"
        )
    source = Path(parsed.database or "")
    if parsed.database in (None, "", ":memory:") or not source.is_file():
        raise SettingsError(f"no database file at {source.resolve()}: check DATABASE_URL.")
    if not target.resolve().parent.is_dir():
        raise SettingsError(f"no folder {target.resolve().parent} to write the backup into.")
    _sqlite_backup(source, target)
    out.write(
        f"backed up {source.resolve()} to {target.resolve()} ({target.stat().st_size} bytes)\n"
    )


def _sqlite_backup(source: Path, target: Path) -> None:
    """SQLite's online backup API into a file beside `target`, then renamed over it: a
    reader never sees half a backup, and a failed one leaves the old backup alone."""
    partial = target.with_name(f".{target.name}.partial")
    partial.unlink(missing_ok=True)
    reader = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    try:
        writer = sqlite3.connect(partial)
        try:
            reader.backup(writer)
        finally:
            writer.close()
    finally:
        reader.close()
    os.replace(partial, target)


def pg_dump_line(url: URL, target: Path) -> str:
    """The pg_dump command for this database, without its password (pg_dump reads that from
    PGPASSWORD or ~/.pgpass)."""
    plain = URL.create(
        "postgresql", username=url.username, host=url.host, port=url.port,
        database=url.database, query=url.query,
    ).render_as_string(hide_password=False)  # fmt: skip
    return shlex.join(["pg_dump", "--format=custom", f"--file={target}", plain])
