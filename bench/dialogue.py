"""Dialogue benchmark: the real app against a bare Bolt app, on the same signed requests.

    .venv/bin/python bench/dialogue.py                 # full run (~2-3 min)
    .venv/bin/python bench/dialogue.py --quick         # ~20 s, LocalServer only
    .venv/bin/python bench/dialogue.py --dialogues 50 --scouts 50 --duration 15 --no-gunicorn

Part 1, in process: N complete DM dialogues (hi → account → outcome → gap → click fit →
value → event → click who cares → evidence → click Submit), each request signed as Slack signs it and handed to the WSGI
callable of `build_wsgi_app` directly (signature gate + Bolt dispatch), on a migrated temp
SQLite file, with the Slack emulator as the Web API over loopback HTTP. Per step: the time to
the HTTP response (ack) and until the bot's reply is in the emulator's DM (done). Then the same
requests through a bare Bolt app (acks, posts one fixed reply) behind the same `build_wsgi_app`.

Part 2, over HTTP: S scouts (threads, one Slack user each) run dialogues back to back for a
fixed time against the app behind LocalServer (and Gunicorn, 2 workers), then the bare app
behind the same server. Ack latency median/p99 and steps/s, app vs bare.

Everything listens and connects on 127.0.0.1 only. Figures are noisy: read medians and ratios.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # `python bench/dialogue.py` puts bench/, not the repo, first
    sys.path.insert(0, str(ROOT))

from wsgiref.simple_server import make_server  # noqa: E402

from bench.dialogue_bare import REPLIES_ENV, bare_wsgi, bench_env, write_replies  # noqa: E402
from bench.dialogue_harness import (  # noqa: E402
    HEADER,
    HOST,
    NOTES,
    SECRET,
    SETTLE,
    STEPS,
    Canned,
    Inbox,
    InProcessDriver,
    Run,
    Sample,
    Scout,
    TimedDriver,
    ack_by_kind,
    ack_by_step,
    compare,
    ms,
    per_step,
    worst_ratio,
)
from bot import web  # noqa: E402
from bot.bootstrap import load_settings  # noqa: E402
from bot.cli.runtime import compose, prepare_database  # noqa: E402
from bot.emulator import SEED, SlackEmulator  # noqa: E402
from bot.settings import Settings  # noqa: E402
from bot.web import EVENTS_PATH, LocalServer, WSGIApp, build_wsgi_app  # noqa: E402

BARES = (("text", False), ("blocks", True))  # the baselines: (name, posts the app's blocks)

# -- settings, apps, servers ---------------------------------------------------------------


def bench_settings(emulator: SlackEmulator, database_url: str) -> Settings:
    return load_settings(_env_file=None, **bench_env(emulator.api_url, database_url))


@contextmanager
def real_app(
    emulator: SlackEmulator, workdir: Path, database: str | None = None
) -> Iterator[WSGIApp]:
    """The app as `valuescout web` builds it, on `database` or a fresh migrated SQLite file."""
    path = workdir / f"valuescout-{time.monotonic_ns()}.db"
    settings = bench_settings(emulator, database or f"sqlite:///{path}")
    engine = prepare_database(settings)  # upgrade + seed_route_channels
    parts = compose(settings, engine=engine)
    parts.delivery.start()
    try:
        yield build_wsgi_app(bolt_app=parts.app, engine=parts.engine, signing_secret=SECRET)
    finally:
        parts.delivery.stop(timeout=5)
        engine.dispose()


def add_scouts(emulator: SlackEmulator, count: int) -> list[str]:
    """`count` scouts: the seeded Sam, then members added through the workspace's add_user."""
    ids = [SEED.scout]
    for number in range(1, count):
        user_id = f"U0BENCH{number:03d}"
        emulator.workspace.add_user(user_id, f"scout{number}", f"Bench Scout {number}")
        ids.append(user_id)
    return ids


def listen_overflows() -> int | None:
    """TcpExt ListenOverflows: SYNs dropped because a listen backlog was full (Linux)."""
    try:
        lines = Path("/proc/net/netstat").read_text().splitlines()
    except OSError:
        return None
    for names, values in zip(lines[::2], lines[1::2], strict=False):
        if names.startswith("TcpExt:"):
            table = dict(zip(names.split()[1:], values.split()[1:], strict=True))
            return int(table.get("ListenOverflows", 0))
    return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


# -- part 1: in process --------------------------------------------------------------------


