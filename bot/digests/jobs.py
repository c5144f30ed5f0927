"""The digest jobs: when a period is due, build its digests and send each one not sent yet."""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger
from slack_sdk import WebClient
from sqlalchemy import Engine

from bot.config import digest_schedule
from bot.digests.build import COACH, build_digests
from bot.digests.figures import trend_edges
from bot.digests.model import Digest, Week
from bot.digests.schedule import due_period, schedule_trigger
from bot.digests.send import Outcome, send_digest
from bot.discoveries.nudges import nudge_days
from bot.domain.themes import ValueNetwork
from bot.metrics.meters import count_digest_run
from bot.scheduler import ScheduledJob
from bot.settings import Settings
from storage.engine import read_scope, session_scope
from storage.queries import route_channels
from storage.queries.config import scout_digest_opt_outs
from storage.queries.digest_kept import kept_weeks
from storage.queries.digest_loops import keep_trend_week
from storage.queries.digests import digest_period_done, digests_since, mark_digest_period_done

log = logging.getLogger(__name__)
# How soon a missed fire, an admin's new schedule (saved by any process) or a failed
# digest is picked up again.
CATCH_UP_MINUTES = 5
DONE = (Outcome.SENT, Outcome.ALREADY_SENT)
Build = Callable[..., list[Digest]]  # build_digests' keyword arguments
Sent = list[tuple[Digest, Outcome]]


def run_due_digests(
    *,
    engine: Engine,
    client: WebClient,
    settings: Settings,
    network: ValueNetwork,
    now: datetime,
    build: Build = build_digests,
    team_id: str | None = None,
) -> Sent:
    """Send the due period's digests that are not sent yet; return what became of each. With a
    team: that workspace's, on its schedule, counted and claimed as its own (None: the single
    workspace's, over every discovery)."""
    scope = team_id or ""
    with session_scope(engine) as session:
        since = digests_since(session=session, now=now, team_id=scope)
        schedule = digest_schedule(session=session, settings=settings, team_id=scope)
        due = due_period(schedule=schedule, zone=settings.zone, now=now, since=since)
        if due is None or digest_period_done(session=session, period=due.week.key, team_id=scope):
            return []
    digests = build_week(
        engine=engine, settings=settings, network=network, week=due.week, now=now, build=build,
        team_id=team_id,
    )  # fmt: skip
    sent = send_digests(engine=engine, client=client, digests=digests, now=now, team_id=scope)
    if all(outcome in DONE for _digest, outcome in sent):
        with session_scope(engine) as session:
            mark_digest_period_done(session=session, period=due.week.key, now=now, team_id=scope)
    return sent


def send_digests(
    *, engine: Engine, client: WebClient, digests: list[Digest], now: datetime, force: bool = False,
    team_id: str = "",
) -> Sent:  # fmt: skip
    """Send each digest (exactly once per channel, period and workspace, unless forced), in order."""
    options = {"engine": engine, "client": client, "now": now, "force": force, "team_id": team_id}
    sent = [(digest, send_digest(digest=digest, **options)) for digest in digests]
    _log_summary(sent)
    for digest, outcome in sent:
        count_digest_run(str(digest.kind), outcome.name.lower())
    return sent


def build_week(
    *,
    engine: Engine,
    settings: Settings,
    network: ValueNetwork,
    week: Week,
    now: datetime,
    only: str | None = None,
    build: Build = build_digests,
    team_id: str | None = None,
) -> list[Digest]:
    """A week's digests for the mapped channels and the scouts who did not opt out, of one
    workspace (None: every workspace's discoveries, as a single-workspace deployment has).

    Built in a read-only transaction: on SQLite a write transaction would hold the write
    lock for the whole build (seconds at 1,000,000 discoveries), and every scout's step
    would queue behind it."""
    scope = team_id or ""  # the workspace's channels and settings, else the deployment's
    if only in (None, COACH):
        keep_trend(engine=engine, team_id=team_id, week=week, zone=settings.zone, now=now)
    with read_scope(engine) as session:
        return build(
            session=session, team_id=team_id, week=week, zone=settings.zone, now=now,
            channels=route_channels(session=session, team_id=scope), network=network,
            open_after_working_days=nudge_days(session, scope),
            skip_scouts=scout_digest_opt_outs(session=session), only=only,
            calendar=settings.calendar,
        )  # fmt: skip


def keep_trend(
    *, engine: Engine, team_id: str | None, week: Week, zone: ZoneInfo, now: datetime
) -> int:
    """Count and keep the coaches' trend weeks that ended and are not kept (the first build
    after one of their discoveries changed), each in a short write transaction of its own;
    the build then reads them instead of counting. Return how many it kept."""
    edges = trend_edges(week, zone)
    with read_scope(engine) as session:
        kept = kept_weeks(session=session, team_id=team_id, edges=edges, seconds=False)
    missing = [span for span in itertools.pairwise(edges) if span not in kept and span[1] <= now]
    for start, end in missing:
        with session_scope(engine) as session:
            keep_trend_week(session=session, team_id=team_id, start=start, end=end, now=now)
    return len(missing)


def digest_jobs(
    *, engine: Engine, settings: Settings, run: Callable[[], object]
) -> list[ScheduledJob]:
    """`run` at the scheduled fire, as a catch-up every few minutes, and once on start."""
    busy = threading.Lock()  # the three jobs share one run at a time in this process

    def once() -> None:
        if not busy.acquire(blocking=False):
            return
        try:
            run()
        finally:
            busy.release()

    with session_scope(engine) as session:
        schedule = digest_schedule(session=session, settings=settings)
    return [
        ScheduledJob("digests", once, schedule_trigger(schedule, settings.zone)),
        ScheduledJob("digests_catch_up", once, IntervalTrigger(minutes=CATCH_UP_MINUTES)),
        ScheduledJob("digests_on_start", once, DateTrigger()),  # down at the fire: sent now
    ]


def _log_summary(sent: Sent) -> None:
    """One line per batch sent: how many of each outcome, by week."""
    for week in sorted({digest.week for digest, _outcome in sent}):
        outcomes = [outcome for digest, outcome in sent if digest.week == week]
        counts = {outcome: outcomes.count(outcome) for outcome in Outcome}
        summary = ", ".join(f"{n} {outcome}" for outcome, n in counts.items() if n)
        log.info("digests for %s: %s", week, summary)
