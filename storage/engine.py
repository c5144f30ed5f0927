"""Engine factory (SQLite or PostgreSQL), session scope and database health checks."""

import random
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.pool import StaticPool
from sqlmodel import Session

SQLITE_BUSY_TIMEOUT_MS = 5000
# A write that still finds the lock taken after busy_timeout tries BEGIN again this many
# times (with a short random pause): nothing has run yet, so retrying BEGIN retries the
# whole transaction. Writes are short, so in practice one wait is enough.
SQLITE_BEGIN_ATTEMPTS = 3
# Execution option that marks a connection's transactions as reads (see read_scope).
READ_ONLY = "valuescout_read_only"


class DatabaseUnavailable(RuntimeError):
    """The database cannot be reached or used; the message never contains a password."""

    @classmethod
    def for_engine(cls, engine: Engine, cause: BaseException) -> "DatabaseUnavailable":
        """Describe why the engine's database is unusable, with the password hidden."""
        return cls(_describe(engine.url, cause))


def _describe(url: URL, cause: BaseException) -> str:
    """Build a message naming the database and the cause, scrubbed of the password."""
    where = url.render_as_string(hide_password=True)
    detail = str(getattr(cause, "orig", None) or cause).strip().splitlines()
    reason = detail[0] if detail else type(cause).__name__
    return f"database {where} is unavailable: {mask(reason, str(url.password or ''))}"


def mask(text: str, secret: str, marker: str = "***") -> str:
    """Replace `secret` in `text` with a marker; a short one only where it stands alone, so a
    password "p" does not turn "port" into "***ort" (and so give itself away)."""
    if not secret:
        return text
    if len(secret) >= 8:
        return text.replace(secret, marker)
    alone = re.compile(rf"(?<![A-Za-z0-9]){re.escape(secret)}(?![A-Za-z0-9])")
    return alone.sub(marker, text)


def default_database_url() -> str:
    """Return the embedded default: an SQLite file in the working directory."""
    return "sqlite:///valuescout.db"


def normalise_database_url(url: str) -> str:
    """Map Heroku-style postgres:// and postgresql:// URLs to the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url


# The drivers this project installs, by backend (any other fails only when first used).
DRIVERS = {"sqlite": "pysqlite", "postgresql": "psycopg"}


def parse_database_url(url: str) -> URL:
    """Parse a database URL and check its backend and driver; a bad one raises ValueError
    that never echoes it (it may hold a password)."""
    try:
        parsed = make_url(normalise_database_url(url))
        parsed.port  # noqa: B018 - a port that is not a number fails here, not at connect
    except (ArgumentError, ValueError):
        raise ValueError("is not a database URL (expected sqlite:/// or postgresql://)") from None
    backend = parsed.get_backend_name()
    if backend not in DRIVERS:
        raise ValueError(f"names the database {backend!r}: use sqlite or postgresql")
    if (driver := parsed.get_driver_name()) != DRIVERS[backend]:
        raise ValueError(f"names the driver {driver!r}: use {backend}:// instead")
    return parsed


def create_engine_for(url: str) -> Engine:
    """Create an engine configured for SQLite (WAL, FKs, BEGIN IMMEDIATE for writes) or PostgreSQL."""
    sa_url = parse_database_url(url)
    if sa_url.get_backend_name() == "sqlite":
        return _sqlite_engine(sa_url)
    return _postgres_engine(sa_url)


def _is_memory(url: URL) -> bool:
    """Tell whether an SQLite URL names an in-memory database."""
    return url.database in (None, "", ":memory:") or url.query.get("mode") == "memory"


def _sqlite_engine(url: URL) -> Engine:
    """Build an SQLite engine whose connections are configured on connect."""
    options: dict[str, Any] = {"connect_args": {"check_same_thread": False}}
    if _is_memory(url):
        # One shared connection, or every checkout would see its own empty database.
        options["poolclass"] = StaticPool
    engine = sa.create_engine(url, **options)
    event.listen(engine, "connect", _configure_sqlite_connection)
    event.listen(engine, "begin", _begin_immediate)
    return engine


def _configure_sqlite_connection(dbapi_connection: Any, _record: Any) -> None:
    """Set the pragmas every connection needs and take BEGIN away from pysqlite."""
    # pysqlite's own BEGIN handling defers BEGIN and breaks SAVEPOINT and transactional DDL;
    # with isolation_level None it stays out of the way and _begin_immediate emits BEGIN.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        # busy_timeout first: switching to WAL needs a lock that a sibling may hold.
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
    finally:
        cursor.close()


def _begin_immediate(connection: sa.Connection) -> None:
    """Start a write transaction with BEGIN IMMEDIATE (the write lock, up front); reads defer."""
    # A DEFERRED transaction that reads and then writes must upgrade its lock; if another
    # writer got in first SQLite fails at once with SQLITE_BUSY (busy_timeout cannot help,
    # waiting could deadlock). Taking the write lock at BEGIN makes writers queue on
    # busy_timeout instead, so check-then-write code (dedupe, claims) is serialised and
    # correct. Reads (read_scope, the health check) never write, so they BEGIN DEFERRED:
    # in WAL mode they then neither wait for the writer nor make writers wait for them.
    if connection.get_execution_options().get(READ_ONLY):
        connection.exec_driver_sql("BEGIN")
        return
    for attempt in range(1, SQLITE_BEGIN_ATTEMPTS + 1):
        try:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
            return
        except sa.exc.OperationalError as error:
            if attempt == SQLITE_BEGIN_ATTEMPTS or not is_locked(error):
                raise
            time.sleep(random.uniform(0.01, 0.05))  # let the queue move before waiting again


def is_locked(error: BaseException) -> bool:
    """Tell whether an error is SQLite's "database is locked" (or "busy")."""
    text = str(getattr(error, "orig", None) or error).lower()
    return "database is locked" in text or "database is busy" in text


def _postgres_engine(url: URL) -> Engine:
    """Build a PostgreSQL (psycopg 3) engine with a checked, bounded pool."""
    connect_args = {} if "connect_timeout" in url.query else {"connect_timeout": 10}
    return sa.create_engine(
        url,
        pool_pre_ping=True,  # survive server restarts and idle-connection reaping
        pool_size=5,
        max_overflow=10,
        pool_recycle=1800,
        connect_args=connect_args,
    )


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """Yield a session that commits on success, rolls back on error, and always closes."""
    session = Session(engine, expire_on_commit=False)
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


@contextmanager
def read_scope(engine: Engine) -> Iterator[Session]:
    """Yield a session for reads only: on SQLite it takes no write lock; always rolled back."""
    # Same pool, same connect/begin listeners: only the BEGIN differs (see _begin_immediate).
    session = Session(engine.execution_options(**{READ_ONLY: True}), expire_on_commit=False)
    try:
        yield session
    finally:
        session.rollback()
        session.close()


def database_is_reachable(engine: Engine) -> bool:
    """Tell whether SELECT 1 succeeds; never raises."""
    try:
        require_database(engine)
    except DatabaseUnavailable:
        return False
    return True


def require_database(engine: Engine) -> None:
    """Run SELECT 1, raising DatabaseUnavailable (password hidden) if it fails."""
    try:
        with engine.execution_options(**{READ_ONLY: True}).connect() as connection:
            connection.exec_driver_sql("SELECT 1")
    except Exception as exc:
        raise DatabaseUnavailable.for_engine(engine, exc) from exc
