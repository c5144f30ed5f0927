"""Shared fixtures: tests asking for `engine` or `database_url` run on SQLite and PostgreSQL.

How each test gets a clean, migrated database cheaply (migrations run once per backend):
- SQLite: the schema is migrated once into a template file; each test gets its own copy
  of that file in its tmp_path (~1 ms; a migration takes ~50 ms).
- PostgreSQL: one throwaway server per run (tests/postgres.py), one migrated template
  database, and one shared copy of it that is wiped before every test (TRUNCATE … RESTART
  IDENTITY, ~15 ms, see ReusableDatabase). A fresh CREATE DATABASE per test was measured
  at ~90 ms. Tests that need an empty or altered schema use `empty_database_url`, which
  is a database of their own.

Under pytest-xdist the workers share one server (started by whichever needs it first,
stopped by the main process at the end, see tests/postgres.py); each worker migrates its
own template and wipes its own shared copy, so workers never see each other's rows.
"""

import itertools
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn

import psycopg
import pytest
from hypothesis import settings as hypothesis_settings
from sqlalchemy import Engine

import prompts
from bot.domain.money import DEFAULT_BASE, use_base_currency
from bot.domain.themes import DEFAULT_LANGUAGES, use_languages
from storage.engine import create_engine_for
from storage.migrate import upgrade
from storage.models import metadata
from tests.model.reach import Walks
from tests.postgres import PostgresServer, PostgresUnavailable, SharedServer
from tests.postgres_databases import ReusableDatabase, drop_database

# Property tests explore new inputs on every local run; in CI (CI=true) they replay the same
# ones, so a main that passed stays green (the model walk has its own fixed seed). A failure
# found locally becomes a plain regression test.
hypothesis_settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI") == "true":
    hypothesis_settings.load_profile("ci")

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
SLOW_FIRST = (  # the model of users' paths, then child processes, the demo, a wheel build
    "tests/model/",
    "tests/e2e/test_processes.py",
    "tests/e2e/test_digests_demo.py",
    "tests/integration/test_packaging.py",
    "tests/integration/storage/test_storage_migrations.py",
    "tests/integration/test_bench_scale.py",
    "tests/integration/storage/test_storage_sqlite_processes.py",
    "tests/e2e/test_demo_paths.py",
    "tests/e2e/test_digests.py",
)
_database_numbers = itertools.count(1)
_SERVER = pytest.StashKey[SharedServer]()
_WORKER_INPUT = "valuescout_postgres_root"


def pytest_configure(config: pytest.Config) -> None:
    """The main process sets up the run's PostgreSQL (started on first use); workers join it."""
    workerinput = getattr(config, "workerinput", None)
    if workerinput is None:
        config.stash[_SERVER] = SharedServer.create()
        config.pluginmanager.register(Walks(), "valuescout-model-walks")
    else:
        config.stash[_SERVER] = SharedServer(Path(workerinput[_WORKER_INPUT]))


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node) -> None:
    """Tell each xdist worker (node: its WorkerController) where the run's server is."""
    node.workerinput[_WORKER_INPUT] = str(node.config.stash[_SERVER].root)


def pytest_unconfigure(config: pytest.Config) -> None:
    """The main process stops the server once every worker is done."""
    if getattr(config, "workerinput", None) is None and _SERVER in config.stash:
        config.stash[_SERVER].stop()


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Start the tests that take seconds each first, the longest kind first, so that under
    xdist (dev.py deals them round one at a time) none starts last and keeps the others
    waiting. A stable sort after pytest's own: the rest keep their order."""
    items.sort(key=_slow_rank)
    for item in items:
        if item.get_closest_marker("postgres") or item.nodeid.startswith("tests/model/"):
            # The PostgreSQL half runs the same code of bot/ as the SQLite half (storage/ is not
            # measured): tracing it again cost a third of its time for under a point of branch
            # coverage (retries only PostgreSQL's concurrency takes). The model's walks look
            # for crashes along paths the end-to-end tests already cover; tracing nearly
            # doubled their CPU.
            item.add_marker(pytest.mark.no_cover)


def _slow_rank(item: pytest.Item) -> int:
    """The place of an item's kind in SLOW_FIRST, or after all of them."""
    ranks = (rank for rank, path in enumerate(SLOW_FIRST) if item.nodeid.startswith(path))
    return next(ranks, len(SLOW_FIRST))


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_terminal_summary(
    terminalreporter: pytest.TerminalReporter, config: pytest.Config
) -> Iterator[None]:
    """After the short summary, say whether PostgreSQL ran and how many tests ran on it."""
    result = yield
    if getattr(config, "workerinput", None) is None and _SERVER in config.stash:
        line = config.stash[_SERVER].summary(_postgres_outcomes(terminalreporter))
        if line:
            terminalreporter.write_line(line)
    return result


def _postgres_outcomes(terminalreporter: pytest.TerminalReporter) -> dict[str, set[str]]:
    """The ids of the tests that ran on PostgreSQL (by marker or backend id), by outcome."""
    outcomes: dict[str, set[str]] = {}
    for outcome in ("passed", "failed", "error", "skipped", "xfailed", "xpassed"):
        for report in terminalreporter.stats.get(outcome, []):
            if "postgres" in getattr(report, "keywords", ()) or "postgresql" in report.nodeid.partition("[")[2]:
                outcomes.setdefault(outcome, set()).add(report.nodeid)
    return outcomes


