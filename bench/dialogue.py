"""Dialogue benchmark: the real app against a bare Bolt app, on the same signed requests.

    .venv/bin/python bench/dialogue.py                 # full run (~2-3 min)
    .venv/bin/python bench/dialogue.py --quick         # ~20 s, LocalServer only
    .venv/bin/python bench/dialogue.py --dialogues 50 --scouts 50 --duration 15 --no-gunicorn

Part 1, in process: N complete DM dialogues (hi → account → outcome → gap → click fit →
value → event → click Submit), each request signed as Slack signs it and handed to the WSGI
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
import io
import logging
import math
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # `python bench/dialogue.py` puts bench/, not the repo, first
    sys.path.insert(0, str(ROOT))

from wsgiref.simple_server import make_server  # noqa: E402

from slack_bolt import App  # noqa: E402

from bot import web  # noqa: E402
from bot.cli.runtime import compose, prepare_database  # noqa: E402
from bot.emulator import SEED, DriverResponse, SlackDriver, SlackEmulator  # noqa: E402
from bot.settings import Settings, load_settings  # noqa: E402
from bot.slack_client import build_web_client  # noqa: E402
from bot.web import EVENTS_PATH, LocalServer, WSGIApp, build_wsgi_app  # noqa: E402
from storage.engine import create_engine_for  # noqa: E402

SECRET = "bench-signing-secret"
BARE_REPLY = "bare-ok"
RETRIES = 3
NOTES: list[str] = []
HOST = "127.0.0.1"

# (kind, text or button label, what the bot's reply to wait for contains)
STEPS: tuple[tuple[str, str, str], ...] = (
    ("say", "hi", "Which customer"),
    ("say", "Globex", "achieve"),
    ("say", "Onboard a new store in one day instead of two weeks", "stands in the way"),
    ("say", "Every store needs a consultant on site to set up the POS", "deliver this today"),
    ("click", "Partly", "worth"),
    ("say", "40k EUR", "pressure"),
    ("say", "2027-03-31 the board decides the rollout budget", "check and submit"),
    ("click", "Submit", "on its way"),
)
STEP_NAMES = ("hi", "account", "outcome", "gap", "click fit", "value", "event", "click submit")


# -- settings, apps, servers ---------------------------------------------------------------


def bench_env(api_url: str, database_url: str) -> dict[str, str]:
    """The app's settings as environment variables (as tests/e2e/conftest.e2e_settings)."""
    return {
        "SLACK_BOT_TOKEN": SEED.bot_token,
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_APP_TOKEN": "",
        "SLACK_API_URL": api_url,
        "DATABASE_URL": database_url,
        "VALUESCOUT_SALES_CHANNEL": SEED.sales,
        "VALUESCOUT_MARKETING_CHANNEL": SEED.marketing,
        "VALUESCOUT_PRODUCT_CHANNEL": SEED.product,
        "VALUESCOUT_COACH_CHANNEL": SEED.coaches,
        "VALUESCOUT_ADMINS": SEED.admin,
        "VALUESCOUT_TIMEZONE": "Europe/Berlin",
    }


def bench_settings(emulator: SlackEmulator, database_url: str) -> Settings:
    return load_settings(_env_file=None, **bench_env(emulator.api_url, database_url))


@contextmanager
def real_app(emulator: SlackEmulator, workdir: Path) -> Iterator[WSGIApp]:
    """The app as `valuescout web` builds it, on a fresh migrated SQLite file."""
    path = workdir / f"valuescout-{time.monotonic_ns()}.db"
    settings = bench_settings(emulator, f"sqlite:///{path}")
    engine = prepare_database(settings)  # upgrade + seed_route_channels
    parts = compose(settings, engine=engine)
    parts.delivery.start()
    try:
        yield build_wsgi_app(bolt_app=parts.app, engine=parts.engine, signing_secret=SECRET)
    finally:
        parts.delivery.stop(timeout=5)
        engine.dispose()


