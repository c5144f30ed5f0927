"""`valuescout doctor` and the admins' App Home: checks of the set-up that change nothing,
each one line with what was found and, when something is wrong, the fix."""

from __future__ import annotations

from datetime import datetime

from slack_sdk import WebClient
from sqlalchemy import Engine

from bot.doctor.checks import Check, failed, passed
from bot.doctor.database import database_check, outbox_check, route_map, scheduler_check
from bot.doctor.slack import TokenFound, channel_checks, mode_check, scope_check, token_check
from bot.doctor.webhook import webhook_check
from bot.doctor.workspace import zone_check
from bot.settings import Settings

__all__ = ["Check", "run_checks", "workspace_checks"]


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
        checks += _token_checks(token)
    database = database_check(settings, engine)
    checks.append(database)
    usable = engine if database.ok else None
    speaking = client if token is not None and token.check.ok else None
    checks += _settings_checks(settings, usable, speaking, team_id=team_id)
    if usable is not None:
        checks += [scheduler_check(usable, now), outbox_check(usable, now)]
    webhook = webhook_check(settings, usable, team_id=team_id)
    return checks if webhook is None else [*checks, webhook]


def workspace_checks(
    *, settings: Settings, engine: Engine, client: WebClient | None, team_id: str
) -> list[Check]:
    """One workspace installed by OAuth: its token and scopes, its channels (the bot in each),
    its time zone and its webhook; without a token, only that it has none."""
    if client is None:
        return [failed("workspace", "no_token", team=team_id)]
    token = token_check(client, installed=True)
    speaking = client if token.check.ok else None
    checks = [passed("workspace", team=team_id), *_token_checks(token)]
    checks += _settings_checks(settings, engine, speaking, team_id=team_id)
    webhook = webhook_check(settings, engine, team_id=team_id)
    return checks if webhook is None else [*checks, webhook]


def _token_checks(token: TokenFound) -> list[Check]:
    return [token.check, scope_check(token.scopes)] if token.check.ok else [token.check]


def _settings_checks(
    settings: Settings, engine: Engine | None, client: WebClient | None, *, team_id: str
) -> list[Check]:
    """The workspace's channels (asked of Slack when its token works) and time zone."""
    channels = route_map(settings, engine, team_id=team_id)
    checks = channel_checks(client, channels) if client is not None else []
    return checks if engine is None else [*checks, zone_check(settings, engine, team_id=team_id)]
