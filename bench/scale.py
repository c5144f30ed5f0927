"""Scale benchmark: what scouts feel on a company's history, each figure against a same-run baseline.

    .venv/bin/python bench/scale.py                        # 1,000,000 rows, SQLite and PostgreSQL
    .venv/bin/python bench/scale.py --backend sqlite --big 10000000
    .venv/bin/python bench/scale.py --quick                # a smoke run in seconds (CI runs it)

Per backend, on a seeded history (bench/digest.py's generator: discoveries over two years
with `--weekly` a week in the measured week and the 12 before it, routes, statuses, status
changes, and `--dialogues` old dialogue sessions with drafts):

- replies, in process (signed requests to the WSGI callable, the emulator as the Web API):
  time to the bot's reply for the first message of a new dialogue, for a step, and for
  Submit; baseline: the same on an empty database.
- load over HTTP: `--scouts` scouts at once under Gunicorn (`valuescout web`, `--workers`
  workers) for `--duration` s; ack p50/p99 and every error (non-200, lost replies, "went
  wrong" apologies, "database is locked" in the server's log); baseline: bare Bolt under
  the same server.
- digests: one week's build (median of `--repeat`) and tracemalloc's peak; baseline: a
  database holding only the 13 weeks the digests read (the same weekly volume, no older
  history); with `--big`, the same at that size too (goal: at most 1.5x the `--rows` time).

Figures are noisy (shared cores): read medians and ratios, never one absolute time.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # `python bench/scale.py` puts bench/, not the repo, first
    sys.path.insert(0, str(ROOT))

from bench import digest as digest_bench  # noqa: E402
from bench.dialogue_harness import (  # noqa: E402
    NOTES,
    SETTLE,
    STEP_NAMES,
    Canned,
    Run,
    ack_by_kind,
    ack_by_step,
)
from bench.scale_measure import (  # noqa: E402
    LOCKED,
    QUICK,
    Load,
    Options,
    Pacing,
    Report,
    databases,
    digest_figures,
    done,
    http_load,
    replies,
    seeded,
)

# -- one backend -------------------------------------------------------------------------------


def ratio(a: float, b: float) -> str:
    return "n/a" if not b or math.isnan(a) or math.isnan(b) else f"{a / b:.2f}x"


def verdict(ok: bool) -> str:
    return "OK" if ok else "MISSED"


def run_backend(backend: str, opts: Options, workdir: Path, report: Report) -> None:
    """Every figure on one backend, each beside its baseline."""
    canned = Canned()
    window = min(opts.rows, opts.weekly * digest_bench.WINDOW_WEEKS)
    opts.backend, opts.workdir = backend, workdir
    with databases(backend) as fresh, fresh(0) as empty:
        empty_runs = [replies(str_url(empty), workdir, opts, canned)]
        with seeded(fresh, -window, window, opts) as (small, _), \
                seeded(fresh, opts.rows, opts.rows, opts) as (engine, made):  # fmt: skip
            report.say(f"\n{backend}: {opts.rows:,} discoveries ({opts.weekly:,} a week in the last "
                       f"{digest_bench.WINDOW_WEEKS} weeks), {opts.dialogues:,} old dialogues; "
                       f"{_seeding(made)}")  # fmt: skip
            full_run = replies(str_url(engine), workdir, opts, canned)
            empty_runs.append(replies(str_url(empty), workdir, opts, canned))  # before and after
            empty_run = pooled(empty_runs)
            say_replies(report, backend, full_run, empty_run)
            if opts.big:
                big_part(backend, opts, fresh, (small, engine), workdir, canned, report, empty_run)
            else:
                base, full = digest_figures([small, engine], opts.repeat)
                say_digest(report, backend, opts.rows, full, window, base)
            if opts.http:
                app = http_load(str_url(engine), workdir, opts, canned, bare=False)
                bare = http_load(None, workdir, opts, canned, bare=True)
                say_load(report, backend, app, bare)


def big_part(backend: str, opts: Options, fresh: Callable, engines: tuple, workdir: Path,
             canned: Canned, report: Report, empty_run: tuple[Run, int]) -> None:  # fmt: skip
    """The digests at `opts.big` against `opts.rows` and the window, and the replies there."""
    assert opts.big is not None
    with seeded(fresh, opts.big, opts.big, opts) as (big, made):
        base, full, large = digest_figures([*engines, big], opts.repeat)
        big_run = replies(str_url(big), workdir, opts, canned)
    window = min(opts.rows, opts.weekly * digest_bench.WINDOW_WEEKS)
    say_digest(report, backend, opts.rows, full, window, base)
    report.say(f"  {opts.big:,} discoveries ({_seeding(made)}), the same weekly volume:")
    say_digest(report, f"{backend}.big", opts.big, large, opts.rows, full, goal=1.5)
    say_replies(report, f"{backend}.big", big_run, empty_run)


def _seeding(made: float | None) -> str:
    return "a kept seed, reused" if made is None else f"seeded in {made:.0f} s"


def pooled(runs: list[tuple[Run, int]]) -> tuple[Run, int]:
    """One run of every sample of several (a baseline measured before and after)."""
    samples = [sample for run, _ in runs for sample in run.samples]
    return Run(runs[0][0].label, samples, sum(run.wall for run, _ in runs)), sum(n for _, n in runs)


def str_url(engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def say_replies(report: Report, key: str, replied: tuple[Run, int], empty: tuple[Run, int]) -> None:
    """Times to the bot's reply on this database against the empty one (pooled before/after)."""
    (run, sorry), (baseline, empty_sorry) = replied, empty
    last = len(STEP_NAMES) - 1  # Submit's click; the steps between answer the questions
    first, step, submit = range(0, 1), range(1, last), range(last, last + 1)
    report.say("  time to the bot's reply, in process (p50 ms)   this DB   empty DB   ratio")
    for name, steps in (("first reply of a new dialogue", first), ("a step's reply", step),
                        ("Submit's reply", submit)):  # fmt: skip
        here, there = done(run, steps), done(baseline, steps)
        goal = f"  [goal <= 1.2x: {verdict(here <= 1.2 * there)}]" if steps is first else ""
        report.say(f"    {name:<42}{here * 1000:8.1f} {there * 1000:9.1f}   "
                   f"{ratio(here, there)}{goal}")  # fmt: skip
        report.figures[f"{key}.reply.{steps.start}"] = here / there if there else math.nan
    report.say("    each step, this DB / empty DB: " + ", ".join(
        f"{name} {done(run, range(i, i + 1)) * 1000:.0f}/{done(baseline, range(i, i + 1)) * 1000:.0f}"
        for i, name in enumerate(STEP_NAMES)))  # fmt: skip
    failed = len(run.samples) - len(run.ok) + len(baseline.samples) - len(baseline.ok)
    report.say(f"    errors: {failed} failed steps, {sorry + empty_sorry} 'went wrong' replies "
               f"({len(run.samples)} steps here, {len(baseline.samples)} on the empty DB)")  # fmt: skip
    report.figures[f"{key}.reply.errors"] = failed + sorry + empty_sorry