def bare_bolt_app(settings: Settings) -> App:
    """Acks, posts one fixed reply: the floor any Bolt app on this stack pays."""
    app = App(
        client=build_web_client(settings),
        signing_secret=SECRET,
        process_before_response=False,
    )

    @app.event("message")
    def on_message(event: dict, client) -> None:
        client.chat_postMessage(channel=event["channel"], text=BARE_REPLY)

    @app.action(re.compile(".*"))
    def on_action(ack, body: dict, client) -> None:
        ack()
        client.chat_postMessage(channel=body["container"]["channel_id"], text=BARE_REPLY)

    return app


def bare_wsgi(api_url: str) -> WSGIApp:
    settings = load_settings(_env_file=None, **bench_env(api_url, "sqlite://"))
    engine = create_engine_for("sqlite://")  # only /healthz uses it
    return build_wsgi_app(bolt_app=bare_bolt_app(settings), engine=engine, signing_secret=SECRET)


def bare_from_env() -> WSGIApp:
    """Gunicorn factory: `gunicorn 'bench.dialogue:bare_from_env()'` with BENCH_API_URL set."""
    return bare_wsgi(os.environ["BENCH_API_URL"])


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


# -- watching the emulator -----------------------------------------------------------------


class Inbox:
    """The bot's posts per DM, fed by the emulator's message listener (no polling)."""

    def __init__(self, emulator: SlackEmulator) -> None:
        self._lock = threading.Lock()
        self._posted: dict[str, list[tuple[float, str, dict]]] = {}
        self._conditions: dict[str, threading.Condition] = {}
        self._bot = emulator.seed.bot_user_id
        emulator.on_message(self._on_message)

    def _condition(self, channel: str) -> threading.Condition:
        with self._lock:
            return self._conditions.setdefault(channel, threading.Condition())

    def _on_message(self, channel: str, message: dict, kind: str) -> None:
        if kind != "posted" or message.get("user") != self._bot or not channel.startswith("D"):
            return
        arrived = time.perf_counter()
        condition = self._condition(channel)
        with condition:
            self._posted.setdefault(channel, []).append((arrived, str(message), message))
            condition.notify_all()

    def count(self, channel: str) -> int:
        with self._condition(channel):
            return len(self._posted.get(channel, []))

    def recent(self, channel: str) -> list[dict]:
        with self._condition(channel):
            return [m for _, _, m in reversed(self._posted.get(channel, []))]

    def wait(self, channel: str, before: int, expect: str, timeout: float) -> tuple[float, dict]:
        """(arrival time, message) of the first post after index `before` containing `expect`."""
        condition = self._condition(channel)
        deadline = time.monotonic() + timeout
        with condition:
            while True:
                for arrived, text, message in self._posted.get(channel, [])[before:]:
                    if expect in text:
                        return arrived, message
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(f"no bot message with {expect!r} in {channel}")
                condition.wait(remaining)


def find_button(messages: list[dict], label: str) -> tuple[dict, dict, dict]:
    """(message, block, element) of the newest button labelled `label`."""
    for message in messages:
        for block in message.get("blocks", []):
            elements = block.get("elements", []) if block.get("type") == "actions" else []
            if block.get("accessory"):
                elements = [block["accessory"]]
            for element in elements:
                if element.get("text", {}).get("text") == label and "action_id" in element:
                    return message, block, element
    raise LookupError(f"no button {label!r}")


# -- drivers: the same signed bodies, in process or over HTTP ------------------------------


class TimedDriver(SlackDriver):
    """SlackDriver over HTTP that notes when the request left (for the done time)."""

    sent_at = 0.0

    def raw(self, body: bytes | str, headers: dict[str, str]) -> DriverResponse:
        self.sent_at = time.perf_counter()
        return super().raw(body, headers)


