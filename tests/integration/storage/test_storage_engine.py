"""The engine factory: SQLite pragmas, foreign keys, UTC datetimes, URLs and outages."""

import threading
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from unittest.mock import patch

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError, StatementError
from sqlmodel import Session, select

import storage.engine as engine_module
from storage.engine import (
    DatabaseUnavailable,
    create_engine_for,
    database_is_reachable,
    default_database_url,
    normalise_database_url,
    read_scope,
    require_database,
    session_scope,
)
from storage.enums import DiscoverySource, Fit
from storage.migrate import upgrade
from storage.models import Discovery, DiscoveryRoute, ProcessedRequest

UNREACHABLE = "postgresql://scout:s3cret-Pa55word@127.0.0.1:1/valuescout?connect_timeout=2"


def _pragma(engine: sa.Engine, name: str) -> object:
    """Read one PRAGMA through a pooled connection."""
    with engine.connect() as connection:
        return connection.exec_driver_sql(f"PRAGMA {name}").scalar()


def test_sqlite_connections_use_wal_foreign_keys_and_a_busy_timeout(tmp_path):
    engine = create_engine_for(f"sqlite:///{tmp_path / 'pragmas.db'}")
    try:
        assert _pragma(engine, "journal_mode") == "wal"
        assert _pragma(engine, "foreign_keys") == 1
        assert _pragma(engine, "busy_timeout") == 5000
        assert _pragma(engine, "synchronous") == 1  # NORMAL
    finally:
        engine.dispose()


def test_sqlite_write_transactions_take_the_write_lock_at_begin(tmp_path):
    engine = create_engine_for(f"sqlite:///{tmp_path / 'locks.db'}")
    try:
        with engine.connect() as holder, engine.connect() as waiter:
            holder.exec_driver_sql("SELECT 1")  # a session_scope transaction: the write lock
            waiter.connection.driver_connection.execute("PRAGMA busy_timeout = 50")
            locked = pytest.raises(sa.exc.OperationalError, match="locked")
            with patch.object(engine_module, "SQLITE_BEGIN_ATTEMPTS", 1), locked:
                waiter.exec_driver_sql("SELECT 1")
    finally:
        engine.dispose()


def test_sqlite_reads_take_no_write_lock_while_a_writer_holds_it(tmp_path):
    engine = create_engine_for(f"sqlite:///{tmp_path / 'reads.db'}")
    upgrade(engine_or_url=engine)
    try:
        with session_scope(engine) as writer:
            writer.add(ProcessedRequest(key="pending", kind="event"))
            writer.flush()  # the write lock is held until this block ends
            with read_scope(engine) as reader:
                assert reader.exec(select(ProcessedRequest.key)).all() == []  # the last commit
            assert database_is_reachable(engine) is True  # /healthz never queues behind it
    finally:
        engine.dispose()


def test_a_read_scope_never_keeps_what_it_did(engine):
    with read_scope(engine) as session:
        assert session.exec(select(ProcessedRequest.key)).all() == []


def test_a_write_that_finds_the_database_locked_begins_again(tmp_path):
    engine = create_engine_for(f"sqlite:///{tmp_path / 'retry.db'}")
    upgrade(engine_or_url=engine)
    holder = engine.connect()
    holder.exec_driver_sql("SELECT 1")  # holds the write lock…
    releaser = threading.Timer(0.15, holder.rollback)  # …past the first wait of the second
    try:
        with engine.connect() as waiter:
            waiter.connection.driver_connection.execute("PRAGMA busy_timeout = 100")
            releaser.start()
            waiter.exec_driver_sql("INSERT INTO processed_requests VALUES ('k', 'event', '')")
            waiter.commit()
    finally:
        releaser.join()
        holder.close()
        engine.dispose()


def test_savepoints_roll_back_only_their_part(engine):
    with session_scope(engine) as session:
        session.add(ProcessedRequest(key="kept", kind="event"))
        with session.begin_nested() as nested:
            session.add(ProcessedRequest(key="undone", kind="event"))
            session.flush()
            nested.rollback()

    with session_scope(engine) as session:
        keys = session.exec(select(ProcessedRequest.key)).all()
    assert keys == ["kept"]


def test_in_memory_sqlite_is_one_database_across_sessions():
    engine = create_engine_for("sqlite://")
    try:
        upgrade(engine_or_url=engine)
        with session_scope(engine) as session:
            session.add(ProcessedRequest(key="k", kind="event"))
        with session_scope(engine) as session:
            assert session.get(ProcessedRequest, "k") is not None
    finally:
        engine.dispose()