def say_digest(report: Report, key: str, rows: int, figures: tuple[float, int], base_rows: int,
               base: tuple[float, int], goal: float | None = None) -> None:  # fmt: skip
    (seconds, peak), (base_seconds, base_peak) = figures, base
    target = f"  [goal <= {goal}x: {verdict(seconds <= goal * base_seconds)}]" if goal else ""
    under = f"  [goal < 2 s: {verdict(seconds < 2)}]" if goal is None else ""
    report.say(f"  week's digests (builds of every size interleaved) at {rows:,} rows: {seconds:.3f} s, peak {peak / 1e6:.1f} MB; "
               f"at {base_rows:,}: {base_seconds:.3f} s, peak {base_peak / 1e6:.1f} MB; "
               f"time {ratio(seconds, base_seconds)}, memory {ratio(peak, base_peak)}"
               f"{under}{target}")  # fmt: skip
    report.figures[f"{key}.digest.seconds"] = seconds
    report.figures[f"{key}.digest.ratio"] = seconds / base_seconds if base_seconds else math.nan


def say_load(report: Report, key: str, app: Load, bare: Load) -> None:
    a, b = app.run, bare.run
    report.say(f"  {a.label}: ack p50 {a.ack(50) * 1000:.1f} ms p99 {a.ack(99) * 1000:.1f} ms, "
               f"{a.rate:.1f} steps/s; bare: ack p50 {b.ack(50) * 1000:.1f} ms p99 "
               f"{b.ack(99) * 1000:.1f} ms, {b.rate:.1f} steps/s; p99 ratio "
               f"{ratio(a.ack(99), b.ack(99))}  [goal p99 < 100 ms: {verdict(a.ack(99) < 0.1)}]")  # fmt: skip
    failed = len(a.samples) - len(a.ok) + a.errors
    report.say(f"    errors: {failed} failed or lost steps ({a.errors} scouts gave up), "
               f"{app.apologies} 'went wrong' replies, {app.locked} '{LOCKED}' in the log  "
               f"[goal 0: {verdict(failed + app.apologies + app.locked == 0)}]")  # fmt: skip
    report.say(ack_by_kind(a))
    report.say(ack_by_kind(b))
    report.say(ack_by_step(a))
    report.say(f"    from {SETTLE:g} s into the load (every scout's first request at once left out): "
               f"ack p99 {a.settled_ack(99) * 1000:.1f} ms, bare {b.settled_ack(99) * 1000:.1f} ms  "
               f"[goal p99 < 100 ms: {verdict(a.settled_ack(99) < 0.1)}]")  # fmt: skip
    report.figures[f"{key}.load.p99.settled"] = a.settled_ack(99)
    say_pacing(report, key, app.pacing)
    report.figures[f"{key}.load.p99"] = a.ack(99)
    report.figures[f"{key}.load.errors"] = failed + app.apologies + app.locked


