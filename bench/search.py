"""Search benchmark: `/scout search` latency over 1,000,000 discoveries, SQLite and PostgreSQL.

    .venv/bin/python bench/search.py                        # 1,000,000 rows, both databases
    .venv/bin/python bench/search.py --rows 100000 --only sqlite --queries 40

Discoveries are made in the database itself (as bench/digest.py makes them), through the
migrated schema, so SQLite's FTS5 triggers and PostgreSQL's generated tsvector index every row
as it is inserted. Their words: an account ("Account 1234" of 4,000), an outcome with two of
5,000 rare words (w123), a gap with one of 500 common words (k12), evidence for a third of
them with one of 50 frequent words (t7).

Per database: search_discoveries (the best 10, ranked, withdrawn hidden) for --queries
queries of each kind: a rare word, a rare and a common word, a frequent word, and an account
name (two words, one of them in every row). p50 and p95 in milliseconds, against a baseline
in the same run: loading 10 discoveries by primary key through the same session. Goal:
p95 < 200 ms. The machines are noisy: read the medians and the ratios to the baseline.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # `python bench/search.py` puts bench/, not the repo, first
    sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402
from sqlalchemy import Engine  # noqa: E402
from sqlmodel import col, select  # noqa: E402

from bench.digest import (  # noqa: E402
    _dialect,
    _hash,
    postgres_databases,
    sqlite_databases,
    vacuum_analyze,
)
from storage.engine import read_scope  # noqa: E402
from storage.models import Discovery  # noqa: E402
from storage.queries.search import search_discoveries  # noqa: E402

TEAM = "T0BENCH"
ACCOUNTS, RARE, COMMON, FREQUENT = 4000, 5000, 500, 50
CHUNK = 100_000  # rows per transaction while loading
GOAL_MS = 200.0


def _discoveries_sql(d: dict[str, str]) -> str:
    """INSERT … SELECT of discoveries first..last with words drawn by hashes of the id."""
    i = d["int"].format("i")
    roll = f"({_hash(i, 2)} % 100)"
    return f"""
        INSERT INTO discoveries (team_id, scout_user_id, account, outcome, gap, evidence, fit,
            themes, status, source, source_key, created_at, updated_at)
        SELECT '{TEAM}', 'U0SCOUT', 'Account ' || ({_hash(i, 5)} % {ACCOUNTS}),
            'Reduce w' || ({_hash(i, 3)} % {RARE}) || ' and w' || ({_hash(i, 4)} % {RARE}),
            'Every k' || ({_hash(i, 6)} % {COMMON}) || ' is done by hand',
            CASE WHEN {roll} % 3 = 0 THEN 'They said t' || ({_hash(i, 7)} % {FREQUENT}) END,
            'partly', {d["json"].format("'[]'")},
            CASE WHEN {roll} < 3 THEN 'withdrawn' ELSE 'new' END, 'modal', 'bench:' || i,
            {d["time"].format(f"1700000000 + {i} * 60")}, {d["time"].format(f"1700000000 + {i} * 60")}
        FROM ({d["series"]}) AS n
    """


def generate(engine: Engine, rows: int) -> float:
    """Fill an empty migrated database with `rows` discoveries; return seconds."""
    d, began = _dialect(engine), time.perf_counter()
    for first in range(1, rows + 1, CHUNK):
        with engine.begin() as connection:
            bounds = {"first": first, "last": min(first + CHUNK - 1, rows)}
            connection.execute(sa.text(_discoveries_sql(d)), bounds)
    vacuum_analyze(engine)
    return time.perf_counter() - began


QUERIES: dict[str, Callable[[random.Random], str]] = {
    "rare word": lambda r: f"w{r.randrange(RARE)}",
    "rare + common": lambda r: f"w{r.randrange(RARE)} k{r.randrange(COMMON)}",
    "frequent word": lambda r: f"t{r.randrange(FREQUENT)}",
    "account name": lambda r: f"account {r.randrange(ACCOUNTS)}",
}


def timed(engine: Engine, work: Callable[..., object], texts: list[str]) -> list[float]:
    """Milliseconds per call of work(session, text), each in its own read session."""
    times = []
    for text in texts:
        began = time.perf_counter()
        with read_scope(engine) as session:
            work(session, text)
        times.append((time.perf_counter() - began) * 1000)
    return times


def search(session, text: str) -> int:
    """The measured call: what `/scout search` runs."""
    return len(search_discoveries(session=session, team_id=TEAM, text=text, limit=10))


def by_id(session, text: str) -> int:
    """The baseline: 10 discoveries by primary key, loaded through the same ORM."""
    first = 1 + hash(text) % 1000
    ids = list(range(first, first + 10))
    return len(session.exec(select(Discovery).where(col(Discovery.id).in_(ids))).all())


def percentiles(times: list[float]) -> tuple[float, float]:
    """p50 and p95."""
    ordered = sorted(times)
    return statistics.median(ordered), ordered[max(0, round(0.95 * len(ordered)) - 1)]


def run(name: str, engine: Engine, rows: int, queries: int, say: Callable[[str], None]) -> dict:
    """Load, warm up, measure every kind of query and the baseline; print and return p50/p95."""
    seconds = generate(engine, rows)
    say(f"{name:10} {rows:>9,} discoveries made and indexed in {seconds:6.1f} s")
    rng, figures = random.Random(7), {}
    base = percentiles(timed(engine, by_id, [str(n) for n in range(queries)]))
    say(f"{name:10}   {'baseline: 10 by id':22} p50 {base[0]:7.1f} ms  p95 {base[1]:7.1f} ms")
    everything = []
    for kind, make in QUERIES.items():
        texts = [make(rng) for _ in range(queries)]
        timed(engine, search, texts[:3])  # warm-up: plans, caches
        times = timed(engine, search, texts)
        everything += times
        p50, p95 = percentiles(times)
        figures[kind] = (p50, p95)
        ratio = p50 / base[0] if base[0] else float("nan")
        say(
            f"{name:10}   {kind:22} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  (p50 {ratio:5.1f}× baseline)"
        )
    p50, p95 = percentiles(everything)
    verdict = "meets" if p95 < GOAL_MS else "misses"
    say(
        f"{name:10}   {'all queries':22} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  ({verdict} p95 < {GOAL_MS:.0f} ms)"
    )
    figures["all"] = (p50, p95)
    return figures


def main(argv: list[str] | None = None) -> dict:
    """Parse options and run the benchmark on the chosen databases."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    args = parser.parse_args(argv)
    results = {}
    for name, databases in (("sqlite", sqlite_databases), ("postgresql", postgres_databases)):
        if args.only in (None, name):
            with databases() as fresh, fresh(args.rows) as engine:
                results[name] = run(name, engine, args.rows, args.queries, print)
    return results


if __name__ == "__main__":
    main()
