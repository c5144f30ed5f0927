"""A throwaway PostgreSQL server for a test run, or the one named in the environment.

One server serves the whole run, however many pytest-xdist workers share it: the run's
main process makes a scratch directory (SharedServer.create) and hands its path to each
worker; the first process that needs PostgreSQL starts the cluster in it, under a lock, and
writes down its URL (or why there is none) for the others. Only the main process stops it,
after the last worker is done: a worker that finishes early must not.
"""

import contextlib
import fcntl
import glob
import json
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

import psycopg
from sqlalchemy.engine import make_url

ENV_URL = "VALUESCOUT_TEST_POSTGRES_URL"
_PREFIX = "valuescout-pg-"
# Durability is worthless for a scratch cluster; these make DDL and commits much faster.
_FAST = "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"


class PostgresUnavailable(Exception):
    """PostgreSQL cannot be had on this machine; the message says why."""


@dataclass
class Cluster:
    """A scratch cluster's files and how to reach its pg_ctl, enough to stop it from anywhere."""

    root: str
    pg_ctl: str
    run_as: list[str]

    def stop(self) -> None:
        """Stop the server (if it runs) and delete its data; harmless to repeat."""
        data = Path(self.root) / "data"
        if data.exists():
            subprocess.run(
                [*self.run_as, self.pg_ctl, "stop", "-D", str(data), "-m", "immediate", "-w"],
                capture_output=True,
                timeout=60,
                check=False,
            )
        shutil.rmtree(data, ignore_errors=True)


@dataclass
class PostgresServer:
    """A running server: an admin URL (libpq form), and its cluster if this run started it."""

    admin_url: str
    cluster: Cluster | None = None

    def url_for(self, database: str) -> str:
        """Return the SQLAlchemy (psycopg 3) URL of a database on this server."""
        url = make_url(self.admin_url).set(drivername="postgresql+psycopg", database=database)
        return url.render_as_string(hide_password=False)


def _version_key(path: str) -> tuple[int, ...]:
    """Sort key for /usr/lib/postgresql/<version>/bin paths, newest last."""
    return tuple(int(part) for part in re.findall(r"\d+", path))


def find_bin_dir() -> Path:
    """Find the directory holding initdb and pg_ctl: PATH first, then the newest install."""
    on_path = shutil.which("pg_ctl")
    if on_path and shutil.which("initdb"):
        return Path(on_path).parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=_version_key)
    for candidate in reversed(candidates):
        if (Path(candidate) / "initdb").exists() and (Path(candidate) / "pg_ctl").exists():
            return Path(candidate)
    raise PostgresUnavailable("initdb/pg_ctl not on PATH nor under /usr/lib/postgresql/*/bin")


def _run_as() -> list[str]:
    """Return the prefix that runs a command as a non-root user (PostgreSQL refuses root)."""
    if os.geteuid() != 0:
        return []
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        raise PostgresUnavailable("running as root and there is no 'postgres' user") from None
    runuser = shutil.which("runuser")
    if runuser:
        return [runuser, "-u", "postgres", "--"]
    return ["setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups", "--"]


