"""The composition root: settings → database → client → app, and the long-running processes."""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger
from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import Engine

import prompts
from bot.api.discoveries import ReadApi
from bot.app import build_app
from bot.config import workspace_admins, workspace_settings, workspace_zone
from bot.dialogue.turns import load_dialogue_rules
from bot.digests.jobs import digest_jobs
from bot.discoveries.delivery import ORDER, AdminsOf, DeliveryWorker, ZoneOf
from bot.discoveries.values import keep_values_current
from bot.domain.themes import load_network, network_of_copy
from bot.effects.webhook import WEBHOOK, webhook_target
from bot.installs.clients import TeamClients
from bot.installs.oauth import oauth_settings, team_clients
from bot.jobs import JOBS, PER_TEAM, Job
from bot.metrics.database import DatabaseCollector
from bot.metrics.exposition import MetricsPort, Scrape
from bot.metrics.meters import count_process
from bot.scheduler import ScheduledJob, build_scheduler
from bot.settings import HINTS, Settings, SettingsError, require
from bot.slack_client import build_web_client
from bot.web import WSGIApp, build_wsgi_app
from storage.engine import create_engine_for, session_scope
from storage.migrate import upgrade
from storage.queries import beat, seed_route_channels
from storage.queries.workspaces import adopt_unscoped_accounts, installed_teams
from storage.types import utc_now

log = logging.getLogger(__name__)


@dataclass
class Components:
    """Everything a process needs, built once from the settings."""

    settings: Settings
    engine: Engine
    client: WebClient
    app: App
    delivery: DeliveryWorker
    clients: TeamClients  # each workspace's client (the one client, or each install's token)


def prepare_database(settings: Settings, *, team_id: str | None = None) -> Engine:
    """Connect, upgrade the schema, bring stored values to the base currency and rates in use,
    and seed the route map from the environment; in single-workspace mode (team_id: the bot
    token's), accounts stored before the database knew its workspace become that one's."""
    engine = create_engine_for(settings.database_url)
    upgrade(engine_or_url=engine)
    keep_values_current(engine)
    with session_scope(engine) as session:
        seed_route_channels(session=session, channels=settings.route_channels)
        if team_id:
            adopt_unscoped_accounts(session=session, team_id=team_id)
    return engine


def stored_settings(engine: Engine, settings: Settings) -> Settings:
    """The settings as the (single) workspace's admins changed them in Slack: its time zone."""
    with session_scope(engine) as session:
        return workspace_settings(session=session, settings=settings, team_id="")


def check_slack(settings: Settings) -> str:
    """Ask Slack whether it accepts the bot token, so a bad one is one clear line at start;
    the token's workspace (team id)."""
    try:
        return build_web_client(settings, timeout=10).auth_test()["team_id"]
    except SlackApiError as error:
        code = error.response.get("error", "an error")
        raise SettingsError(
            f"SLACK_BOT_TOKEN was refused by Slack ({code}): {HINTS['SLACK_BOT_TOKEN']}."
        ) from None
    except OSError as error:
        raise SettingsError(
            f"SLACK_API_URL {settings.api_url} cannot be reached ({error})."
        ) from None


def compose(settings: Settings, *, engine: Engine | None = None, pacing: float = 1.0) -> Components:
    """Build the app on an (already upgraded) database; `pacing` is the seconds between two
    posts to one channel (Slack allows about one a second; tests not about pacing shorten it)."""
    engine = engine or create_engine_for(settings.database_url)
    rules = load_dialogue_rules()
    client = build_web_client(settings)
    clients = team_clients(settings=settings, engine=engine, client=client)
    delivery = DeliveryWorker(
        engine=engine, client=client, definition=rules.definition, network=rules.network,
        admins=_admins_of(settings), per_channel_interval=pacing, webhook=webhook_target(settings),
        clients=clients, team_webhooks=settings.oauth_configured, zones=zones_of(settings),
    )  # fmt: skip
    oauth = oauth_settings(settings=settings, engine=engine) if settings.oauth_configured else None
    app = build_app(
        settings=settings, client=client, engine=engine, rules=rules, delivery=delivery,
        oauth=oauth,
    )  # fmt: skip
    return Components(settings, engine, client, app, delivery, clients)


def _admins_of(settings: Settings) -> AdminsOf:
    """Each workspace's admins, as the settings modal and installs keep them."""
    return lambda session, team_id: workspace_admins(
        session=session, settings=settings, team_id=team_id
    )


