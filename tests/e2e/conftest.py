"""End-to-end fixtures: the real app on loopback HTTP, the Slack emulator, a signed driver."""

import logging
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import Engine

from bot.app import after_ack_work
from bot.bootstrap import load_settings
from bot.cli import main
from bot.cli.runtime import Components, compose
from bot.emulator import SEED, SlackDriver, SlackEmulator
from bot.settings import Settings
from bot.web import LocalServer, build_wsgi_app
from storage.engine import session_scope
from storage.queries import seed_route_channels

SIGNING_SECRET = "e2e-signing-secret"
CLEARED = ("SLACK_", "VALUESCOUT_", "DATABASE_URL", "LOG_LEVEL")
CLI_CHANNELS = {"sales": SEED.sales, "product": SEED.product, "coach": SEED.coaches}
# Seconds between two posts to one channel: short, so tests wait little, but not zero, so a
# reply right after a card still goes through the pacing (postpone, then wake when due).
# tests/integration/delivery/test_delivery_pacing.py proves the real one-second pacing.
PACING = 0.05


def e2e_settings(emulator: SlackEmulator, database_url: str, **overrides: str) -> Settings:
    """Settings for the app under test, pointed at the emulator; no .env file is read."""
    values = {
        "SLACK_BOT_TOKEN": SEED.bot_token,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_APP_TOKEN": "",
        "SLACK_API_URL": emulator.api_url,
        "DATABASE_URL": database_url,
        "VALUESCOUT_SALES_CHANNEL": SEED.sales,
        "VALUESCOUT_MARKETING_CHANNEL": SEED.marketing,
        "VALUESCOUT_PRODUCT_CHANNEL": SEED.product,
        "VALUESCOUT_COACH_CHANNEL": SEED.coaches,
        "VALUESCOUT_ADMINS": SEED.admin,
        "VALUESCOUT_TIMEZONE": "Europe/Berlin",
    }
    return load_settings(_env_file=None, **(values | overrides))


@pytest.fixture
def emulator() -> Iterator[SlackEmulator]:
    """A fresh Slack workspace on a free loopback port."""
    with SlackEmulator() as emulator:
        yield emulator


@pytest.fixture
def settings(emulator: SlackEmulator, database_url: str) -> Settings:
    return e2e_settings(emulator, database_url)


@pytest.fixture
def components(settings: Settings, engine: Engine) -> Iterator[Components]:
    """The app as the processes build it, on this test's database, delivering as it runs."""
    with seeded(engine, settings):
        parts = compose(settings, engine=engine, pacing=PACING)
    parts.delivery.start()
    yield parts
    # Work after the last ack finishes while the emulator still answers: otherwise it logs
    # a refused connection into whichever test runs next in this worker.
    after_ack_work(parts.app).wait_idle(10)
    parts.delivery.stop(timeout=5)


@contextmanager
def seeded(engine: Engine, settings: Settings) -> Iterator[None]:
    """The route map from the settings, as `prepare_database` seeds it at start."""
    with session_scope(engine) as session:
        seed_route_channels(session=session, channels=settings.route_channels)
    yield


@pytest.fixture
def app_server(components: Components) -> Iterator[LocalServer]:
    """The app's HTTP surface, served on a free loopback port."""
    app = build_wsgi_app(
        bolt_app=components.app, engine=components.engine, signing_secret=SIGNING_SECRET
    )
    server = LocalServer(app).start()
    yield server
    server.stop()


@pytest.fixture
def driver(app_server: LocalServer, emulator: SlackEmulator) -> SlackDriver:
    """Sends requests to the app signed as Slack signs them."""
    emulator.reset_calls()  # what the app did at start-up (auth.test) is not under test
    return SlackDriver(app_server.url, SIGNING_SECRET, emulator=emulator)


@pytest.fixture
def valuescout(
    database_url, engine, emulator: SlackEmulator, monkeypatch, tmp_path
) -> Iterator[Callable[..., int]]:
    """Run `valuescout …` in this process, on the test database and the emulator (Berlin)."""
    for name in [name for name in os.environ if name.startswith(CLEARED)]:
        monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)  # no developer's .env file; charts land here
    environment = {
        "DATABASE_URL": database_url, "VALUESCOUT_TIMEZONE": "Europe/Berlin",
        "SLACK_BOT_TOKEN": SEED.bot_token, "SLACK_API_URL": emulator.api_url,
        "VALUESCOUT_SALES_CHANNEL": SEED.sales, "VALUESCOUT_PRODUCT_CHANNEL": SEED.product,
        "VALUESCOUT_COACH_CHANNEL": SEED.coaches,
    }  # fmt: skip
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    with session_scope(engine) as session:
        seed_route_channels(session=session, channels=CLI_CHANNELS)
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield lambda *args: main(list(args))
    root.handlers[:], root.level = handlers, level  # main() configures logging for a process
