"""Alembic environment: migrate through a given connection or a URL, one process at a time."""

from alembic import context
from sqlalchemy import Connection

from storage.engine import create_engine_for
from storage.models import metadata
from storage.search_schema import include_name

# Any constant will do; it only has to be the same in every Value Scout process.
_PG_MIGRATION_LOCK = 0x56414C5545  # "VALUE"


def _take_migration_lock(connection: Connection) -> None:
    """Serialise concurrent migrators; the lock ends with the migration transaction."""
    # PostgreSQL: a transaction-scoped advisory lock, so a second process waits, then sees
    # the new revision and does nothing. SQLite: BEGIN IMMEDIATE (see storage.engine) already
    # holds the write lock for the whole migration transaction.
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_PG_MIGRATION_LOCK})")


def _set_sqlite_foreign_keys(connection: Connection, enabled: bool) -> None:
    """Switch SQLite foreign keys, which only works outside a transaction."""
    # Batch migrations recreate tables (copy, drop, rename): with foreign keys on, dropping
    # a parent table would fire ON DELETE CASCADE and silently delete child rows.
    raw = connection.connection.driver_connection
    raw.execute(f"PRAGMA foreign_keys = {'ON' if enabled else 'OFF'}")


def _check_sqlite_foreign_keys(connection: Connection) -> None:
    """Fail the migration (and roll it back) if it left dangling references."""
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        raise RuntimeError(f"migration broke foreign keys: {broken[:5]}")


def _run(connection: Connection) -> None:
    """Run the migrations in one transaction holding the migration lock."""
    sqlite = connection.dialect.name == "sqlite"
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=sqlite,  # SQLite cannot ALTER most things: copy-and-move instead
        compare_type=True,
        include_name=include_name,  # the full-text index is no model's
        # SQLite supports transactional DDL once pysqlite no longer issues BEGIN itself.
        transactional_ddl=True,
        transaction_per_migration=False,
    )
    with context.begin_transaction():
        _take_migration_lock(connection)
        context.run_migrations()
        if sqlite:
            _check_sqlite_foreign_keys(connection)


def _run_with_sqlite_care(connection: Connection) -> None:
    """Run migrations, on SQLite with foreign keys off for their duration."""
    if connection.dialect.name != "sqlite" or connection.in_transaction():
        _run(connection)
        return
    _set_sqlite_foreign_keys(connection, enabled=False)
    try:
        _run(connection)
    finally:
        _set_sqlite_foreign_keys(connection, enabled=True)


def run_migrations_online() -> None:
    """Migrate through config.attributes["connection"] if given, else a fresh engine."""
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run_with_sqlite_care(connection)
        return
    engine = create_engine_for(context.config.get_main_option("sqlalchemy.url"))
    try:
        with engine.connect() as connection:
            _run_with_sqlite_care(connection)
    finally:
        engine.dispose()


def run_migrations_offline() -> None:
    """Emit the migration SQL for the configured URL instead of running it."""
    context.configure(
        url=context.config.get_main_option("sqlalchemy.url"),
        target_metadata=metadata,
        literal_binds=True,
        compare_type=True,
        include_name=include_name,  # the full-text index is no model's
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