def zones_of(settings: Settings) -> ZoneOf:
    """Each workspace's time zone, as its admins chose it (the dates its cards show)."""
    return lambda session, team_id: workspace_zone(
        session=session, settings=settings, team_id=team_id
    )


def scheduled_jobs(parts: Components) -> list[ScheduledJob]:
    """What runs on a timer in the process that holds the scheduler: every registered job;
    installed by OAuth, those that call Slack themselves once per installed workspace."""
    network = load_network()
    entries = list(JOBS)

    def at_now(entry: Job) -> Callable[[], object]:
        def fire() -> object:
            now = utc_now()
            if parts.settings.oauth_configured and entry.name in PER_TEAM:
                return run_per_team(parts, entry, network=network, now=now)
            return entry.run(
                engine=parts.engine, client=parts.client, settings=parts.settings,
                network=network, now=now,
            )  # fmt: skip

        return fire

    return [
        scheduled for entry in entries for scheduled in TRIGGERS[entry.name](parts, at_now(entry))
    ]


def run_per_team(parts: Components, entry: Job, *, network, now) -> dict[str, object]:
    """Run a job once per installed workspace, with its client; an uninstalled workspace has
    no token, so its job stops (its rows stay). What each workspace's run did, by team."""
    with session_scope(parts.engine) as session:
        teams = installed_teams(session=session)
    done = {}
    for team in teams:
        client = parts.clients.for_team(team)
        if client is not None:
            done[team] = run_for_team(parts, entry, team, client, network=network, now=now)
    return done


def run_for_team(parts: Components, entry: Job, team: str, client: WebClient, *, network, now):
    """Run a job for one installed workspace: its client, its prompts, its clock."""
    own = prompts.workspace_copy_of(team)  # its own words and themes, if it has a copy
    with prompts.for_workspace(team):
        return entry.run(
            engine=parts.engine, client=client, settings=parts.settings,
            network=network if own is None else network_of_copy(own), now=now, team_id=team,
        )  # fmt: skip


# When each registered job fires, given this process's parts and the job bound to them.
Triggers = Callable[[Components, Callable[[], object]], list[ScheduledJob]]


def _every(minutes: int, scheduled_id: str) -> Triggers:
    return lambda parts, run: [ScheduledJob(scheduled_id, run, IntervalTrigger(minutes=minutes))]


def _digest_triggers(parts: Components, run: Callable[[], object]) -> list[ScheduledJob]:
    return digest_jobs(engine=parts.engine, settings=parts.settings, run=run)


# Every job in bot.jobs.JOBS needs an entry (a test checks): the triggers are as they were.
TRIGGERS: dict[str, Triggers] = {
    "idle_dialogues": _every(5, "nudge_idle_dialogues"),
    "open_loops": _every(15, "nudge_open_loops"),
    "event_radar": _every(60, "compelling_event_radar"),
    "follow_ups": _every(60, "follow_up_actioned_routes"),
    "digests": _digest_triggers,
}


def start_scheduler(parts: Components, *, kind: str) -> BackgroundScheduler | None:
    """Run the scheduled jobs in this process, with a heartbeat a minute that `doctor` reads;
    none when VALUESCOUT_SCHEDULER=off (the clock process always runs them). Any number of
    processes may: each job decides in the database, so each period's work is done once."""
    if kind != "clock" and not parts.settings.scheduler:
        log.info("scheduler off (VALUESCOUT_SCHEDULER=off): a clock process must run it")
        return None
    process = f"{socket.gethostname()}:{os.getpid()}"

    def heartbeat() -> None:
        with session_scope(parts.engine) as session:
            beat(session=session, process=process, kind=kind, now=utc_now())

    heartbeat()  # at once: a process that just started is alive
    every_minute = ScheduledJob("heartbeat", heartbeat, IntervalTrigger(minutes=1))
    scheduler = build_scheduler(
        settings=parts.settings, jobs=[*scheduled_jobs(parts), every_minute]
    )
    scheduler.start()
    return scheduler


def scrape(engine: Engine, *, oauth: bool = False) -> Scrape:
    """What /metrics shows: the meters, and the outbox (every kind, waiting or not) and the
    dialogues as the database says (installed by OAuth, an uninstalled workspace's rows apart)."""
    kinds = (*ORDER, WEBHOOK)
    collector = DatabaseCollector(engine=engine, kinds=kinds, clock=utc_now, oauth=oauth)
    return Scrape(database=collector)


