"""Run the Alembic migrations shipped inside the package, with no alembic.ini needed."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine

from storage.engine import DatabaseUnavailable, create_engine_for, normalise_database_url

# Next to this module, so a wheel install finds it as well as a checkout does.
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(url: str | None = None) -> Config:
    """Return an Alembic Config pointing at the packaged migrations (and at url, if given)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if url is not None:
        # ConfigParser interpolates %: escape it, URL-encoded passwords contain it.
        config.set_main_option("sqlalchemy.url", normalise_database_url(url).replace("%", "%%"))
    return config


@contextmanager
def _connection(engine_or_url: Engine | str) -> Iterator[Connection]:
    """Connect to an engine, or to a URL with a temporary engine that is disposed after."""
    engine = create_engine_for(engine_or_url) if isinstance(engine_or_url, str) else engine_or_url
    try:
        try:
            connection = engine.connect()
        except Exception as exc:
            raise DatabaseUnavailable.for_engine(engine, exc) from exc
        with connection:
            yield connection
    finally:
        if isinstance(engine_or_url, str):
            engine.dispose()


def upgrade(*, engine_or_url: Engine | str, revision: str = "head") -> None:
    """Migrate the database up to revision; safe to run from several processes at once."""
    with _connection(engine_or_url) as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def downgrade(*, engine_or_url: Engine | str, revision: str) -> None:
    """Migrate the database down to revision ("base" removes every table)."""
    with _connection(engine_or_url) as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def current_revision(*, engine_or_url: Engine | str) -> str | None:
    """Return the database's current revision, or None if it was never migrated."""
    with _connection(engine_or_url) as connection:
        revision = MigrationContext.configure(connection).get_current_revision()
        connection.rollback()
        return revision


def head_revision() -> str | None:
    """Return the newest revision shipped with this code."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def known_revision(revision: str) -> bool:
    """Tell whether this code ships `revision` (a newer version's is unknown to it)."""
    try:
        return ScriptDirectory.from_config(alembic_config()).get_revision(revision) is not None
    except Exception:  # alembic raises its own errors for a revision it cannot resolve
        return False