def _discovery(**overrides: object) -> Discovery:
    """Return a valid discovery; overrides replace fields."""
    fields: dict = {
        "team_id": "T1",
        "scout_user_id": "U1",
        "account": "Acme",
        "outcome": "close books in 2 days",
        "gap": "manual reconciliation",
        "fit": Fit.PARTLY,
        "source": DiscoverySource.MODAL,
        "source_key": "view:V1",
    }
    return Discovery(**{**fields, **overrides})


def test_a_route_for_a_missing_discovery_is_rejected(engine):
    with pytest.raises(IntegrityError), session_scope(engine) as session:
        session.add(
            DiscoveryRoute(discovery_id=999, route="sales", reason="x", channel_id="C1")
        )


def test_deleting_a_discovery_deletes_its_routes(engine):
    with session_scope(engine) as session:
        discovery = _discovery()
        session.add(discovery)
        session.flush()
        session.add(
            DiscoveryRoute(
                discovery_id=discovery.id, route="product", reason="r", channel_id="C"
            )
        )
    with session_scope(engine) as session:
        session.exec(sa.delete(Discovery))
    with session_scope(engine) as session:
        assert session.exec(select(DiscoveryRoute)).all() == []


def test_datetimes_come_back_aware_in_utc(engine):
    berlin_noon = datetime(2026, 3, 1, 12, 0, tzinfo=timezone(timedelta(hours=1)))
    with session_scope(engine) as session:
        session.add(ProcessedRequest(key="k", kind="event", received_at=berlin_noon))

    with Session(engine) as session:
        received_at = session.exec(select(ProcessedRequest.received_at)).one()
    assert received_at == berlin_noon
    assert received_at.tzinfo is UTC
    assert received_at.hour == 11


def test_naive_datetimes_are_refused(engine):
    with pytest.raises(StatementError, match="naive datetime"), session_scope(engine) as session:
        session.add(ProcessedRequest(key="k", kind="event", received_at=datetime(2026, 3, 1)))


def test_a_long_evidence_text_is_kept_whole(engine):
    evidence = "the customer said: " + "x" * 45_000
    with session_scope(engine) as session:
        session.add(
            _discovery(
                evidence=evidence,
                themes=["month-end", "audit"],
                value_amount=Decimal("120000.50"),
                value_currency="EUR",
                event_date=date(2026, 12, 31),
            )
        )

    with Session(engine) as session:
        stored = session.exec(select(Discovery)).one()
    assert stored.evidence == evidence
    assert stored.themes == ["month-end", "audit"]
    assert stored.fit is Fit.PARTLY
    assert (stored.value_amount, stored.event_date) == (Decimal("120000.50"), date(2026, 12, 31))


def test_session_scope_rolls_back_when_the_block_fails(engine):
    with pytest.raises(RuntimeError), session_scope(engine) as session:
        session.add(ProcessedRequest(key="k", kind="event"))
        session.flush()
        raise RuntimeError("boom")

    with Session(engine) as session:
        assert session.get(ProcessedRequest, "k") is None


def test_heroku_style_urls_use_psycopg_3():
    assert normalise_database_url("postgres://u:p@h/db") == "postgresql+psycopg://u:p@h/db"
    assert normalise_database_url("postgresql://h/db") == "postgresql+psycopg://h/db"
    assert normalise_database_url("sqlite:///x.db") == "sqlite:///x.db"
    assert create_engine_for("postgres://u:p@h/db").dialect.driver == "psycopg"


def test_the_default_database_is_an_sqlite_file_in_the_working_directory():
    assert default_database_url() == "sqlite:///valuescout.db"


def test_an_unreachable_database_is_reported_without_its_password():
    engine = create_engine_for(UNREACHABLE)
    try:
        assert database_is_reachable(engine) is False
        with pytest.raises(DatabaseUnavailable) as caught:
            require_database(engine)
    finally:
        engine.dispose()
    assert "127.0.0.1" in str(caught.value)
    assert "s3cret-Pa55word" not in str(caught.value)
    assert "s3cret-Pa55word" not in repr(caught.value)


def test_migrating_an_unreachable_database_raises_database_unavailable():
    with pytest.raises(DatabaseUnavailable) as caught:
        upgrade(engine_or_url=UNREACHABLE)
    assert "s3cret-Pa55word" not in str(caught.value)


def test_a_malformed_url_is_refused_without_echoing_it():
    with pytest.raises(ValueError) as caught:
        create_engine_for("not a url with s3cret-Pa55word")
    assert "s3cret-Pa55word" not in str(caught.value)


def test_a_reachable_database_is_reported_reachable(engine):
    assert database_is_reachable(engine) is True