def web_app(parts: Components) -> WSGIApp:
    """The HTTP surface of these parts: Slack's path, health, /metrics and the read API."""
    settings = parts.settings
    secret = settings.signing_secret.get_secret_value()  # type: ignore[union-attr]
    token = settings.api_token.get_secret_value() if settings.api_token else None
    metrics = settings.metrics_token.get_secret_value() if settings.metrics_token else None
    return build_wsgi_app(
        bolt_app=parts.app, engine=parts.engine, signing_secret=secret,
        scrape=scrape(parts.engine, oauth=parts.settings.oauth_configured), metrics_token=metrics,
        api=ReadApi(engine=parts.engine, token=token, settings=settings),
    )  # fmt: skip


def metrics_port(parts: Components) -> MetricsPort | None:
    """/metrics on VALUESCOUT_METRICS_PORT in a process without the web app (off by default)."""
    port = parts.settings.metrics_port
    if port is None:
        return None
    count_process()
    try:
        served = MetricsPort(scrape(parts.engine, oauth=parts.settings.oauth_configured), port=port)
    except OSError as error:
        raise SettingsError(f"VALUESCOUT_METRICS_PORT {port} cannot be used ({error}).") from None
    log.info("metrics on port %s", served.port)
    return served


def wsgi_app(settings: Settings) -> WSGIApp:
    """The HTTP app for one web worker process, with its own delivery thread and scheduler."""
    parts = compose(settings)
    parts.delivery.start()
    start_scheduler(parts, kind="web")  # daemon threads: they end with the worker
    count_process()
    return web_app(parts)


def run_web(settings: Settings, *, host: str, port: int, workers: int, threads: int) -> None:
    """HTTP mode under Gunicorn: the schema is upgraded once, then each worker builds its app.
    Installed by OAuth (SLACK_CLIENT_ID), each workspace's token is in the database."""
    if not settings.oauth_configured:
        require(settings, "SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", purpose="valuescout web")
    team = None if settings.oauth_configured else check_slack(settings)
    load_dialogue_rules()  # a mistake in prompts/ stops the start here, not in every worker
    prepare_database(settings, team_id=team).dispose()  # no connections may cross the fork
    from bot.cli.gunicorn import serve

    serve(lambda: wsgi_app(settings), host=host, port=port, workers=workers, threads=threads)


def run_worker(settings: Settings) -> None:
    """Socket Mode: one process holds the connection and the scheduler."""
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    require(settings, "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", purpose="valuescout worker")
    stop = stop_signal()
    team = check_slack(settings)
    parts = compose(settings, engine=prepare_database(settings, team_id=team))
    handler = SocketModeHandler(parts.app, settings.app_token.get_secret_value())  # type: ignore[union-attr]
    try:
        handler.connect()
    except SlackApiError as error:
        code = error.response.get("error", "an error")
        raise SettingsError(
            f"SLACK_APP_TOKEN was refused by Slack ({code}): {HINTS['SLACK_APP_TOKEN']}."
        ) from None
    scheduler = start_scheduler(parts, kind="worker")
    parts.delivery.start()
    metrics = metrics_port(parts)
    log.info("worker connected in Socket Mode; digests at %s %s", settings.schedule, settings.zone)
    wait_for(stop)
    if scheduler is not None:
        scheduler.shutdown()
    handler.close()
    parts.delivery.stop(timeout=10)
    if metrics is not None:
        metrics.stop()


def run_clock(settings: Settings) -> None:
    """The scheduler process: runs scheduled jobs until SIGTERM, then stops cleanly."""
    if not settings.oauth_configured:  # installed by OAuth, each workspace's token is stored
        require(settings, "SLACK_BOT_TOKEN", purpose="valuescout clock")
    stop = stop_signal()
    team = None if settings.oauth_configured else check_slack(settings)
    parts = compose(settings, engine=prepare_database(settings, team_id=team))
    scheduler = start_scheduler(parts, kind="clock")
    metrics = metrics_port(parts)
    log.info("clock started; time zone %s, digests at %s", settings.zone, settings.schedule)
    wait_for(stop)
    scheduler.shutdown(wait=True)  # type: ignore[union-attr]  # let a running job finish
    if metrics is not None:
        metrics.stop()
    parts.engine.dispose()
    log.info("clock stopped")


def stop_signal() -> threading.Event:
    """An event set by SIGTERM or SIGINT (Ctrl-C); install it before announcing readiness."""
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    return stop


def wait_for(stop: threading.Event) -> None:
    """Block until the stop signal; short waits keep the main thread responsive."""
    while not stop.wait(timeout=1.0):
        pass
