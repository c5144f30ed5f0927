"""Fixtures for delivery: the emulator over HTTP, a worker on the test database, a submit helper."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from slack_sdk import WebClient
from sqlalchemy import Engine

from bot.dialogue.definition import Definition, load_definition
from bot.discoveries.delivery import DeliveryWorker
from bot.discoveries.service import submit_discovery
from bot.effects.dispatch import dispatch_events
from bot.emulator import SEED, ManualClock, SlackEmulator
from storage.engine import session_scope
from storage.enums import DiscoverySource

CHANNELS = {"sales": SEED.sales, "marketing": SEED.marketing, "product": SEED.product}
ANSWERS: dict[str, Any] = {
    "account": "Globex",
    "outcome": "Onboard a new store in one day instead of two weeks",
    "gap": "Every store is set up by hand from a spreadsheet",
    "fit": "partly",
    "value": {"amount": "40000", "currency": "EUR"},
}

Submit = Callable[..., int]


@pytest.fixture
def clock() -> ManualClock:
    """The worker's clock: starts now, moves only when a test says so."""
    return ManualClock()


@pytest.fixture
def emulator() -> Iterator[SlackEmulator]:
    """A fresh workspace on a free port, on the real clock (its call times are real)."""
    with SlackEmulator() as emulator:
        yield emulator


@pytest.fixture
def new_client(emulator: SlackEmulator) -> Callable[[], WebClient]:
    """Make clients without the production client's internal retries: the worker's are tested."""
    return lambda: WebClient(
        token=SEED.bot_token, base_url=emulator.api_url, timeout=5, retry_handlers=[]
    )


@pytest.fixture
def client(new_client: Callable[[], WebClient]) -> WebClient:
    return new_client()


@pytest.fixture
def definition() -> Definition:
    return load_definition()


@pytest.fixture
def make_worker(
    engine: Engine, client: WebClient, definition: Definition, clock: ManualClock
) -> Callable[..., DeliveryWorker]:
    """Build a worker on the test database; pacing is off unless a test turns it on."""

    def make(**overrides: Any) -> DeliveryWorker:
        options: dict[str, Any] = {
            "engine": engine,
            "client": client,
            "definition": definition,
            "clock": clock,
            "per_channel_interval": 0.0,
            "poll_interval": 0.05,
        }
        return DeliveryWorker(**(options | overrides))

    return make


@pytest.fixture
def worker(make_worker: Callable[..., DeliveryWorker]) -> DeliveryWorker:
    return make_worker()


@pytest.fixture
def submit(engine: Engine, clock: ManualClock) -> Submit:
    """Submit a discovery as the scout, at the clock's time; return its id."""

    def submit(
        *,
        key: str = "view:V1",
        routes: list[tuple[str, str]] | None = None,
        answers: dict[str, Any] | None = None,
        channels: dict[str, str] | None = None,
        themes: list[str] | None = None,
    ) -> int:
        with session_scope(engine) as session:
            result = submit_discovery(
                session=session,
                source_key=key,
                team_id=SEED.team_id,
                scout_user_id=SEED.scout,
                source=DiscoverySource.MODAL,
                answers=answers or ANSWERS,
                routes=routes or [("sales", "Money is at stake")],
                themes=themes or [],
                route_channels=channels or CHANNELS,
                now=datetime.fromtimestamp(clock(), UTC),
            )
        # What a worker does first: turn the submitted event into its outbox rows.
        dispatch_events(engine=engine, now=datetime.fromtimestamp(clock(), UTC), webhook=False)
        return result.discovery_id

    return submit