class InProcessDriver(SlackDriver):
    """SlackDriver whose transport is a direct call of the WSGI callable (no socket)."""

    sent_at = 0.0

    def __init__(self, wsgi: WSGIApp, emulator: SlackEmulator) -> None:
        super().__init__(f"http://{HOST}{EVENTS_PATH}", SECRET, emulator=emulator)
        self.wsgi = wsgi

    def raw(self, body: bytes | str, headers: dict[str, str]) -> DriverResponse:
        data = body.encode() if isinstance(body, str) else body
        environ = {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": EVENTS_PATH,
            "QUERY_STRING": "",
            "SERVER_NAME": HOST,
            "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": HOST,
            "CONTENT_LENGTH": str(len(data)),
            "wsgi.input": io.BytesIO(data),
            "wsgi.errors": sys.stderr,
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": "http",
            "wsgi.multithread": True,
            "wsgi.multiprocess": False,
            "wsgi.run_once": False,
        }
        for name, value in headers.items():
            if name.lower() == "content-type":
                environ["CONTENT_TYPE"] = value
            else:
                environ["HTTP_" + name.upper().replace("-", "_")] = value
        answer: list = []
        self.sent_at = started = time.perf_counter()
        chunks = self.wsgi(
            environ, lambda status, head, exc_info=None: answer.append((status, head))
        )
        text = b"".join(chunks)
        elapsed = time.perf_counter() - started
        status, head = answer[0]
        return DriverResponse(int(status.split()[0]), dict(head), text.decode(), elapsed)


# -- one scout running dialogues -----------------------------------------------------------


@dataclass
class Sample:
    step: int
    ack: float  # seconds to the HTTP response
    done: float  # seconds to the reply in the DM
    status: int


@dataclass
class Canned:
    """Messages with the fit and Submit buttons, captured from the app, for the bare run."""

    buttons: dict[str, tuple[dict, dict, dict]] = field(default_factory=dict)


class Scout:
    def __init__(
        self,
        user: str,
        driver: TimedDriver | InProcessDriver,
        emulator: SlackEmulator,
        inbox: Inbox,
        *,
        bare: bool,
        canned: Canned,
        timeout: float = 20.0,
    ) -> None:
        self.user, self.driver, self.inbox = user, driver, inbox
        self.dm = emulator.dm_channel_for(user)
        self.bare, self.canned, self.timeout = bare, canned, timeout

    def step(self, index: int, samples: list[Sample]) -> None:
        """One step; a request the server never took (connection refused/reset) is retried."""
        for attempt in range(RETRIES):
            try:
                samples.append(self._step(index))
                return
            except OSError as error:  # the request never reached the app: like Slack, retry
                failed = time.perf_counter() - self.driver.sent_at
                samples.append(Sample(index, failed, math.nan, 0))
                if attempt == RETRIES - 1:
                    raise ConnectionError(f"step {STEP_NAMES[index]} failed {RETRIES}x") from error

    def _step(self, index: int) -> Sample:
        kind, what, expect = STEPS[index]
        if self.bare:
            expect = BARE_REPLY
        before = self.inbox.count(self.dm)
        if kind == "say":
            response = self.driver.message(self.user, what)
        else:
            if self.bare:
                message, block, element = self.canned.buttons[what]
            else:
                message, block, element = find_button(self.inbox.recent(self.dm), what)
                self.canned.buttons.setdefault(what, (message, block, element))
            response = self.driver.block_action(
                user=self.user, action_id=element["action_id"], value=element.get("value"),
                block_id=block.get("block_id"), message=message, channel=self.dm,
            )  # fmt: skip
        sent = self.driver.sent_at
        if response.status != 200:
            return Sample(index, response.elapsed, math.nan, response.status)
        arrived, _ = self.inbox.wait(self.dm, before, expect, self.timeout)
        return Sample(index, response.elapsed, arrived - sent, response.status)

    def dialogue(self, samples: list[Sample], until: float = math.inf, think: float = 0.0) -> None:
        """One complete dialogue; `think` seconds (on average, randomised) before each step."""
        for index in range(len(STEPS)):
            if think:
                time.sleep(random.uniform(0.5, 1.5) * think)
            if time.perf_counter() >= until:
                return
            self.step(index, samples)


