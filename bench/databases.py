"""Databases for the benchmarks: a migrated SQLite file or PostgreSQL database per name,
thrown away after the run or kept in a directory (and its PostgreSQL cluster started again)
for the next one, since seeding 1,000,000 discoveries takes minutes.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from functools import partial
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Engine

from storage.engine import create_engine_for
from storage.migrate import current_revision, upgrade

Fresh = Callable[[str | int], AbstractContextManager[Engine]]


@contextmanager
def sqlite_databases(keep: Path | None = None) -> Iterator[Fresh]:
    """Make a migrated SQLite file per size, in a temporary directory, or in `keep` (kept
    after the run and reused by the next: seeding 1,000,000 rows takes minutes)."""
    with tempfile.TemporaryDirectory() as scratch:
        directory = keep or Path(scratch)
        directory.mkdir(parents=True, exist_ok=True)

        @contextmanager
        def fresh(name: str | int) -> Iterator[Engine]:
            url = f"sqlite:///{directory / f'bench-{name}.db'}"
            engine = create_engine_for(url)
            upgraded(engine)
            try:
                yield engine
            finally:
                engine.dispose()

        yield fresh


@contextmanager
def postgres_databases(keep: Path | None = None) -> Iterator[Fresh]:
    """Make a migrated database per size on a throwaway cluster (tests/postgres.py), or on
    the server VALUESCOUT_TEST_POSTGRES_URL names; with `keep`, the cluster lives in that
    directory and its databases stay for the next run (which starts it again)."""
    import psycopg

    with tempfile.TemporaryDirectory(prefix="valuescout-bench-pg-") as scratch:
        server = _postgres_server(keep, Path(scratch))
        admin = psycopg.connect(server.admin_url, autocommit=True)
        try:
            yield partial(_postgres_database, server, admin, keep)
        finally:
            admin.close()
            _stop_server(server, keep)


def _postgres_server(keep: Path | None, scratch: Path) -> Any:
    """The kept cluster in keep/postgres, else a throwaway one (or the one the tests name)."""
    from tests.postgres import postgres_server

    if keep is not None and not os.environ.get("VALUESCOUT_TEST_POSTGRES_URL"):
        return _kept_server(keep / "postgres")
    return postgres_server(scratch)


@contextmanager
def _postgres_database(
    server: Any, admin: Any, keep: Path | None, name: str | int
) -> Iterator[Engine]:
    """A migrated database: a kept one by its name, else this process's, dropped after."""
    from tests.postgres_databases import create_database, drop_database

    database = f"valuescout_bench_{name}" if keep else f"valuescout_bench_{os.getpid()}_{name}"
    if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (database,)).fetchone():
        create_database(admin, database)
    engine = create_engine_for(server.url_for(database))
    try:
        upgraded(engine)
        yield engine
    finally:
        engine.dispose()
        if keep is None:
            drop_database(admin, database)


def _stop_server(server: Any, keep: Path | None) -> None:
    """Stop a cluster this run started: a kept one keeps its data."""
    if server.cluster is None:
        return
    if keep is not None:
        _stop_kept(server.cluster)
    else:
        server.cluster.stop()


def upgraded(engine: Engine) -> None:
    """Migrate the database to the head; a kept one a migration rewrote (0024 fills columns
    of every discovery) is analysed, and on PostgreSQL vacuumed, as autovacuum would have
    by the next week's digests: else the planner reads stale statistics and, on PostgreSQL,
    a million dead row versions and no visibility map for its index-only scans."""
    was = current_revision(engine_or_url=engine)
    upgrade(engine_or_url=engine)
    if was is not None and was != current_revision(engine_or_url=engine):
        vacuum_analyze(engine)


def vacuum_analyze(engine: Engine) -> None:
    """VACUUM ANALYZE (PostgreSQL), ANALYZE (SQLite): statistics and a clean heap."""
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(sa.text("VACUUM ANALYZE"))
    else:
        with engine.connect() as connection:
            connection.execute(sa.text("ANALYZE"))
            connection.commit()


def _kept_server(root: Path) -> Any:
    """A cluster whose data stays in root: started again if an earlier run made it."""
    from tests import postgres as pg

    if not (root / "data").exists():
        root.mkdir(parents=True, exist_ok=True)
        return pg.start_cluster(root)
    cluster = pg.Cluster(str(root), str(pg.find_bin_dir() / "pg_ctl"), pg._run_as())
    _free_port, _run, _wait_until_ready = pg._free_port, pg._run, pg._wait_until_ready
    port = _free_port()
    options = f"-h 127.0.0.1 -p {port} -k {root} -c fsync=off -c synchronous_commit=off"
    start = [cluster.pg_ctl, "start", "-D", str(root / "data"), "-l", str(root / "log")]
    _run([*cluster.run_as, *start, "-w", "-t", "60", "-o", options], "pg_ctl start")
    url = f"postgresql://postgres@127.0.0.1:{port}/postgres"
    _wait_until_ready(url, time.monotonic() + 30)
    return pg.PostgresServer(admin_url=url, cluster=cluster)


def _stop_kept(cluster: Any) -> None:
    """Stop a kept cluster, keeping its data."""
    data = str(Path(cluster.root) / "data")
    stop = [*cluster.run_as, cluster.pg_ctl, "stop", "-D", data, "-m", "fast", "-w"]
    subprocess.run(stop, capture_output=True, timeout=120, check=False)
