"""Single-workspace mode is unchanged by installs: a database in use at 0022 upgrades to the
install tables (0023) and the workspace scoping (0025, team_id on every row) without losing a
row, and the app goes on working on it.

The app of today cannot write at 0022 (its models carry team_id), so the database is used at
head and taken down to 0022 first: the downgrade drops the install tables and the team_id
columns, and the upgrade must fill every team_id back from the discoveries' workspace."""

import pytest
import sqlalchemy as sa
from sqlalchemy import Engine
from sqlmodel import func, select

from bot.config import DIGEST_SCHEDULE
from bot.emulator import SEED
from storage.engine import session_scope
from storage.enums import OutboxStatus
from storage.migrate import current_revision, downgrade, head_revision, upgrade
from storage.models import OutboxMessage
from storage.queries import set_setting
from tests.e2e.people import wait_until
from tests.e2e.test_card_actions import logged

BEFORE = "0022"  # the last revision without the install tables
SCOPED = {"accounts", "route_channels", "app_settings", "outbox_messages", "digest_runs"}
INSTALL_TABLES = {"slack_installations", "slack_bots", "slack_oauth_states", "slack_teams"}


@pytest.fixture
def database_url(empty_database_url: str) -> str:
    """A database of its own, where conftest's app runs in single-workspace mode."""
    upgrade(engine_or_url=empty_database_url)
    return empty_database_url


def team_columns(engine: Engine) -> set[str]:
    """The tables that have a team_id column."""
    inspector = sa.inspect(engine)
    return {
        table
        for table in inspector.get_table_names()
        if any(column["name"] == "team_id" for column in inspector.get_columns(table))
    }


def every_row(engine: Engine) -> dict[str, list[str]]:
    """Each table's rows, in a stable order (alembic's own version row aside)."""
    tables = set(sa.inspect(engine).get_table_names()) - {"alembic_version"}
    with engine.connect() as connection:
        return {
            table: sorted(
                repr(tuple(row)) for row in connection.execute(sa.text(f'SELECT * FROM "{table}"'))
            )
            for table in sorted(tables)
        }


def outbox_drained(engine: Engine) -> bool:
    with session_scope(engine) as session:
        query = select(func.count()).select_from(OutboxMessage)
        return session.scalar(query.where(OutboxMessage.status == OutboxStatus.PENDING)) == 0


def test_a_database_in_use_upgrades_without_loss_and_single_workspace_mode_keeps_working(
    driver, emulator, engine
):
    scout, _receipt, team = logged(driver, emulator)
    with session_scope(engine) as session:
        # What an admin saves in the config modal: the digest time, kept across the upgrade.
        set_setting(session=session, key=DIGEST_SCHEDULE, value="tue 08:30", changed_by=SEED.admin)
    wait_until(lambda: outbox_drained(engine), what="the cards and the receipt posted")
    before = every_row(engine)
    assert before["discoveries"] and before["discovery_routes"] and before["app_settings"]
    assert before["accounts"] and before["outbox_messages"] and before["route_channels"]
    assert all(before[table] == [] for table in INSTALL_TABLES)
    engine.dispose()
    downgrade(engine_or_url=engine, revision=BEFORE)
    engine.dispose()
    assert not INSTALL_TABLES & set(sa.inspect(engine).get_table_names())
    assert team_columns(engine) == {"discoveries", "dialogue_sessions", "domain_events"}

    upgrade(engine_or_url=engine)  # what the next start does (prepare_database)

    assert current_revision(engine_or_url=engine) == head_revision() != BEFORE
    assert team_columns(engine) >= SCOPED
    assert every_row(engine) == before  # not a row lost or changed, every team_id filled back
    team.click("Acknowledge")  # a card posted before the upgrade
    team.wait_for_card(f"<@{SEED.dana}> is on it")
    scout.say("hi", expect="Which customer")
