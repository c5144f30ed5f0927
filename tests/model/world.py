"""The product as people meet it: the app on loopback HTTP, the emulator, a database, a log.

One World per walk. Requests go in signed, as Slack sends them; after each one the world
settles (the work after the ack finished, the outbox delivered) before anyone looks.
"""

from __future__ import annotations

import functools
import logging
import shutil
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta, tzinfo
from pathlib import Path

from slack_bolt import App
from slack_sdk import WebClient
from sqlalchemy import Engine
from sqlmodel import select

from bot.app import after_ack_work, build_app
from bot.dialogue.turns import DialogueRules, load_dialogue_rules
from bot.digests.jobs import build_week, send_digests
from bot.digests.model import Week
from bot.discoveries.delivery import DeliveryWorker
from bot.emulator import SEED, SlackDriver, SlackEmulator
from bot.jobs import run_due_jobs
from bot.settings import Settings
from bot.slack_client import build_web_client
from bot.web import LocalServer, build_wsgi_app
from storage.engine import create_engine_for, session_scope
from storage.models import Account
from storage.queries import seed_route_channels
from storage.types import utc_now
from tests.e2e.conftest import SIGNING_SECRET, e2e_settings

SETTLE_SECONDS = 20.0  # far above anything the app needs; reaching it is a failure
# Where every walk's world time starts, in the workspace's zone: Tuesday 10:17 (off the hour
# and off the digests' Monday 09:00), whatever the wall clock says when the walk runs.
START_WEEKDAY, START_TIME = 1, time(10, 17)


class LogRecorder(logging.Handler):
    """Keeps every record at WARNING and above, and every record that carries a traceback."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.WARNING or record.exc_info:
            self.records.append(record)

    def failures(self) -> list[str]:
        """ERROR lines, tracebacks, and the app's own warnings (each a person not told)."""
        bad = [r for r in self.records if r.levelno >= logging.ERROR or r.exc_info]
        bad += [r for r in self.records if r.levelno == logging.WARNING and _ours(r)]
        return [f"{r.name}: {r.getMessage()}" for r in bad]


class Screens:
    """What people can see right now, read from the emulator once per step (it copies)."""

    def __init__(self, emulator: SlackEmulator) -> None:
        self._emulator = emulator
        self._messages: dict[str, list[dict]] = {}
        self._ephemerals: dict[str, list[dict]] = {}

    def messages(self, place: str) -> list[dict]:
        """A channel's or DM's messages, oldest first."""
        if place not in self._messages:
            self._messages[place] = self._emulator.messages(place)
        return self._messages[place]

    def ephemerals(self, place: str) -> list[dict]:
        """The ephemeral messages shown in a place."""
        if place not in self._ephemerals:
            self._ephemerals[place] = self._emulator.ephemerals(place)
        return self._ephemerals[place]

    def message(self, place: str, ts: str) -> dict:
        """One message by its ts (AssertionError when it is gone)."""
        found = [m for m in self.messages(place) if m.get("ts") == ts]
        assert found, f"message {ts} in {place} is gone"
        return found[0]

    def dm_channel_for(self, person: str) -> str:
        """The person's DM with the bot."""
        return self._emulator.dm_channel_for(person)

    @property
    def response_url_posts(self):
        """Everything posted to response URLs."""
        return self._emulator.response_url_posts


def _ours(record: logging.LogRecord) -> bool:
    return record.name.startswith(("bot.", "storage.")) and not record.name.startswith(
        "bot.emulator"
    )


@dataclass
class Process:
    """One app process: its engine, delivery (drained by the world) and HTTP server."""

    engine: Engine
    client: WebClient
    delivery: DeliveryWorker
    server: LocalServer
    app: App

    def stop(self) -> None:
        """Stop like a killed process: no draining, connections closed."""
        self.server.stop()
        self.engine.dispose()


def crm_accounts() -> list[Account]:
    """Dana owns the accounts scouts name most; one has no owner (the sales channel hears)."""
    return [
        Account(team_id=SEED.team_id, name="Globex", owner_user_id=SEED.dana),
        Account(team_id=SEED.team_id, name="Initech Ltd", owner_user_id=SEED.dana, crm_id="CRM-2"),
        Account(team_id=SEED.team_id, name="Umbrella"),
    ]