def in_process(wsgi: WSGIApp, emulator: SlackEmulator, inbox: Inbox, users: list[str],
               dialogues: int, *, bare: bool, canned: Canned, label: str,
               blocks: bool = False) -> Run:  # fmt: skip
    driver = InProcessDriver(wsgi, emulator)
    scouts = [Scout(u, driver, emulator, inbox, bare=bare, canned=canned, blocks=blocks)
              for u in users]  # fmt: skip
    scouts[0].dialogue([])  # warm-up, not counted
    samples: list[Sample] = []
    started = time.perf_counter()
    for number in range(dialogues):
        scouts[(number + 1) % len(scouts)].dialogue(samples)
    return Run(label, samples, time.perf_counter() - started)


def part_one(dialogues: int, users_wanted: int, workdir: Path, canned: Canned) -> list[Run]:
    """The app, then bare Bolt posting text, then bare Bolt posting the app's blocks."""
    with SlackEmulator(host=HOST) as emulator:
        inbox = Inbox(emulator)
        users = add_scouts(emulator, users_wanted)
        with real_app(emulator, workdir) as wsgi:
            runs = [in_process(wsgi, emulator, inbox, users, dialogues, bare=False,
                               canned=canned, label="app (in process)")]  # fmt: skip
        for name, blocks in BARES:
            wsgi = bare_wsgi(emulator.api_url, canned.replies if blocks else None)
            runs.append(in_process(wsgi, emulator, inbox, users, dialogues, bare=True,
                                   canned=canned, label=f"bare {name} (in process)",
                                   blocks=blocks))  # fmt: skip
    return runs


# -- part 2: concurrent scouts over HTTP ---------------------------------------------------


def load(url: str, emulator: SlackEmulator, inbox: Inbox, users: list[str], seconds: float,
         *, bare: bool, canned: Canned, label: str, think: float = 0.0,
         blocks: bool = False) -> Run:  # fmt: skip
    """Every scout in its own thread runs dialogues back to back until the time is up."""
    warm = Scout(users[0], TimedDriver(url, SECRET, emulator=emulator), emulator, inbox,
                 bare=bare, canned=canned, blocks=blocks)  # fmt: skip
    warm.dialogue([])  # warm-up (each worker's first requests import and connect)
    samples: list[Sample] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    gate = threading.Barrier(len(users) + 1)
    until = 0.0

    def scout_thread(user: str) -> None:
        scout = Scout(user, TimedDriver(url, SECRET, emulator=emulator), emulator, inbox,
                      bare=bare, canned=canned, blocks=blocks)  # fmt: skip
        mine: list[Sample] = []
        gate.wait()
        try:
            while time.perf_counter() < until:
                scout.dialogue(mine, until, think)
        except Exception as error:  # a lost reply or a refused request: count it, stop scout
            with lock:
                errors.append(error)
        with lock:
            samples.extend(mine)

    threads = [threading.Thread(target=scout_thread, args=(u,), daemon=True) for u in users]
    for thread in threads:
        thread.start()
    overflows = listen_overflows()
    until = time.perf_counter() + seconds
    started = time.perf_counter()
    gate.wait()
    for thread in threads:
        thread.join(seconds + 60)
    wall = time.perf_counter() - started
    if errors:
        NOTES.append(f"  {label}: {len(errors)} scout(s) gave up: {errors[0]!r}")
    after = listen_overflows()
    dropped = None if overflows is None or after is None else after - overflows
    return Run(label, samples, wall, errors=len(errors), overflows=dropped, started=started)


class WideLocalServer(LocalServer):
    """LocalServer with a listen backlog of 128 instead of socketserver's 5 (a bench variant)."""

    def __init__(self, app: WSGIApp, *, host: str = HOST, port: int = 0) -> None:
        server_class = type("WideServer", (web._ThreadingWSGIServer,), {"request_queue_size": 128})
        self._server = make_server(
            host, port, app, server_class=server_class, handler_class=web._QuietHandler
        )
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)


def part_two_local(users_wanted: int, seconds: float, workdir: Path, canned: Canned,
                   server_class: type[LocalServer] = LocalServer,
                   name: str = "LocalServer", think: float = 0.0) -> list[Run]:  # fmt: skip
    results = []
    for who, blocks in (("app", False), *BARES):
        bare = who != "app"
        with SlackEmulator(host=HOST) as emulator:
            inbox = Inbox(emulator)
            users = add_scouts(emulator, users_wanted)
            with _maybe_real(emulator, workdir, bare, canned.replies if blocks else None) as wsgi:
                server = server_class(wsgi, host=HOST).start()
                try:
                    label = f"{'bare ' if bare else ''}{who} {name} x{len(users)}"
                    results.append(load(server.url, emulator, inbox, users, seconds, bare=bare,
                                        canned=canned, label=label, think=think,
                                        blocks=blocks))  # fmt: skip
                finally:
                    server.stop()
    return results


