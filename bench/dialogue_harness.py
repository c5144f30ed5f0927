"""The dialogue benchmark's harness: signed-request drivers, scouts, the inbox they watch, figures."""

from __future__ import annotations

import io
import math
import random
import statistics
import sys
import threading
import time
from dataclasses import dataclass, field

from bot.emulator import DriverResponse, SlackDriver, SlackEmulator
from bot.web import EVENTS_PATH, WSGIApp

SECRET = "bench-signing-secret"
BARE_REPLY = "bare-ok"
RETRIES = 3
SETTLE = 1.0  # seconds of a load's start left out of the settled ack percentiles
NOTES: list[str] = []
HOST = "127.0.0.1"

# (kind, text or button label, what the bot's reply to wait for contains)
STEPS: tuple[tuple[str, str, str], ...] = (
    ("say", "hi", "Which customer"),
    ("say", "Globex", "achieve"),
    ("say", "Onboard a new store in one day instead of two weeks", "stands in the way"),
    ("say", "Every store waits 2 weeks for a consultant to set up the POS", "deliver this today"),
    ("click", "Partly", "worth"),
    ("say", "40k EUR", "pressure"),
    ("say", "2027-03-31 the board decides the rollout budget, owner: the CFO", "Who wants"),
    ("click", "Executive / economic owner", "word for word"),
    ("say", "“We lose two weeks per store”", "check and submit"),
    ("click", "Submit", "on its way"),
)
STEP_NAMES = (
    "hi", "account", "outcome", "gap", "click fit", "value", "event", "click who cares", "evidence",
    "click submit",
)  # fmt: skip


# -- watching the emulator -----------------------------------------------------------------


class Inbox:
    """The bot's posts (and redraws) per DM, fed by the emulator's message listener (no polling)."""

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
        # A redrawn message counts as it arrives: a click's answer may come as the clicked
        # question redrawn with the next one below it.
        bot = message.get("user") == self._bot
        if kind not in ("posted", "updated") or not bot or not channel.startswith("D"):
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
    sent: float = math.nan  # when the request left (perf_counter)


@dataclass
class Canned:
    """Captured from the app for the bare runs: the messages with the buttons clicked, and
    the app's reply to each step (its text and blocks) for the bare app that posts them."""

    buttons: dict[str, tuple[dict, dict, dict]] = field(default_factory=dict)
    replies: dict[int, dict] = field(default_factory=dict)

    def keep_reply(self, index: int, message: dict) -> None:
        self.replies.setdefault(index, {"text": message.get("text", ""),
                                        "blocks": message.get("blocks", [])})  # fmt: skip


def step_of(body: dict) -> int | None:
    """Which step a request is (by the text typed or the button's label), for the bare app."""
    if "event" in body:
        kind, what = "say", body["event"].get("text")
    else:
        kind, what = "click", ((body.get("actions") or [{}])[0].get("text") or {}).get("text")
    return next((i for i, (k, w, _) in enumerate(STEPS) if (k, w) == (kind, what)), None)


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
        blocks: bool = False,
    ) -> None:
        """bare: the bare app answers (with BARE_REPLY, or with blocks: the app's replies)."""
        self.user, self.driver, self.inbox = user, driver, inbox
        self.dm = emulator.dm_channel_for(user)
        self.bare, self.canned, self.timeout = bare, canned, timeout
        self.blocks = blocks

    def step(self, index: int, samples: list[Sample]) -> None:
        """One step; a request the server never took (connection refused/reset) is retried."""
        for attempt in range(RETRIES):
            try:
                samples.append(self._step(index))
                return
            except OSError as error:  # the request never reached the app: like Slack, retry
                failed = time.perf_counter() - self.driver.sent_at
                samples.append(Sample(index, failed, math.nan, 0, self.driver.sent_at))
                if attempt == RETRIES - 1:
                    raise ConnectionError(f"step {STEP_NAMES[index]} failed {RETRIES}x") from error

    def _step(self, index: int) -> Sample:
        kind, what, expect = STEPS[index]
        if self.bare and not self.blocks:
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
            return Sample(index, response.elapsed, math.nan, response.status, sent)
        arrived, reply = self.inbox.wait(self.dm, before, expect, self.timeout)
        if not self.bare:
            self.canned.keep_reply(index, reply)
        return Sample(index, response.elapsed, arrived - sent, response.status, sent)

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
    started: float = math.nan  # when the scouts were let go (perf_counter), for a load

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

    def settled_ack(self, q: float, after: float = SETTLE) -> float:
        """The ack percentile over requests sent `after` s into a load or later: every scout
        is let go at once, so the first second holds all of their first requests within a
        few ms of each other (queued in the load generator's own process before they leave)."""
        return pct([s.ack for s in self.samples if s.status and s.sent - self.started >= after], q)

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


def compare(app: Run, bare: Run, target_note: str, against: str = "bare") -> str:
    return (
        f"  ratio app/{against}: done p50 {ratio(app.done(50), bare.done(50))}, "
        f"ack p50 {ratio(app.ack(50), bare.ack(50))}, ack p99 {ratio(app.ack(99), bare.ack(99))}, "
        f"throughput {against}/app {ratio(bare.rate, app.rate)}  {target_note}"
    )


def worst_ratio(app: Run, bare: Run) -> float:
    """The larger of the reply-time and throughput ratios (the figure issue 17's goals bound)."""
    return max(app.done(50) / bare.done(50), bare.rate / app.rate)


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


def ack_by_step(run: Run) -> str:
    """Ack p99 per step: which step's requests make the tail (a step follows its predecessor's
    after-ack work, which may still run in the same worker)."""
    parts = []
    for index, name in enumerate(STEP_NAMES):
        acks = [s.ack for s in run.samples if s.status and s.step == index]
        parts.append(f"{name} {ms(pct(acks, 99)).strip()}")
    return f"    {run.label}: ack p99 ms by step: " + ", ".join(parts)