def _unavailable(reason: str) -> NoReturn:
    """Skip PostgreSQL tests locally, but fail loudly in CI, which must run them."""
    message = f"PostgreSQL not available: {reason}"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@pytest.fixture(autouse=True)
def packaged_prompts() -> Iterator[None]:
    """Every test starts and ends on the shipped prompts/, whatever copy a test switched to,
    and on the default base currency and languages, whatever settings a test loaded."""
    prompts.use_directory(None)
    use_base_currency(DEFAULT_BASE)
    use_languages(DEFAULT_LANGUAGES)
    yield
    prompts.use_directory(None)
    use_base_currency(DEFAULT_BASE)
    use_languages(DEFAULT_LANGUAGES)


@pytest.hookimpl(tryfirst=True)  # before the fixture's own params apply: they would clash
def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Tests run on each backend, but for modules marked sqlite_only: 126 end-to-end tests
    whose point is how the app reads and answers requests (bad input, wording, the dialogue's
    parsing) ran again on PostgreSQL, for no SQL of their own, at 1.6 times an SQLite run's
    cost. The flows through storage (user paths, cards, accounts, digests, workspaces, the
    API) still run on both."""
    if "database_backend" in metafunc.fixturenames and metafunc.definition.get_closest_marker(
        "sqlite_only"
    ):
        metafunc.parametrize("database_backend", ["sqlite"], scope="session")


@pytest.fixture(scope="session", params=BACKENDS)
def database_backend(request: pytest.FixtureRequest) -> str:
    """Name the backend under test: "sqlite" or "postgresql"."""
    return request.param


@pytest.fixture(scope="session")
def postgres(pytestconfig: pytest.Config) -> PostgresServer:
    """The run's PostgreSQL server, started by the first test process that needs it."""
    try:
        return pytestconfig.stash[_SERVER].get()
    except PostgresUnavailable as exc:
        _unavailable(str(exc))


@pytest.fixture(scope="session")
def postgres_admin(postgres: PostgresServer) -> Iterator[psycopg.Connection]:
    """An autocommit connection for CREATE/DROP DATABASE."""
    with psycopg.connect(postgres.admin_url, autocommit=True) as connection:
        yield connection


def _unique_name(kind: str) -> str:
    """Return a database name unique to this process (a shared CI server may run others)."""
    return f"valuescout_{kind}_{os.getpid()}_{next(_database_numbers)}"


def _file_copy(admin: psycopg.Connection) -> str:
    """Return the fast CREATE DATABASE strategy clause, where the server has it (PG 15+)."""
    return " STRATEGY FILE_COPY" if admin.info.server_version >= 150000 else ""


def _create_pg_database(admin: psycopg.Connection, template: str) -> str:
    """Create a database copied from template and return its name."""
    name = _unique_name("test")
    admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"{_file_copy(admin)}')
    return name


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A SQLite file migrated to head once, for tests to copy."""
    path = tmp_path_factory.mktemp("sqlite-template") / "template.db"
    _migrate_and_dispose(f"sqlite:///{path}")  # disposing checkpoints the WAL into the file
    return str(path)


def _migrate_and_dispose(url: str) -> None:
    """Migrate url to head with a short-lived engine."""
    engine = create_engine_for(url)
    try:
        upgrade(engine_or_url=engine)
    finally:
        engine.dispose()


@pytest.fixture(scope="session")
def _shared_pg_database(
    postgres: PostgresServer, postgres_admin: psycopg.Connection
) -> Iterator[ReusableDatabase]:
    """The PostgreSQL database that tests share, wiped before each of them: a copy of a
    template migrated once. Neither depends on the backend parameter, so a worker that
    alternates between backends (as xdist deals tests) keeps both instead of redoing them."""
    template = _create_pg_database(postgres_admin, "template0")
    _migrate_and_dispose(postgres.url_for(template))
    database = ReusableDatabase(postgres, postgres_admin, template=template)
    yield database
    database.close()
    drop_database(postgres_admin, template)


@pytest.fixture
def database_url(database_backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """URL of a clean database migrated to head, for this test alone."""
    if database_backend == "sqlite":
        path = tmp_path / "valuescout.db"
        shutil.copyfile(request.getfixturevalue("_sqlite_template"), path)
        return f"sqlite:///{path}"
    database: ReusableDatabase = request.getfixturevalue("_shared_pg_database")
    # Wipe before, not after: whatever a crashed or leaky earlier test left is gone.
    database.reset([table.name for table in metadata.sorted_tables])
    return database.url


@pytest.fixture
def empty_database_url(
    database_backend: str, request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[str]:
    """URL of a fresh database with no tables at all (for migration tests), dropped after."""
    if database_backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    server: PostgresServer = request.getfixturevalue("postgres")
    admin: psycopg.Connection = request.getfixturevalue("postgres_admin")
    name = _create_pg_database(admin, "template0")
    yield server.url_for(name)
    drop_database(admin, name)


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """An engine on this test's migrated database, disposed afterwards."""
    engine = create_engine_for(database_url)
    yield engine
    engine.dispose()
