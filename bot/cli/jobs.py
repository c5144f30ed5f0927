"""`valuescout jobs run [--at TIME]`: every scheduled job due at a moment, run once, now."""

from __future__ import annotations

import argparse
import functools
import time
from datetime import UTC, datetime
from typing import TextIO
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from bot.cli.arguments import UsageError
from bot.cli.runtime import check_slack, compose, prepare_database, run_for_team, zones_of
from bot.config import workspace_zone
from bot.dialogue.turns import load_dialogue_rules
from bot.digests.send import Outcome
from bot.discoveries.delivery import PACING_INTERVAL, DeliveryWorker
from bot.domain.themes import load_network
from bot.effects.webhook import webhook_target
from bot.jobs import JOBS, run_due_jobs, summaries
from bot.settings import Settings, require
from bot.slack_client import build_web_client
from storage.engine import session_scope
from storage.queries import pending_outbox_count
from storage.types import utc_now

# Rounds of the delivery drain: a channel's second post waits its pacing slot (1.1 s).
DRAIN_ROUNDS = 10


def run_jobs(args: argparse.Namespace, settings: Settings, *, out: TextIO) -> int:
    """Run the jobs due at --at (default now), then deliver what is queued; one line each. With
    --team (installed by OAuth): that workspace's jobs, with its token, on its clock."""
    at = parse_at(args.at)
    team = getattr(args, "team", None)
    if team is not None and not settings.oauth_configured:
        raise UsageError("--team: this deployment serves one workspace (SLACK_BOT_TOKEN).")
    if team is None:
        require(settings, "SLACK_BOT_TOKEN", purpose="valuescout jobs run (or --team)")
        check_slack(settings)
    engine = prepare_database(settings)
    try:
        with session_scope(engine) as session:
            zone = workspace_zone(session=session, settings=settings, team_id=team or "")
        now = in_zone(at, zone)
        run = _run_single if team is None else functools.partial(_run_team, team=team)
        results, (posted, queued) = run(settings=settings, engine=engine, now=now)
    finally:
        engine.dispose()
    out.write(f"jobs due at {now.astimezone(zone).isoformat()} ({zone})\n")
    out.write("".join(f"{line}\n" for line in summaries(results)))
    out.write(f"delivery: {posted} posted, {queued} still queued\n")
    failed = [o for name, result in results if name == "digests" for _d, o in result]
    return 1 if Outcome.FAILED in failed else 0


def _run_single(*, settings: Settings, engine: Engine, now: datetime) -> tuple[list, tuple]:
    """Every job due at `now` with the one bot token, then the delivery drain."""
    rules = load_dialogue_rules()
    client = build_web_client(settings)
    results = run_due_jobs(
        engine=engine, client=client, settings=settings, network=rules.network, now=now
    )
    delivery = DeliveryWorker(
        engine=engine, client=client, definition=rules.definition, network=rules.network,
        webhook=webhook_target(settings), zones=zones_of(settings),
    )  # fmt: skip
    return results, drain(delivery, engine)


def _run_team(*, settings: Settings, engine: Engine, now: datetime, team: str) -> tuple:
    """One installed workspace's jobs due at `now`, with its token, then the delivery drain."""
    parts = compose(settings, engine=engine)
    client = parts.clients.for_team(team)
    if client is None:
        raise UsageError(f"--team: {team} has not installed the app (or uninstalled it).")
    network = load_network()
    results = [
        (entry.name, run_for_team(parts, entry, team, client, network=network, now=now))
        for entry in JOBS
    ]
    return results, drain(parts.delivery, engine)


def parse_at(text: str | None) -> datetime | None:
    """--at as given (None: now), checked before anything starts."""
    if text is None:
        return None
    try:
        return datetime.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(
            f"--at {text!r} is not an ISO 8601 date and time"
            " (e.g. 2026-11-09T09:30, or 2026-11-09T09:30+01:00 with an offset)."
        ) from None


def in_zone(at: datetime | None, zone: ZoneInfo) -> datetime:
    """--at as an aware UTC time: without an offset it is read in the workspace's zone."""
    if at is None:
        return utc_now()
    return (at if at.tzinfo else at.replace(tzinfo=zone)).astimezone(UTC)


def drain(delivery: DeliveryWorker, engine: Engine) -> tuple[int, int]:
    """Deliver the outbox as the worker would, paced; (posted, still queued) when it stops."""
    posted = 0
    for attempt in range(DRAIN_ROUNDS):
        sent = delivery.drain_once()
        posted += sent
        with session_scope(engine) as session:
            queued = pending_outbox_count(session=session)
        if not queued or (not sent and attempt):  # nothing left, or nothing more due soon
            break
        time.sleep(PACING_INTERVAL)  # a channel that just had a post takes the next then
    return posted, queued
