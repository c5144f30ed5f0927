"""Single-workspace mode is unchanged by installs: a database in use at 0022 upgrades to the
install tables (0023) and on to the head without losing a row, and the app goes on working on it.

The app at the head cannot run on a 0022 schema (0024 added columns it writes), so it makes
its rows at the head and the database is taken back to 0022 (dropping only what came after)
before the upgrade a deployment's next start makes."""

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
INSTALL_TABLES = {"slack_installations", "slack_bots", "slack_oauth_states", "slack_teams"}


@pytest.fixture
def database_url(empty_database_url: str) -> str:
    """A database of its own, where conftest's app runs in single-workspace mode."""
    upgrade(engine_or_url=empty_database_url)
    return empty_database_url


def table_columns(engine: Engine) -> dict[str, list[str]]:
    """Each table's columns (alembic's own version table aside)."""
    inspector = sa.inspect(engine)
    tables = set(inspector.get_table_names()) - {"alembic_version"}
    return {t: [c["name"] for c in inspector.get_columns(t)] for t in sorted(tables)}


def every_row(engine: Engine, columns: dict[str, list[str]]) -> dict[str, list[str]]:
    """Each table's rows in these columns, in a stable order."""
    with engine.connect() as connection:
        return {
            table: sorted(
                repr(tuple(row))
                for row in connection.execute(sa.text(f'SELECT {_quoted(names)} FROM "{table}"'))
            )
            for table, names in columns.items()
        }


def _quoted(names: list[str]) -> str:
    return ", ".join(f'"{name}"' for name in names)


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
    downgrade(engine_or_url=engine, revision=BEFORE)
    columns = table_columns(engine)
    before = every_row(engine, columns)
    assert before["discoveries"] and before["discovery_routes"] and before["app_settings"]

    upgrade(engine_or_url=engine)  # what the next start does (prepare_database)

    assert current_revision(engine_or_url=engine) == head_revision() != BEFORE
    now = table_columns(engine)  # the tables made since in full, the others as they were
    after = every_row(engine, {table: columns.get(table, now[table]) for table in now})
    assert set(after) - set(before) == INSTALL_TABLES
    assert {table: after[table] for table in before} == before  # not a row lost or changed
    assert all(after[table] == [] for table in INSTALL_TABLES)
    team.click("Acknowledge")  # a card posted before the upgrade
    team.wait_for_card(f"<@{SEED.dana}> is on it")
    scout.say("hi", expect="Which customer")
