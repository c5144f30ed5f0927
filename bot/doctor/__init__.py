"""`valuescout doctor` and the admins' App Home: checks of the set-up that change nothing,
each one line with what was found and, when something is wrong, the fix."""

from __future__ import annotations

from datetime import datetime

from slack_sdk import WebClient
from sqlalchemy import Engine

from bot.doctor.checks import Check
from bot.doctor.database import database_check, outbox_check, route_map, scheduler_check
from bot.doctor.slack import channel_checks, mode_check, scope_check, token_check
from bot.doctor.webhook import webhook_check
from bot.settings import Settings

__all__ = ["Check", "run_checks"]


def run_checks(
    *, settings: Settings, engine: Engine | None, client: WebClient | None, now: datetime,
    team_id: str = "",
) -> list[Check]:  # fmt: skip
    """Every check, in the order a person fixes things: Slack, database, channels, the rest.
    No client: no Slack secrets, so the Slack checks say so. No engine: the database check
    found it unusable (or the file missing) and the checks that read it are left out.
    `team_id`: a workspace installed by OAuth, checked with its own channels and webhook."""
    checks = [mode_check(settings)]
    token = token_check(client) if client is not None else None
    if token is not None:
        checks += [token.check, scope_check(token.scopes)] if token.check.ok else [token.check]
    database = database_check(settings, engine)
    checks.append(database)
    channels = route_map(settings, engine if database.ok else None, team_id=team_id)
    if token is not None and token.check.ok and client is not None:
        checks += channel_checks(client, channels)
    if database.ok and engine is not None:
        checks += [scheduler_check(engine, now), outbox_check(engine, now)]
    webhook = webhook_check(settings, engine if database.ok else None, team_id=team_id)
    return checks if webhook is None else [*checks, webhook]