@contextmanager
def _maybe_real(emulator: SlackEmulator, workdir: Path, bare: bool,
                replies: dict[int, dict] | None = None) -> Iterator[WSGIApp]:  # fmt: skip
    if bare:
        yield bare_wsgi(emulator.api_url, replies)
    else:
        with real_app(emulator, workdir) as wsgi:
            yield wsgi


def _clean_env(**values: str) -> dict[str, str]:
    ours = ("SLACK_", "VALUESCOUT_", "DATABASE_URL", "BENCH_")
    return {k: v for k, v in os.environ.items() if not k.startswith(ours)} | values


@contextmanager
def gunicorn(
    emulator: SlackEmulator,
    workdir: Path,
    *,
    bare: bool,
    workers: int,
    database: str | None = None,
    log: list[str] | None = None,
    replies: dict[int, dict] | None = None,
) -> Iterator[str]:
    """`valuescout web` (or the bare app under the same Gunicorn settings) on a free port.

    database: the app's DATABASE_URL (default: a fresh SQLite file in workdir); log: gets
    the server's output once it has stopped; replies: the bare app posts these blocks.
    """
    port = free_port()
    python = sys.executable
    env = _clean_env(LOG_LEVEL="WARNING", PYTHONPATH=str(ROOT))
    if bare:
        env |= {"BENCH_API_URL": emulator.api_url}
        if replies:
            path = workdir / f"replies-{time.monotonic_ns()}.json"
            env |= {REPLIES_ENV: str(write_replies(replies, path))}
        args = [python, "-m", "gunicorn", "--bind", f"{HOST}:{port}", "--workers", str(workers),
                "--threads", "8", "--worker-class", "gthread", "--chdir", str(ROOT),
                "--log-level", "warning", "bench.dialogue_bare:bare_from_env()"]  # fmt: skip
        expected_auth = workers
    else:
        database = database or f"sqlite:///{workdir / f'gunicorn-{time.monotonic_ns()}.db'}"
        env |= bench_env(emulator.api_url, database)
        args = [python, "-m", "bot", "web", "--host", HOST, "--port", str(port),
                "--workers", str(workers)]  # fmt: skip
        expected_auth = workers + 1  # check_slack, then one per worker's App
    process = subprocess.Popen(args, env=env, cwd=workdir, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn ended early:\n{process.stdout.read()}")
            if time.monotonic() > deadline:
                raise RuntimeError("gunicorn never became ready")
            if len(emulator.calls_to("auth.test")) >= expected_auth and _healthy(port):
                break
            time.sleep(0.2)
        yield f"http://{HOST}:{port}{EVENTS_PATH}"
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            output, _ = process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            output, _ = process.communicate()
        if log is not None:
            log.append(output or "")


def _healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://{HOST}:{port}/healthz", timeout=1) as response:
            return response.status == 200
    except OSError:
        return False


def part_two_gunicorn(users_wanted: int, seconds: float, workdir: Path, canned: Canned,
                      workers: int) -> list[Run]:  # fmt: skip
    results = []
    for who, blocks in (("app", False), *BARES):
        bare = who != "app"
        replies = canned.replies if blocks else None
        with SlackEmulator(host=HOST) as emulator:
            inbox = Inbox(emulator)
            users = add_scouts(emulator, users_wanted)
            with gunicorn(emulator, workdir, bare=bare, workers=workers, replies=replies) as url:
                label = f"{'bare ' if bare else ''}{who} gunicorn {workers}w x{len(users)}"
                results.append(load(url, emulator, inbox, users, seconds, bare=bare,
                                    canned=canned, label=label, blocks=blocks))  # fmt: skip
    return results


def settled(app: Run, *bare: Run) -> str:
    """Ack p99 without the load's first second (every scout's first request at once)."""
    figures = ", ".join(f"{run.label} {ms(run.settled_ack(99)).strip()}" for run in (app, *bare))
    return f"    ack p99 ms from {SETTLE:g} s into the load: {figures}"


# -- main ----------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    canned = Canned()
    lines: list[str] = []
    begun = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="valuescout-bench-") as tmp:
        workdir = Path(tmp)
        if args.only in (None, "inproc"):
            lines += _part_one_lines(args, workdir, canned)
        if args.only != "inproc":
            lines += _part_two_lines(args, workdir, canned)
    lines += NOTES
    lines.append(f"\n  total {time.perf_counter() - begun:.0f} s; cores {os.cpu_count()}")
    print("\n".join(lines))
    return 0


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dialogues", type=int, default=100, help="part 1: dialogues per app")
    parser.add_argument("--scouts", type=int, default=50, help="part 2: concurrent scouts")
    parser.add_argument("--duration", type=float, default=15.0, help="part 2: seconds per load")
    parser.add_argument("--think", type=float, default=1.0,
                        help="part 2: also a paced LocalServer run, this many s between steps "
                        "(0: skip it)")  # fmt: skip
    parser.add_argument("--workers", type=int, default=2, help="Gunicorn workers")
    parser.add_argument("--no-gunicorn", action="store_true", help="part 2 on LocalServer only")
    parser.add_argument("--only", choices=("inproc", "http", "gunicorn"),
                        help="run one part (gunicorn: part 2 under Gunicorn only)")  # fmt: skip
    parser.add_argument("--quick", action="store_true", help="~20 s: 15 dialogues, 4 s loads")
    args = parser.parse_args(argv)
    if args.quick:
        args.dialogues, args.duration, args.no_gunicorn = 15, 4.0, True
        args.think = 0.0
    return args


