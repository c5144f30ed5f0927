"""The migrations build exactly the models' schema, both ways, on SQLite and PostgreSQL."""

import subprocess
import sys
from pathlib import Path

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from storage.engine import create_engine_for
from storage.migrate import current_revision, downgrade, head_revision, upgrade
from storage.models import metadata
from storage.search_schema import include_name

PROJECT_ROOT = Path(__file__).resolve().parents[3]


def _schema_differences(url: str) -> list:
    """Return what autogenerate would change to make the database match the models."""
    engine = create_engine_for(url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "include_name": include_name}
            )
            return compare_metadata(context, metadata)
    finally:
        engine.dispose()


def _table_names(url: str) -> set[str]:
    """Return the tables present in the database."""
    engine = create_engine_for(url)
    try:
        return set(sa.inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_migrated_schema_matches_the_models_exactly(empty_database_url):
    upgrade(engine_or_url=empty_database_url)

    assert _schema_differences(empty_database_url) == []


def test_an_empty_database_differs_from_the_models(empty_database_url):
    # Proves the comparison above can fail: without migrations every table is missing.
    assert len(_schema_differences(empty_database_url)) >= len(metadata.tables)


def test_empty_database_has_no_revision_until_upgraded(empty_database_url):
    assert current_revision(engine_or_url=empty_database_url) is None

    upgrade(engine_or_url=empty_database_url)

    assert current_revision(engine_or_url=empty_database_url) == head_revision()


def test_downgrade_to_base_removes_every_table_and_upgrade_restores_them(empty_database_url):
    upgrade(engine_or_url=empty_database_url)

    downgrade(engine_or_url=empty_database_url, revision="base")
    assert _table_names(empty_database_url) <= {"alembic_version"}

    upgrade(engine_or_url=empty_database_url)
    assert _schema_differences(empty_database_url) == []


def test_upgrading_twice_changes_nothing(empty_database_url):
    upgrade(engine_or_url=empty_database_url)
    upgrade(engine_or_url=empty_database_url)

    assert current_revision(engine_or_url=empty_database_url) == head_revision()
    assert _schema_differences(empty_database_url) == []


def test_processes_starting_together_both_migrate_safely(empty_database_url):
    # Separate processes, as in production (Alembic's context is process-global, so threads
    # would not be a fair test): the migration lock makes the later ones no-ops.
    script = "import sys; from storage.migrate import upgrade; upgrade(engine_or_url=sys.argv[1])"
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", script, empty_database_url],
            cwd=PROJECT_ROOT,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    outcomes = [(process.communicate(timeout=120)[1], process.returncode) for process in processes]

    failures = [stderr for stderr, returncode in outcomes if returncode != 0]
    assert failures == []
    assert _schema_differences(empty_database_url) == []


def test_upgrade_through_an_engine_uses_that_engine(database_url):
    engine = create_engine_for(database_url)
    try:
        upgrade(engine_or_url=engine)
        assert current_revision(engine_or_url=engine) == head_revision()
    finally:
        engine.dispose()