def say_pacing(report: Report, key: str, pacing: Pacing) -> None:
    """Posts per channel per second as Slack received them, beside what the outbox queued."""
    gap = "n/a" if math.isnan(pacing.min_gap) else f"{pacing.min_gap * 1000:.0f} ms"
    report.say(f"  posts per channel (emulator's receive times, {pacing.channels} channels, "
               f"{pacing.posts} posts): at most {pacing.most_posted} in any 1 s, shortest gap "
               f"{gap}; queued by the outbox: {pacing.queued} rows, at most "
               f"{pacing.most_queued} for one channel in any 1 s  "
               f"[goal <= 1 per s: {verdict(pacing.posts > 0 and pacing.most_posted <= 1)}]")  # fmt: skip
    report.figures[f"{key}.pacing.most"] = pacing.most_posted
    report.figures[f"{key}.pacing.gap"] = pacing.min_gap


# -- main --------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> Report:
    args = _arguments(argv)
    opts = QUICK if args.quick else Options()
    for name in ("rows", "weekly", "dialogues", "big", "scouts", "duration", "workers", "repeat"):
        if getattr(args, name) is not None:
            setattr(opts, name, getattr(args, name))
    opts.http = not args.no_http
    opts.keep = args.keep
    report = Report()
    began = time.perf_counter()
    load_before = os.getloadavg()[0]
    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    with tempfile.TemporaryDirectory(prefix="valuescout-scale-") as tmp:
        for backend in backends:
            run_backend(backend, opts, Path(tmp), report)
    for note in NOTES:
        report.say(note)
    report.say(f"\ntotal {time.perf_counter() - began:.0f} s; {os.cpu_count()} cores; load "
               f"average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after")  # fmt: skip
    return report


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--rows", type=int, help="discoveries (default 1,000,000)")
    parser.add_argument("--weekly", type=int, help="discoveries a week in the window (20,000)")
    parser.add_argument("--dialogues", type=int, help="old dialogue sessions (200,000)")
    parser.add_argument("--big", type=int, help="also measure this many discoveries (10,000,000)")
    parser.add_argument("--scouts", type=int, help="concurrent scouts over HTTP (50)")
    parser.add_argument("--duration", type=float, help="seconds of load per server (15)")
    parser.add_argument("--workers", type=int, help="Gunicorn workers (2)")
    parser.add_argument("--repeat", type=int, help="digest builds per database (5)")
    parser.add_argument("--no-http", action="store_true", help="skip the load over HTTP")
    parser.add_argument("--quick", action="store_true", help="tiny sizes: a smoke run")
    parser.add_argument("--keep", type=Path, help="keep seeded SQLite files here and reuse them")
    return parser.parse_args(argv)


if __name__ == "__main__":
    main()