# -- statistics and printing ---------------------------------------------------------------


def pct(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100)."""
    ordered = sorted(v for v in values if not math.isnan(v))
    if not ordered:
        return math.nan
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def ms(seconds: float) -> str:
    return "   n/a" if math.isnan(seconds) else f"{seconds * 1000:6.1f}"


@dataclass
class Run:
    label: str
    samples: list[Sample]
    wall: float
    errors: int = 0
    overflows: int | None = None  # kernel ListenOverflows during the run (all sockets)

    @property
    def ok(self) -> list[Sample]:
        return [s for s in self.samples if s.status == 200 and not math.isnan(s.done)]

    @property
    def rate(self) -> float:
        return len(self.ok) / self.wall if self.wall else math.nan

    def ack(self, q: float) -> float:
        """Over requests the server answered (a refused connection is counted in `fail`)."""
        return pct([s.ack for s in self.samples if s.status], q)

    def done(self, q: float) -> float:
        return pct([s.done for s in self.ok], q)

    def row(self) -> str:
        bad = len(self.samples) - len(self.ok) + self.errors
        return (
            f"  {self.label:<30}{len(self.samples):>6}{self.rate:>8.1f}"
            f"  {ms(self.ack(50))} {ms(self.ack(99))}   {ms(self.done(50))} {ms(self.done(99))}"
            f"{bad:>6}{'' if self.overflows is None else self.overflows:>8}"
        )


HEADER = (
    f"  {'':<30}{'steps':>6}{'steps/s':>8}  {'ack ms':>6} {'':>6}   {'done ms':>6}\n"
    f"  {'':<30}{'':>6}{'':>8}  {'p50':>6} {'p99':>6}   {'p50':>6} {'p99':>6}{'fail':>6}{'backlog':>8}"
)


def ratio(a: float, b: float) -> str:
    return "n/a" if not b or math.isnan(a) or math.isnan(b) else f"{a / b:.2f}"


def compare(app: Run, bare: Run, target_note: str) -> str:
    return (
        f"  ratio app/bare: done p50 {ratio(app.done(50), bare.done(50))}, "
        f"ack p50 {ratio(app.ack(50), bare.ack(50))}, ack p99 {ratio(app.ack(99), bare.ack(99))}, "
        f"throughput bare/app {ratio(bare.rate, app.rate)}  {target_note}"
    )


def ack_by_kind(run: Run) -> str:
    """Messages are acked by Bolt at once; a click waits until its listener calls ack()."""
    parts = []
    for kind in ("say", "click"):
        acks = [s.ack for s in run.samples if s.status and STEPS[s.step][0] == kind]
        parts.append(f"{kind} p50 {ms(pct(acks, 50)).strip()} p99 {ms(pct(acks, 99)).strip()}")
    return f"    {run.label}: ack ms " + "; ".join(parts)


def per_step(run: Run) -> str:
    parts = []
    for index, name in enumerate(STEP_NAMES):
        done = [s.done for s in run.ok if s.step == index]
        parts.append(f"{name} {ms(statistics.median(done)).strip() if done else 'n/a'}")
    return "  app done p50 by step (ms): " + ", ".join(parts)


# -- part 1: in process --------------------------------------------------------------------


def in_process(wsgi: WSGIApp, emulator: SlackEmulator, inbox: Inbox, users: list[str],
               dialogues: int, *, bare: bool, canned: Canned, label: str) -> Run:  # fmt: skip
    driver = InProcessDriver(wsgi, emulator)
    scouts = [Scout(u, driver, emulator, inbox, bare=bare, canned=canned) for u in users]
    scouts[0].dialogue([])  # warm-up, not counted
    samples: list[Sample] = []
    started = time.perf_counter()
    for number in range(dialogues):
        scouts[(number + 1) % len(scouts)].dialogue(samples)
    return Run(label, samples, time.perf_counter() - started)


def part_one(dialogues: int, users_wanted: int, workdir: Path, canned: Canned) -> tuple[Run, Run]:
    with SlackEmulator(host=HOST) as emulator:
        inbox = Inbox(emulator)
        users = add_scouts(emulator, users_wanted)
        with real_app(emulator, workdir) as wsgi:
            app = in_process(wsgi, emulator, inbox, users, dialogues, bare=False, canned=canned,
                             label="app (in process)")  # fmt: skip
        bare = in_process(bare_wsgi(emulator.api_url), emulator, inbox, users, dialogues,
                          bare=True, canned=canned, label="bare (in process)")  # fmt: skip
    return app, bare


# -- part 2: concurrent scouts over HTTP ---------------------------------------------------


def load(url: str, emulator: SlackEmulator, inbox: Inbox, users: list[str], seconds: float,
         *, bare: bool, canned: Canned, label: str, think: float = 0.0) -> Run:  # fmt: skip
    """Every scout in its own thread runs dialogues back to back until the time is up."""
    warm = Scout(users[0], TimedDriver(url, SECRET, emulator=emulator), emulator, inbox,
                 bare=bare, canned=canned)  # fmt: skip
    warm.dialogue([])  # warm-up (each worker's first requests import and connect)
    samples: list[Sample] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    gate = threading.Barrier(len(users) + 1)
    until = 0.0

    def scout_thread(user: str) -> None:
        scout = Scout(user, TimedDriver(url, SECRET, emulator=emulator), emulator, inbox,
                      bare=bare, canned=canned)  # fmt: skip
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
    return Run(label, samples, wall, errors=len(errors), overflows=dropped)


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
                   name: str = "LocalServer", think: float = 0.0) -> tuple[Run, Run]:  # fmt: skip
    results = []
    for bare in (False, True):
        with SlackEmulator(host=HOST) as emulator:
            inbox = Inbox(emulator)
            users = add_scouts(emulator, users_wanted)
            with _maybe_real(emulator, workdir, bare) as wsgi:
                server = server_class(wsgi, host=HOST).start()
                try:
                    label = f"{'bare' if bare else 'app'} {name} x{len(users)}"
                    results.append(load(server.url, emulator, inbox, users, seconds, bare=bare,
                                        canned=canned, label=label, think=think))  # fmt: skip
                finally:
                    server.stop()
    return results[0], results[1]


@contextmanager
def _maybe_real(emulator: SlackEmulator, workdir: Path, bare: bool) -> Iterator[WSGIApp]:
    if bare:
        yield bare_wsgi(emulator.api_url)
    else:
        with real_app(emulator, workdir) as wsgi:
            yield wsgi


def _clean_env(**values: str) -> dict[str, str]:
    ours = ("SLACK_", "VALUESCOUT_", "DATABASE_URL", "BENCH_")
    return {k: v for k, v in os.environ.items() if not k.startswith(ours)} | values


@contextmanager
def gunicorn(emulator: SlackEmulator, workdir: Path, *, bare: bool, workers: int) -> Iterator[str]:
    """`valuescout web` (or the bare app under the same Gunicorn settings) on a free port."""
    port = free_port()
    python = sys.executable
    env = _clean_env(LOG_LEVEL="WARNING", PYTHONPATH=str(ROOT))
    if bare:
        env |= {"BENCH_API_URL": emulator.api_url}
        args = [python, "-m", "gunicorn", "--bind", f"{HOST}:{port}", "--workers", str(workers),
                "--threads", "8", "--worker-class", "gthread", "--chdir", str(ROOT),
                "--log-level", "warning", "bench.dialogue:bare_from_env()"]  # fmt: skip
        expected_auth = workers
    else:
        database = f"sqlite:///{workdir / f'gunicorn-{time.monotonic_ns()}.db'}"
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
            process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()


def _healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://{HOST}:{port}/healthz", timeout=1) as response:
            return response.status == 200
    except OSError:
        return False


def part_two_gunicorn(users_wanted: int, seconds: float, workdir: Path, canned: Canned,
                      workers: int) -> tuple[Run, Run]:  # fmt: skip
    results = []
    for bare in (False, True):
        with SlackEmulator(host=HOST) as emulator:
            inbox = Inbox(emulator)
            users = add_scouts(emulator, users_wanted)
            with gunicorn(emulator, workdir, bare=bare, workers=workers) as url:
                label = f"{'bare' if bare else 'app'} gunicorn {workers}w x{len(users)}"
                results.append(load(url, emulator, inbox, users, seconds,
                                    bare=bare, canned=canned, label=label))  # fmt: skip
    return results[0], results[1]


# -- main ----------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dialogues", type=int, default=100, help="part 1: dialogues per app")
    parser.add_argument("--scouts", type=int, default=50, help="part 2: concurrent scouts")
    parser.add_argument("--duration", type=float, default=15.0, help="part 2: seconds per load")
    parser.add_argument("--think", type=float, default=1.0,
                        help="part 2: also a paced LocalServer run, this many s between steps "
                        "(0: skip it)")  # fmt: skip
    parser.add_argument("--workers", type=int, default=2, help="Gunicorn workers")
    parser.add_argument("--no-gunicorn", action="store_true", help="part 2 on LocalServer only")
    parser.add_argument("--only", choices=("inproc", "http"), help="run one part")
    parser.add_argument("--quick", action="store_true", help="~20 s: 15 dialogues, 4 s loads")
    args = parser.parse_args(argv)
    if args.quick:
        args.dialogues, args.duration, args.no_gunicorn = 15, 4.0, True
        args.think = 0.0
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")

    canned = Canned()
    lines: list[str] = []
    begun = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="valuescout-bench-") as tmp:
        workdir = Path(tmp)
        if args.only != "http":
            app, bare = part_one(args.dialogues, args.scouts, workdir, canned)
            met = max(app.done(50) / bare.done(50), bare.rate / app.rate) <= 2.0
            target = "OK" if met else "MISSED"
            lines += [f"Part 1: {args.dialogues} dialogues x {len(STEPS)} steps, in process "
                      "(WSGI callable, SQLite file, emulator over loopback)", HEADER,
                      app.row(), bare.row(),
                      compare(app, bare, f"[target <= 2.0: {target}]"),
                      per_step(app), ack_by_kind(app), ack_by_kind(bare)]  # fmt: skip
        if args.only != "inproc":
            if not canned.buttons:  # the bare run replays the app's buttons
                with SlackEmulator(host=HOST) as emulator, real_app(emulator, workdir) as wsgi:
                    scout = Scout(SEED.scout, InProcessDriver(wsgi, emulator), emulator,
                                  Inbox(emulator), bare=False, canned=canned)  # fmt: skip
                    scout.dialogue([])
            loads = [part_two_local(args.scouts, args.duration, workdir, canned)]
            if not args.quick:
                loads.append(part_two_local(args.scouts, args.duration, workdir, canned,
                                            WideLocalServer, "LocalServer/128"))  # fmt: skip
            if args.think:
                paced = f"LocalServer think {args.think:g}s"
                loads.append(part_two_local(args.scouts, args.duration, workdir, canned,
                                            name=paced, think=args.think))  # fmt: skip
            if not args.no_gunicorn:
                loads.append(part_two_gunicorn(args.scouts, args.duration, workdir, canned,
                                               args.workers))  # fmt: skip
            lines += ["", f"Part 2: {args.scouts} concurrent scouts over loopback HTTP, "
                      f"{args.duration:g} s each, back to back unless 'think'; "
                      "backlog = SYNs dropped on full listen queues", HEADER]  # fmt: skip
            for app, bare in loads:
                target = "OK" if app.ack(99) < 0.100 else "MISSED"
                lines += [app.row(), bare.row(),
                          compare(app, bare, f"[target app ack p99 < 100 ms: {target}]"),
                          ack_by_kind(app)]  # fmt: skip
    lines += NOTES
    lines.append(f"\n  total {time.perf_counter() - begun:.0f} s; cores {os.cpu_count()}")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