def _free_port() -> int:
    """Ask the kernel for a free TCP port on the loopback interface."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _run(command: list[str], what: str) -> None:
    """Run a command, turning failure into PostgresUnavailable with its output."""
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    if done.returncode != 0:
        output = (done.stdout + done.stderr).strip()[-800:]
        raise PostgresUnavailable(f"{what} failed ({done.returncode}): {output}")


def _wait_until_ready(url: str, deadline: float) -> None:
    """Poll until the server accepts connections."""
    while True:
        try:
            psycopg.connect(url, connect_timeout=2).close()
            return
        except psycopg.OperationalError as exc:
            if time.monotonic() > deadline:
                raise PostgresUnavailable(f"server did not come up: {exc}") from None
            time.sleep(0.05)


def _owner_alive(root: Path) -> bool:
    """Tell whether the test run that made root still runs."""
    owner = root / "owner.pid"
    if not owner.exists():
        # Another run may have just created the directory: only old ones are orphans.
        return time.time() - root.stat().st_mtime < 60
    try:
        os.kill(int(owner.read_text()), 0)
    except (OSError, ValueError):
        return False
    return True


def _reap_orphans(cluster: Cluster) -> None:
    """Stop and delete clusters whose test run was killed before it could clean up."""
    for root in Path(tempfile.gettempdir()).glob(f"{_PREFIX}*"):
        if root != Path(cluster.root) and not _owner_alive(root):
            Cluster(str(root), cluster.pg_ctl, cluster.run_as).stop()
            shutil.rmtree(root, ignore_errors=True)


def start_cluster(root: Path) -> PostgresServer:
    """initdb a cluster in root, start it on 127.0.0.1 and a free port, and return it."""
    bin_dir = find_bin_dir()
    cluster = Cluster(str(root), str(bin_dir / "pg_ctl"), _run_as())
    _reap_orphans(cluster)
    if cluster.run_as:
        shutil.chown(root, user="postgres", group="postgres")
    port = _free_port()
    try:
        _init_and_start(cluster.run_as, bin_dir, root, port)
        url = f"postgresql://postgres@127.0.0.1:{port}/postgres"
        _wait_until_ready(url, time.monotonic() + 30)
    except BaseException:
        cluster.stop()
        raise
    return PostgresServer(admin_url=url, cluster=cluster)


def _init_and_start(prefix: list[str], bin_dir: Path, root: Path, port: int) -> None:
    """Run initdb and pg_ctl start for a scratch cluster in root/data."""
    data = root / "data"
    initdb = [str(bin_dir / "initdb"), "-D", str(data), "--auth=trust", "-U", "postgres"]
    _run([*prefix, *initdb, "-E", "UTF8", "--locale=C", "--no-sync"], "initdb")
    options = f"-h 127.0.0.1 -p {port} -k {root} {_FAST} -c max_connections=300"
    start = [str(bin_dir / "pg_ctl"), "start", "-D", str(data), "-l", str(root / "log")]
    _run([*prefix, *start, "-w", "-t", "30", "-o", options], "pg_ctl start")


def postgres_server(root: Path) -> PostgresServer:
    """Return the server from VALUESCOUT_TEST_POSTGRES_URL, or start a scratch cluster in root."""
    url = os.environ.get(ENV_URL)
    if not url:
        return start_cluster(root)
    url = url.replace("postgresql+psycopg://", "postgresql://", 1)
    _wait_until_ready(url, time.monotonic() + 10)
    return PostgresServer(admin_url=url)


def _version(server: PostgresServer) -> str:
    """The server's version, e.g. "15.18", or "" if it cannot be asked."""
    with contextlib.suppress(psycopg.Error), psycopg.connect(server.admin_url) as connection:
        return str(connection.execute("SHOW server_version").fetchone()[0]).split()[0]
    return ""


class SharedServer:
    """The run's one server, started on first use by whichever process needs it first."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._state = root / "server.json"

    @classmethod
    def create(cls) -> "SharedServer":
        """Make the run's scratch directory, owned by this (the main) process."""
        root = Path(tempfile.mkdtemp(prefix=_PREFIX))
        (root / "owner.pid").write_text(str(os.getpid()))
        return cls(root)

    def get(self) -> PostgresServer:
        """The server, started now if no process of the run has yet; PostgresUnavailable if
        it cannot be (then every process is told the same reason without trying again)."""
        with self._locked():
            if not self._state.exists():
                self._state.write_text(json.dumps(self._start()))
        state = self.state()
        if "error" in state:
            raise PostgresUnavailable(state["error"])
        cluster = state["cluster"] and Cluster(**state["cluster"])
        return PostgresServer(admin_url=state["admin_url"], cluster=cluster)

    def state(self) -> dict:
        """What became of the server: {} if no test asked for it, else its URL, cluster and
        version, or the "error" that says why there is none."""
        with contextlib.suppress(FileNotFoundError):
            return json.loads(self._state.read_text())
        return {}

    def summary(self, outcomes: dict[str, set[str]]) -> str:
        """One line: whether the server ran, and the tests that ran on it (ids by outcome)."""
        state, tests = self.state(), len(set().union(*outcomes.values()))
        counts = ", ".join(f"{len(ids)} {outcome}" for outcome, ids in outcomes.items())
        if "error" in state:
            return f"PostgreSQL did not run ({state['error']}): {counts}"
        if state:
            where = "a throwaway cluster" if state["cluster"] else ENV_URL
            return f"PostgreSQL {state['version']} ran ({where}): {tests} tests ran on it, {counts}"
        return f"PostgreSQL was not started: {counts}" if tests else ""

    def stop(self) -> None:
        """Stop the server if this run started one, and delete the run's directory."""
        cluster = self.state().get("cluster")
        if cluster:
            Cluster(**cluster).stop()
        shutil.rmtree(self.root, ignore_errors=True)

    def _start(self) -> dict:
        try:
            server = postgres_server(self.root)
        except PostgresUnavailable as exc:
            return {"error": str(exc)}
        cluster = server.cluster and asdict(server.cluster)
        return {"admin_url": server.admin_url, "cluster": cluster, "version": _version(server)}

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        with open(self.root / "lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
            yield
