"""Building a week's digests only reads: on SQLite it takes no write lock, so a scout's
Submit never queues behind a build (seconds of queries at a company's scale)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine
from sqlmodel import select

from bot.bootstrap import load_settings
from bot.digests.jobs import build_week
from bot.digests.model import Week
from bot.domain.themes import load_network
from bot.emulator import SEED
from storage.models import ProcessedRequest


def test_a_write_goes_through_while_the_weeks_digests_are_built(engine: Engine, database_url):
    if engine.dialect.name != "sqlite":
        pytest.skip("the write lock is SQLite's")
    settings = load_settings(
        _env_file=None, SLACK_BOT_TOKEN=SEED.bot_token, DATABASE_URL=database_url,
        VALUESCOUT_TIMEZONE="Europe/Berlin",
    )  # fmt: skip
    written = []

    def build(*, session, **_options):
        session.exec(select(ProcessedRequest.key)).all()  # the build's transaction is open
        with engine.connect() as scout:  # a scout's step meanwhile, which may not wait
            scout.connection.driver_connection.execute("PRAGMA busy_timeout = 0")
            scout.exec_driver_sql("INSERT INTO processed_requests VALUES ('k', 'event', '')")
            scout.commit()
        written.append(True)
        return []

    build_week(
        engine=engine, settings=settings, network=load_network(), week=Week.parse("2026-W47"),
        now=datetime(2026, 11, 23, 9, tzinfo=UTC), build=build,
    )  # fmt: skip

    assert written == [True]
