"""`valuescout doctor`: run every check of the set-up, print one line each, exit 1 on any ✗.
Installed by OAuth, the deployment's checks come first, then each installed workspace's own
(its token, channels, time zone and webhook), or only the one `--team` names."""

from __future__ import annotations

from typing import TextIO

from sqlalchemy import Engine

from bot.cli.arguments import UsageError
from bot.doctor import Check, run_checks, workspace_checks
from bot.doctor.database import missing_sqlite_file
from bot.installs.oauth import team_clients
from bot.settings import Settings
from bot.slack_client import build_web_client
from storage.engine import create_engine_for, read_scope
from storage.queries.workspaces import installed_teams
from storage.types import utc_now


def run_doctor(settings: Settings, *, out: TextIO, team: str | None = None) -> int:
    """Check, changing nothing: no migration, no seeding, and no SQLite file made."""
    if team is not None and not settings.oauth_configured:
        raise UsageError("--team: this deployment serves one workspace (SLACK_BOT_TOKEN).")
    client = build_web_client(settings) if settings.bot_token else None
    missing = missing_sqlite_file(settings.database_url)
    engine = None if missing else create_engine_for(settings.database_url)
    try:
        checks = run_checks(settings=settings, engine=engine, client=client, now=utc_now())
        usable = engine if all(c.ok for c in checks if c.title == "Database") else None
        if settings.oauth_configured and usable is not None:
            checks += each_workspace(settings, usable, team)
    finally:
        if engine is not None:
            engine.dispose()
    for check in checks:
        out.write(check.line() + "\n")
    wrong = sum(not check.ok for check in checks)
    out.write(f"{wrong} of {len(checks)} checks failed.\n" if wrong else "All is well.\n")
    return 1 if wrong else 0


def each_workspace(settings: Settings, engine: Engine, team: str | None) -> list[Check]:
    """The checks of every installed workspace (or the one named), each with its own token."""
    with read_scope(engine) as session:
        teams = [team] if team else installed_teams(session=session)
    clients = team_clients(settings=settings, engine=engine, client=build_web_client(settings))
    return [
        check
        for each in teams
        for check in workspace_checks(
            settings=settings, engine=engine, client=clients.for_team(each), team_id=each
        )
    ]