def _part_one_lines(args: argparse.Namespace, workdir: Path, canned: Canned) -> list[str]:
    app, text, blocks = part_one(args.dialogues, args.scouts, workdir, canned)
    return [f"Part 1: {args.dialogues} dialogues x {len(STEPS)} steps, in process "
            "(WSGI callable, SQLite file, emulator over loopback)", HEADER,
            app.row(), text.row(), blocks.row(), *_ratios(app, text, blocks),
            per_step(app), ack_by_kind(app), ack_by_kind(text), ack_by_kind(blocks)]  # fmt: skip


def _ratios(app: Run, text: Run, blocks: Run) -> list[str]:
    """Both of issue 17's dialogue goals: <= 2x bare Bolt posting text, <= 1.5x posting blocks."""
    lines = []
    for bare, name, goal in ((text, "bare text", 2.0), (blocks, "bare blocks", 1.5)):
        target = "OK" if worst_ratio(app, bare) <= goal else "MISSED"
        lines.append(compare(app, bare, f"[target <= {goal:g}: {target}]", against=name))
    return lines


def _part_two_lines(args: argparse.Namespace, workdir: Path, canned: Canned) -> list[str]:
    if not canned.buttons:  # the bare runs replay the app's buttons and post its replies
        with SlackEmulator(host=HOST) as emulator, real_app(emulator, workdir) as wsgi:
            scout = Scout(SEED.scout, InProcessDriver(wsgi, emulator), emulator,
                          Inbox(emulator), bare=False, canned=canned)  # fmt: skip
            scout.dialogue([])
    loads = []
    if args.only != "gunicorn":
        loads.append(part_two_local(args.scouts, args.duration, workdir, canned))
    if not args.quick and args.only != "gunicorn":
        loads.append(part_two_local(args.scouts, args.duration, workdir, canned,
                                    WideLocalServer, "LocalServer/128"))  # fmt: skip
    if args.think and args.only != "gunicorn":
        paced = f"LocalServer think {args.think:g}s"
        loads.append(part_two_local(args.scouts, args.duration, workdir, canned,
                                    name=paced, think=args.think))  # fmt: skip
    if not args.no_gunicorn:
        loads.append(part_two_gunicorn(args.scouts, args.duration, workdir, canned,
                                       args.workers))  # fmt: skip
    lines = ["", f"Part 2: {args.scouts} concurrent scouts over loopback HTTP, "
             f"{args.duration:g} s each, back to back unless 'think'; "
             "backlog = SYNs dropped on full listen queues", HEADER]  # fmt: skip
    for app, text, blocks in loads:
        target = "OK" if app.ack(99) < 0.100 else "MISSED"
        lines += [app.row(), text.row(), blocks.row(),
                  f"  [target app ack p99 < 100 ms: {target}]", *_ratios(app, text, blocks),
                  ack_by_kind(app), ack_by_step(app), settled(app, text, blocks)]  # fmt: skip
    return lines


if __name__ == "__main__":
    sys.exit(main())
