"""On schedule, each period's digests go out once, whatever processes run and whenever they start."""

from __future__ import annotations

import threading
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine

from bot.bootstrap import load_settings
from bot.digests.jobs import run_due_digests
from bot.digests.model import Digest, DigestKind, Message
from bot.digests.send import Outcome
from bot.domain.themes import load_network
from bot.emulator import SEED, SlackEmulator
from bot.settings import Settings
from storage.engine import create_engine_for, session_scope
from storage.queries import seed_route_channels, set_setting
from storage.queries.config import set_scout_digest_opt_out
from storage.queries.digests import digests_since
from tests.integration.digests.slack import bot_texts, client, emulator, production_client

__all__ = ["client", "emulator"]  # fixtures
BERLIN = ZoneInfo("Europe/Berlin")
NETWORK = load_network()


def at(*args: int) -> datetime:
    """A wall-clock time in Berlin."""
    return datetime(*args, tzinfo=BERLIN)


class FakeBuild:
    """Hand-made digests for the mapped routes and one scout, remembering what it was asked."""

    def __init__(self) -> None:
        self.calls: list[dict] = []

    def __call__(self, **asked) -> list[Digest]:
        self.calls.append(asked)
        week, channels = asked["week"], asked["channels"]
        digests = [
            Digest(DigestKind.ROUTE, f"route:{r}", channels[r], week, Message(f"{r} {week}"))
            for r in ("sales", "product")
        ]
        if SEED.scout not in asked["skip_scouts"]:
            digests.append(
                Digest(DigestKind.SCOUT, "scout", SEED.scout, week, Message(f"you {week}"))
            )
        return digests


@pytest.fixture
def settings(emulator: SlackEmulator, database_url: str, engine: Engine) -> Settings:
    settings = load_settings(
        _env_file=None, SLACK_BOT_TOKEN=SEED.bot_token, SLACK_API_URL=emulator.api_url,
        DATABASE_URL=database_url, VALUESCOUT_SALES_CHANNEL=SEED.sales,
        VALUESCOUT_PRODUCT_CHANNEL=SEED.product, VALUESCOUT_TIMEZONE="Europe/Berlin",
    )  # fmt: skip
    with session_scope(engine) as session:
        seed_route_channels(session=session, channels=settings.route_channels)
    return settings


@pytest.fixture
def build() -> FakeBuild:
    return FakeBuild()


@pytest.fixture
def run(engine, client, settings, build):
    """Run the digest job as the scheduler does, at a given moment."""

    def run_at(now: datetime, *, on: Engine | None = None, client_=None):
        return run_due_digests(
            engine=on or engine, client=client_ or client, settings=settings, network=NETWORK,
            now=now, build=build,
        )  # fmt: skip

    return run_at


def installed(engine: Engine, when: datetime) -> None:
    with session_scope(engine) as session:
        digests_since(session=session, now=when)


def outcomes(sent) -> list[tuple[str, Outcome]]:
    return [(digest.name, outcome) for digest, outcome in sent]


def test_a_fresh_install_owes_nothing_for_fires_before_its_first_start(run, emulator):
    assert run(at(2026, 11, 16, 10, 0)) == []  # first start, an hour after Monday's fire
    assert run(at(2026, 11, 22, 23, 59)) == []

    sent = run(at(2026, 11, 23, 9, 0))

    assert [digest.week.key for digest, _ in sent] == ["2026-W47"] * 3
    assert bot_texts(emulator, SEED.sales) == ["sales 2026-W47"]


def test_monday_at_nine_sends_last_week_once_and_nothing_more_until_next_monday(
    run, engine, emulator, build
):
    installed(engine, at(2026, 11, 10, 12, 0))
    assert run(at(2026, 11, 16, 8, 59)) == []  # last Monday's fire predates the install

    sent = run(at(2026, 11, 16, 9, 0))

    assert outcomes(sent) == [
        ("route:sales", Outcome.SENT), ("route:product", Outcome.SENT), ("scout", Outcome.SENT)
    ]  # fmt: skip
    assert bot_texts(emulator, emulator.dm_channel_for(SEED.scout)) == ["you 2026-W46"]
    for later in (at(2026, 11, 16, 9, 5), at(2026, 11, 19, 12, 0), at(2026, 11, 22, 23, 59)):
        assert run(later) == []
    assert len(build.calls) == 1  # once the week is out, the catch-up only asks the database
    assert bot_texts(emulator, SEED.sales) == ["sales 2026-W46"]


