"""Where a dialogue step's CPU goes: cProfile on a thread CPU clock, SQL statements and Web API
calls per step, over N in-process dialogues (bench/dialogue.py's part 1 harness).

    .venv/bin/python bench/dialogue_profile.py --dialogues 30            # counts and top functions
    .venv/bin/python bench/dialogue_profile.py --dialogues 30 --sort tottime --top 40

The request thread (signature gate, Bolt dispatch, the ack) and the work after the ack (each
lazy listener in the app's pool) are profiled separately, each on its own thread's CPU clock,
so the figures are CPU seconds whatever the machine's load. The emulator and the delivery
thread run in the same process and are not profiled.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import Engine, event  # noqa: E402

from bench.dialogue import add_scouts, bench_settings  # noqa: E402
from bench.dialogue_harness import (  # noqa: E402
    HOST,
    SECRET,
    STEP_NAMES,
    STEPS,
    Canned,
    Inbox,
    InProcessDriver,
    Sample,
    Scout,
)
from bot.app import after_ack_work  # noqa: E402
from bot.cli.runtime import compose, prepare_database  # noqa: E402
from bot.emulator import SlackEmulator  # noqa: E402
from bot.web import build_wsgi_app  # noqa: E402


class Profiles:
    """One profiler per thread's piece of work (cProfile profiles only its own thread)."""

    def __init__(self, *, profile: bool = True, clock=time.thread_time) -> None:
        self._lock = threading.Lock()
        self.profile, self.clock = profile, clock
        self.stats: dict[str, pstats.Stats | None] = {"request": None, "after-ack": None}
        self.cpu: Counter[str] = Counter()
        self.on = False

    @contextmanager
    def profiled(self, part: str) -> Iterator[None]:
        if not self.on:
            yield
            return
        profile = cProfile.Profile(self.clock) if self.profile else None
        started = time.thread_time()
        if profile is not None:
            profile.enable()
        try:
            yield
        finally:
            if profile is not None:
                profile.disable()
            self._add(part, profile, time.thread_time() - started)

    def _add(self, part: str, profile: cProfile.Profile | None, cpu: float) -> None:
        with self._lock:
            self.cpu[part] += cpu
            if profile is None:
                return
            if self.stats[part] is None:
                self.stats[part] = pstats.Stats(profile)
            else:
                self.stats[part].add(profile)


class Counts:
    """SQL statements by the thread that ran them (request or after-ack)."""

    def __init__(self) -> None:
        self.statements: Counter[str] = Counter()
        self.texts: Counter[str] = Counter()
        self.on = False

    def hook(self, engine: Engine) -> None:
        @event.listens_for(engine, "before_cursor_execute")
        def counted(conn, cursor, statement, parameters, context, executemany) -> None:
            if self.on:
                part = _part(threading.current_thread())
                self.statements[part] += 1
                self.texts[" ".join(statement.split())[:110]] += 1


def _part(thread: threading.Thread) -> str:
    if thread is threading.main_thread():
        return "request"
    return "after-ack" if thread.name.startswith("after-ack") else "other"


def profile_run(dialogues: int, *, sort: str, top: int, show_sql: bool, profile: bool,
                wall: bool = False) -> None:  # fmt: skip
    clock = time.perf_counter if wall else time.thread_time
    profiles, counts = Profiles(profile=profile, clock=clock), Counts()
    with (
        tempfile.TemporaryDirectory(prefix="valuescout-profile-") as tmp,
        SlackEmulator(host=HOST) as emulator,
    ):
        settings = bench_settings(emulator, f"sqlite:///{Path(tmp) / 'profile.db'}")
        engine = prepare_database(settings)
        counts.hook(engine)
        parts = compose(settings, engine=engine)
        parts.delivery.start()
        pool = after_ack_work(parts.app)
        original_submit = pool.submit

        def submit(fn, /, *args, **kwargs):
            def run():
                with profiles.profiled("after-ack"):
                    return fn(*args, **kwargs)

            return original_submit(run)

        pool.submit = submit
        wsgi = build_wsgi_app(bolt_app=parts.app, engine=engine, signing_secret=SECRET)

        def profiled_wsgi(environ, start_response):
            with profiles.profiled("request"):
                return wsgi(environ, start_response)

        inbox = Inbox(emulator)
        users = add_scouts(emulator, 20)
        driver = InProcessDriver(profiled_wsgi, emulator)
        scouts = [Scout(u, driver, emulator, inbox, bare=False, canned=Canned()) for u in users]
        scouts[0].dialogue([])  # warm-up
        pool.wait_idle(10)
        calls_before = len(emulator.calls)
        profiles.on = counts.on = True
        samples: list[Sample] = []
        for number in range(dialogues):
            scouts[(number + 1) % len(scouts)].dialogue(samples)
        pool.wait_idle(10)
        profiles.on = counts.on = False
        calls = Counter(c.method for c in emulator.calls[calls_before:])
        parts.delivery.stop(timeout=5)
        engine.dispose()
    _report(dialogues, samples, profiles, counts, calls, sort=sort, top=top, show_sql=show_sql)


def _report(dialogues, samples, profiles, counts, calls, *, sort, top, show_sql) -> None:
    steps = dialogues * len(STEPS)
    print(f"{dialogues} dialogues x {len(STEPS)} steps = {steps} steps ({len(samples)} sampled)")
    print(f"  SQL statements per step on other threads (delivery): "
          f"{counts.statements['other'] / steps:.2f}")  # fmt: skip
    for part in ("request", "after-ack"):
        print(f"  CPU {part}: {profiles.cpu[part] / steps * 1000:.2f} ms per step "
              f"({'under cProfile' if profiles.profile else 'thread CPU clock'}); SQL statements per step: "
              f"{counts.statements[part] / steps:.2f}")  # fmt: skip
    print("  Web API calls per step: " + ", ".join(
        f"{method} {n / steps:.2f}" for method, n in calls.most_common()))  # fmt: skip
    print("  Web API calls per dialogue: " + ", ".join(
        f"{method} {n / dialogues:.2f}" for method, n in calls.most_common()))  # fmt: skip
    print("  steps: " + ", ".join(STEP_NAMES))
    if show_sql:
        print("\nSQL statements per dialogue:")
        for text, n in counts.texts.most_common():
            print(f"  {n / dialogues:6.2f}  {text}")
    for part in ("request", "after-ack"):
        stats = profiles.stats[part]
        if stats is not None:
            print(f"\n== {part} ==")
            stats.sort_stats(sort).print_stats(top)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dialogues", type=int, default=30)
    parser.add_argument("--sort", default="cumulative", help="pstats sort key")
    parser.add_argument("--top", type=int, default=35, help="functions listed per part")
    parser.add_argument("--sql", action="store_true", help="list the SQL statements")
    parser.add_argument("--cpu-only", action="store_true",
                        help="no cProfile: CPU per step on the thread clocks only")  # fmt: skip
    parser.add_argument("--wall", action="store_true",
                        help="profile on the wall clock (where the waiting is), not CPU")  # fmt: skip
    args = parser.parse_args(argv)
    profile_run(args.dialogues, sort=args.sort, top=args.top, show_sql=args.sql,
                profile=not args.cpu_only, wall=args.wall)  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