@dataclass
class World:
    """The emulator, the database, the running app, and the time people have let pass."""

    emulator: SlackEmulator
    settings: Settings
    rules: DialogueRules
    process: Process | None = None
    driver: SlackDriver | None = None
    skipped: timedelta = timedelta(0)
    log: LogRecorder = field(default_factory=LogRecorder)
    _screens: Screens | None = None

    @property
    def screens(self) -> Screens:
        """What people see now (read again after anything happens)."""
        if self._screens is None:
            self._screens = Screens(self.emulator)
        return self._screens

    @classmethod
    def start(cls, *, template: str, directory: Path, rules: DialogueRules) -> World:
        """A fresh workspace and database (a copy of the migrated template), and the app."""
        path = directory / "valuescout.db"
        shutil.copyfile(template, path)
        emulator = SlackEmulator().start()
        world = cls(emulator, e2e_settings(emulator, f"sqlite:///{path}"), rules)
        logging.getLogger().addHandler(world.log)
        world.skipped = _ahead_to_start(world.settings.zone)
        world.boot()
        world.pass_time(timedelta(0))  # the scheduler runs its jobs once as it starts
        return world

    def boot(self) -> None:
        """Start an app process on the world's database, as `valuescout web` builds one."""
        engine = create_engine_for(self.settings.database_url)
        with session_scope(engine) as session:
            seed_route_channels(session=session, channels=self.settings.route_channels)
            if session.exec(select(Account)).first() is None:  # the CRM's, as an import left them
                session.add_all(crm_accounts())
        client = build_web_client(self.settings)
        delivery = DeliveryWorker(
            engine=engine, client=client, definition=self.rules.definition,
            network=self.rules.network, per_channel_interval=0.0,
        )  # fmt: skip
        app = build_app(
            settings=self.settings, client=client, engine=engine, rules=self.rules,
            delivery=delivery,
        )  # fmt: skip
        wsgi = build_wsgi_app(bolt_app=app, engine=engine, signing_secret=SIGNING_SECRET)
        server = LocalServer(wsgi).start()
        self.process = Process(engine, client, delivery, server, app)
        self.driver = SlackDriver(server.url, SIGNING_SECRET, emulator=self.emulator)

    def restart(self) -> None:
        """Kill the process mid-whatever and start a new one on the same database."""
        self.settle()
        self.process.stop()
        self.boot()

    def stop(self) -> None:
        """Tear everything down."""
        logging.getLogger().removeHandler(self.log)
        if self.process is not None:
            self.process.stop()
        self.emulator.stop()

    @property
    def engine(self) -> Engine:
        """The running process's engine."""
        return self.process.engine

    def now(self) -> datetime:
        """The time in the world: the clock plus whatever people let pass."""
        return utc_now() + self.skipped

    def settle(self) -> None:
        """Wait for the work after each ack, then deliver everything due, until all is quiet."""
        self._screens = None
        work = after_ack_work(self.process.app)
        for _round in range(20):
            if not work.wait_idle(SETTLE_SECONDS):
                raise AssertionError(f"work after the ack still running after {SETTLE_SECONDS} s")
            if self.process.delivery.drain_once() == 0 and work.wait_idle(0):
                self._screens = None
                return
        raise AssertionError("delivery never ran dry")

    def pass_time(self, delta: timedelta) -> None:
        """Let time pass and run every scheduled job as the scheduler would at that moment."""
        self.skipped += delta
        run_due_jobs(
            engine=self.engine, client=self.process.client, settings=self.settings,
            network=self.rules.network, now=self.now(),
        )  # fmt: skip

    def send_this_weeks_digest(self, only: str) -> None:
        """One digest of the week going on, sent now, as the demo's /digest sends it. The week
        of the real clock: the app stores real times, and the time people let pass may already
        be weeks past them, so a scheduled digest would not reliably cover what was just logged."""
        now = utc_now()
        digests = build_week(
            engine=self.engine, settings=self.settings, network=self.rules.network,
            week=Week.of(now, self.settings.zone), now=now, only=only,
        )  # fmt: skip
        send_digests(engine=self.engine, client=self.process.client, digests=digests, now=now,
                     force=True)  # fmt: skip
        self.settle()


def _ahead_to_start(zone: tzinfo) -> timedelta:
    """How far the world's time runs ahead of the wall clock so that it starts at the next
    START_WEEKDAY, START_TIME: what falls due at each step (digests, nudges and reminders on
    working days and hours) is then the same in every run. A walk started at another hour
    of the week took another path (walk 4, step 93, in runs twenty minutes apart)."""
    now = utc_now().astimezone(zone)
    day = now.date() + timedelta(days=(START_WEEKDAY - now.weekday()) % 7)
    start = datetime.combine(day, START_TIME, zone)
    return start - now if start > now else start + timedelta(days=7) - now


@functools.cache
def load_rules_once() -> DialogueRules:
    """prompts/ parsed once per test process."""
    return load_dialogue_rules()