def test_down_at_nine_and_back_at_eleven_sends_once_on_start(run, engine, emulator):
    installed(engine, at(2026, 11, 2, 12, 0))
    run(at(2026, 11, 9, 9, 0))  # the week before went out on time

    assert len(run(at(2026, 11, 16, 11, 0))) == 3  # restarted at 11:00
    assert run(at(2026, 11, 16, 11, 5)) == []
    assert bot_texts(emulator, SEED.sales) == ["sales 2026-W45", "sales 2026-W46"]


def test_two_schedulers_on_one_database_send_each_digest_exactly_once(
    run, engine, database_url, emulator
):
    installed(engine, at(2026, 11, 10, 12, 0))
    engines = [engine, create_engine_for(database_url)]  # a second process's own engine
    barrier, results = threading.Barrier(4), []

    def scheduler(number: int) -> None:
        barrier.wait(timeout=10)
        client = production_client(emulator)
        results.extend(run(at(2026, 11, 16, 9, 0), on=engines[number % 2], client_=client))

    threads = [threading.Thread(target=scheduler, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    engines[1].dispose()

    sent = [name for name, outcome in outcomes(results) if outcome is Outcome.SENT]
    assert sorted(sent) == ["route:product", "route:sales", "scout"]
    assert bot_texts(emulator, SEED.sales) == ["sales 2026-W46"]
    assert bot_texts(emulator, SEED.product) == ["product 2026-W46"]
    assert bot_texts(emulator, emulator.dm_channel_for(SEED.scout)) == ["you 2026-W46"]


def test_a_failed_digest_is_sent_by_the_next_catch_up(run, engine, emulator):
    installed(engine, at(2026, 11, 10, 12, 0))
    emulator.faults.error("chat.postMessage", "not_in_channel")

    assert ("route:sales", Outcome.FAILED) in outcomes(run(at(2026, 11, 16, 9, 0)))
    assert outcomes(run(at(2026, 11, 16, 9, 5))) == [
        ("route:sales", Outcome.SENT), ("route:product", Outcome.ALREADY_SENT),
        ("scout", Outcome.ALREADY_SENT),
    ]  # fmt: skip
    assert run(at(2026, 11, 16, 9, 10)) == []
    assert bot_texts(emulator, SEED.sales) == ["sales 2026-W46"]


def test_the_admins_schedule_decides_and_opted_out_scouts_are_skipped(run, engine, build):
    installed(engine, at(2026, 11, 10, 12, 0))
    with session_scope(engine) as session:
        set_setting(session=session, key="digest_schedule", value="tue 08:00", changed_by=None)
        set_scout_digest_opt_out(
            session=session, user_id=SEED.scout, off=True, now=at(2026, 11, 12)
        )

    assert run(at(2026, 11, 16, 9, 0)) == []  # Monday: not the admin's day
    sent = run(at(2026, 11, 17, 8, 0))

    assert [digest.name for digest, _ in sent] == ["route:sales", "route:product"]
    assert build.calls[0]["skip_scouts"] == frozenset({SEED.scout})


def test_the_first_start_is_recorded_once_however_many_processes_race(engine):
    moments = [at(2026, 11, 16, 9, n) for n in range(6)]
    barrier, seen = threading.Barrier(6), []

    def start(moment: datetime) -> None:
        barrier.wait(timeout=10)
        with session_scope(engine) as session:
            seen.append(digests_since(session=session, now=moment))

    threads = [threading.Thread(target=start, args=(m,)) for m in moments]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert len(set(seen)) == 1 and seen[0] in moments
