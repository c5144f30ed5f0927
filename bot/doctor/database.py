"""The checks that read the database (and never write it): reachable and migrated, the
route map, the scheduler's heartbeat, and what waits in the outbox."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine

from bot.doctor.checks import Check, ago, failed, passed
from bot.settings import Settings
from storage.engine import DatabaseUnavailable, parse_database_url, read_scope, require_database
from storage.migrate import current_revision, head_revision, known_revision
from storage.queries import latest_beat, oldest_pending_outbox, pending_outbox_count, route_channels

ALIVE = timedelta(minutes=5)  # a scheduler beats every minute
STUCK = timedelta(minutes=15)  # deliveries to a channel that refuses the bot retry this often


def missing_sqlite_file(url: str) -> Path | None:
    """The SQLite file a URL names, if it does not exist (connecting would create it)."""
    parsed = parse_database_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    path = Path(parsed.database)
    return None if path.exists() else path.resolve()


def database_check(settings: Settings, engine: Engine | None) -> Check:
    """Reachable, and migrated to the revision this code needs."""
    missing = missing_sqlite_file(settings.database_url)
    if missing is not None or engine is None:
        return failed("database", "missing", "behind_fix", path=missing)
    try:
        require_database(engine)
        current = current_revision(engine_or_url=engine)
    except DatabaseUnavailable as problem:
        return failed("database", "unreachable", "unreachable_fix", error=problem)
    head = head_revision()
    if current == head:
        return passed("database", revision=current)
    outcome = "behind" if current is None or known_revision(current) else "ahead"
    return failed("database", outcome, f"{outcome}_fix", current=current or "none", head=head)


def route_map(
    settings: Settings, engine: Engine | None, *, team_id: str = ""
) -> dict[str, str | None]:
    """The channel of each route (of the workspace's, installed by OAuth): as mapped in the
    database, else as the environment says (the app seeds the database from it at start)."""
    channels = dict(settings.route_channels)
    if engine is not None:
        with read_scope(engine) as session:
            channels |= route_channels(session=session, team_id=team_id)
    return channels


def scheduler_check(engine: Engine, now: datetime) -> Check:
    """Some process ran the scheduler in the last five minutes."""
    with read_scope(engine) as session:
        last = latest_beat(session=session)
        found = last and (last.kind, last.process, now - last.beat_at)
    if not found:
        return failed("scheduler", "never")
    kind, process, silence = found
    names = {"kind": kind, "process": process, "ago": ago(silence)}
    if silence < ALIVE:
        return passed("scheduler", **names)
    return failed("scheduler", "silent", **names)


def outbox_check(engine: Engine, now: datetime) -> Check:
    """How much waits for delivery, and for how long: long waits mean Slack refuses something."""
    with read_scope(engine) as session:
        count = pending_outbox_count(session=session)
        oldest = oldest_pending_outbox(session=session)
    if oldest is None:
        return passed("outbox")
    names = {"count": count, "ago": ago(now - oldest)}
    return (
        passed("outbox", "waiting", **names)
        if now - oldest < STUCK
        else failed("outbox", "stuck", **names)
    )
