"""Digest benchmark: one week's digests (every kind) over 1,000,000 discoveries, SQLite and PostgreSQL.

    .venv/bin/python bench/digest.py                       # 100,000 then 1,000,000 rows, both DBs
    .venv/bin/python bench/digest.py --rows 100000 --only sqlite --repeat 3
    .venv/bin/python bench/digest.py --rows 1000000 3000000 --weekly 20000 --keep /var/tmp/vs-bench

The data is made in the database itself (INSERT … SELECT over a recursive CTE on SQLite,
generate_series on PostgreSQL): a few hundred scouts, a few thousand accounts, discoveries
spread evenly over two years ending with the measured week (or --weekly a week in the
measured week and the 12 before it), a fifth with a compelling event in the 120 days after,
1 or 2 routes each, statuses by age, and their status changes. Ids grow with time, as an
autoincrement makes them; each size gets a fresh database (or, with --keep, the one an
earlier run seeded), so 100,000 rows are a thinner copy of the same two years.

Per database and size: build_digests for the week (3 route channels, the coaches' with its
chart, every scout with news) --repeat times: median and max seconds; tracemalloc's peak
during one more build; and EXPLAIN of every statement the build ran, flagging any that
reads a whole table. Figures are noisy: read medians and the 100k/1M ratios.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # `python bench/digest.py` puts bench/, not the repo, first
    sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402
from sqlalchemy import Engine, event  # noqa: E402

# Re-exported: bench/search.py and bench/scale_measure.py take their databases from here.
from bench.databases import Fresh, postgres_databases, sqlite_databases, vacuum_analyze  # noqa: E402
from bot.digests.build import build_digests  # noqa: E402
from bot.digests.jobs import keep_trend  # noqa: E402
from bot.digests.model import Week  # noqa: E402
from bot.domain.opener.quality import missing_mark  # noqa: E402
from bot.domain.themes import ValueNetwork, load_network  # noqa: E402
from storage.engine import read_scope, session_scope  # noqa: E402
from storage.models import metadata  # noqa: E402
from storage.queries.digest_figures import plan_for_digests  # noqa: E402
from storage.queries.loop_facts import backfill_loop_facts  # noqa: E402

WEEK = Week.parse("2026-W47")
ZONE = ZoneInfo("Europe/Berlin")
CHANNELS = {"sales": "C0SALES", "marketing": "C0MKT", "product": "C0PROD", "coach": "C0COACH"}
SPAN_WEEKS = 104
WINDOW_WEEKS = 13  # the measured week and the 12 weeks of the coaches' trend
WEEK_SECONDS = 7 * 86400
SCOUT_PREFIX = "U0BENCH"
BENCH_TEAM = "T0BENCH"  # generate()'s default workspace: the build reads its digests
SCOUTS, ACCOUNTS = 300, 4000
THEMES = ("onboarding", "reporting", "integration", "pricing", "security", "compliance", "unthemed")
ROUTES = ("sales", "marketing", "product")
NOW = datetime(2026, 11, 23, 9, tzinfo=UTC)  # Monday 10:00 in Berlin: W47 is due


# --- data -----------------------------------------------------------------------------------------


def _dialect(engine: Engine) -> dict[str, str]:
    """The few expressions that differ: a row series, a timestamp from epoch seconds, JSON."""
    if engine.dialect.name == "postgresql":
        return {
            "series": "SELECT i FROM generate_series(CAST(:first AS bigint), CAST(:last AS bigint)) AS s(i)",
            "time": "to_timestamp({})",
            "json": "({})::json",
            "int": "({})::bigint",
            "later": "created_at + make_interval(secs => {})",
            "pad": "lpad(({})::text, 3, '0')",
            "day": "((to_timestamp({at}) AT TIME ZONE 'UTC')::date + ({days})::int)",
        }
    return {
        "series": "WITH RECURSIVE s(i) AS (SELECT :first UNION ALL SELECT i + 1 FROM s"
        " WHERE i < :last) SELECT i FROM s",
        # The text format storage.types.UTCDateTime binds on SQLite, so ranges compare right.
        "time": "strftime('%Y-%m-%d %H:%M:%f000', {}, 'unixepoch')",
        "json": "{}",
        "int": "({})",
        "later": "strftime('%Y-%m-%d %H:%M:%f000', created_at, '+' || ({}) || ' seconds')",
        "pad": "printf('%03d', {})",
        "day": "date({at}, 'unixepoch', '+' || ({days}) || ' days')",
    }


def _hash(expr: str, salt: int) -> str:
    """A deterministic pseudo-random non-negative integer below 2**31 from an integer column."""
    return f"((({expr}) * 2654435761 + {salt * 40503}) % 2147483647)"


@dataclass(frozen=True)
class Stretch:
    """`rows` discoveries logged evenly over [start, start + seconds), in id order after `first`."""

    first: int
    rows: int
    start: int
    seconds: int

    def at(self, i: str) -> str:
        """The epoch second row i is logged at: exact spacing (no truncation), a little jitter."""
        step = max(1, self.seconds // max(self.rows, 1))
        offset = f"(({i} - {self.first}) * {self.seconds} / {max(self.rows, 1)})"
        return f"({self.start} + {offset} + {_hash(i, 1)} % {min(600, step)})"


def stretches(rows: int, end: int, weekly: int | None) -> list[Stretch]:
    """How rows spread over SPAN_WEEKS ending at `end`: evenly, or `weekly` a week in the window."""
    span = SPAN_WEEKS * WEEK_SECONDS
    if weekly is None:
        return [Stretch(1, rows, end - span, span)]
    window = WINDOW_WEEKS * WEEK_SECONDS
    recent = min(rows, weekly * WINDOW_WEEKS)
    older = Stretch(1, rows - recent, end - span, span - window)
    return [older, Stretch(1 + older.rows, recent, end - window, window)]


def _discoveries_sql(d: dict[str, str], stretch: Stretch, end: int, team: str) -> str:
    """INSERT … SELECT of a stretch of discoveries, logged in id order (as an autoincrement makes them)."""
    i = d["int"].format("i")
    at = stretch.at(i)
    recent = f"({at} > {end - 14 * 86400})"
    roll = f"({_hash(i, 2)} % 100)"
    status = (
        f"CASE WHEN {recent} THEN (CASE WHEN {roll} < 60 THEN 'new' WHEN {roll} < 85 THEN "
        f"'acknowledged' WHEN {roll} < 95 THEN 'actioned' ELSE 'declined' END) "
        f"ELSE (CASE WHEN {roll} < 5 THEN 'new' WHEN {roll} < 20 THEN 'acknowledged' "
        f"WHEN {roll} < 70 THEN 'actioned' WHEN {roll} < 95 THEN 'declined' ELSE 'withdrawn' END) END"
    )
    theme = f"({_hash(i, 3)} % {len(THEMES)})"
    themes = " ".join(f"WHEN {n} THEN '[\"{t}\"]'" for n, t in enumerate(THEMES))
    return f"""
        INSERT INTO discoveries (team_id, scout_user_id, account, outcome, gap, evidence,
            value_band, value_amount, value_currency, value_base, event_pressure, event_date, fit,
            themes, status, source, source_key, created_at, updated_at)
        SELECT '{team}', {scout_id(d, _hash(i, 4))}, 'Account ' || ({_hash(i, 5)} % {ACCOUNTS}),
            'Outcome number ' || i, 'A gap', CASE WHEN {roll} % 3 = 0 THEN 'Call notes' END,
            CASE WHEN {roll} % 4 = 1 THEN '10k_100k' END,
            CASE WHEN {roll} % 4 = 0 THEN {_hash(i, 6)} % 2000000 END,
            CASE WHEN {roll} % 4 = 0 THEN 'EUR' END,
            CASE WHEN {roll} % 4 = 0 THEN ({_hash(i, 6)} % 2000000) * 1.06
                 WHEN {roll} % 4 = 1 THEN 55000 END,
            CASE WHEN {roll} % 5 = 0 THEN 'Renewal' END,
            CASE WHEN {roll} % 5 = 0 THEN {d["day"].format(at=at, days=f"{_hash(i, 9)} % 120")} END,
            'partly', {d["json"].format(f"CASE {theme} {themes} END")}, {status}, 'modal',
            'bench:' || i, {d["time"].format(at)}, {d["time"].format(at)}
        FROM ({d["series"]}) AS n
    """


def _routes_sql() -> str:
    """One route per discovery by its id, a second for every third; 1 in 50 re-routed away.
    Each route has its discovery's status (its changes cover every route: route_id NULL)."""
    return """
        INSERT INTO discovery_routes (discovery_id, route, reason, channel_id, rerouted_to,
            status, created_at)
        SELECT id, CASE id % 3 WHEN 0 THEN 'sales' WHEN 1 THEN 'marketing' ELSE 'product' END,
            'bench', 'C0BENCH', CASE WHEN id % 50 = 0 THEN 'product' END, status, created_at
        FROM discoveries WHERE id BETWEEN :low AND :high
        UNION ALL
        SELECT id, 'product', 'bench', 'C0BENCH', NULL, status, created_at
        FROM discoveries WHERE id BETWEEN :low AND :high AND id % 3 = 0
    """


def _changes_sql(d: dict[str, str]) -> str:
    """An answer a few hours to days after logging; actioned/declined close days later."""
    answer = d["later"].format(f"3600 + ({d['int'].format('id')} * 7919) % 259200")
    close = d["later"].format(f"345600 + ({d['int'].format('id')} * 104729) % 604800")
    return f"""
        INSERT INTO status_changes (discovery_id, from_status, to_status, actor_user_id, at,
            outcome_kind, note)
        SELECT id, 'new', 'acknowledged', 'U0PM', {answer}, NULL, NULL
        FROM discoveries WHERE id BETWEEN :low AND :high
            AND status IN ('acknowledged', 'actioned', 'declined')
        UNION ALL
        SELECT id, 'acknowledged', status, 'U0PM', {close},
            CASE WHEN status = 'actioned' THEN 'content' END, 'Done'
        FROM discoveries WHERE id BETWEEN :low AND :high AND status IN ('actioned', 'declined')
    """


def scout_id(d: dict[str, str], number: str) -> str:
    """A seeded scout's user id, U0BENCH000…: the ids bench/scale.py's scouts talk to the bot as."""
    return f"'{SCOUT_PREFIX}' || {d['pad'].format(f'({number}) % {SCOUTS}')}"


def _dialogues_sql(d: dict[str, str], start: int, span: int, rows: int, team: str) -> str:
    """Dialogues kept over the years: submitted, cancelled, and drafts (none for the first 50
    scouts, whose next message must start a new dialogue in bench/scale.py)."""
    i = d["int"].format("i")
    at = d["time"].format(f"({start} + ({i} - 1) * {span} / {max(rows, 1)})")
    number = f"({_hash(i, 7)} % {SCOUTS})"
    roll = f"({_hash(i, 8)} % 100)"
    status = (
        f"CASE WHEN {roll} < 80 THEN 'submitted' WHEN {roll} < 95 OR {number} < 50 "
        "THEN 'cancelled' ELSE 'draft' END"
    )
    answers = d["json"].format(
        f"'{{\"account\": \"Account ' || ({_hash(i, 5)} % {ACCOUNTS}) || '\"}}'"
    )
    return f"""
        INSERT INTO dialogue_sessions (team_id, user_id, step, answers, status, created_at,
            updated_at)
        SELECT '{team}', {scout_id(d, number)}, 'outcome', {answers}, {status}, {at}, {at}
        FROM ({d["series"]}) AS n
    """


@contextmanager
def _indexes_built_after(engine: Engine) -> Iterator[None]:
    """Drop the big tables' plain indexes for a bulk load and build them again after it: one
    sorted build each instead of millions of scattered inserts (unique ones stay)."""
    indexes = [
        index
        for name in ("discoveries", "discovery_routes", "status_changes", "dialogue_sessions")
        for index in metadata.tables[name].indexes
        if not index.unique
    ]
    with engine.begin() as connection:
        for index in indexes:
            index.drop(connection)
    yield
    with engine.begin() as connection:
        for index in indexes:
            index.create(connection)


def generate(
    engine: Engine,
    *,
    rows: int,
    weekly: int | None = None,
    dialogues: int = 0,
    team: str = "T0BENCH",
) -> float:
    """Fill an empty database with `rows` discoveries, their routes and changes; return seconds.

    weekly: discoveries per week in the measured week and the 12 before it (the trend
    window); the rest spread evenly over the years before. None spreads all evenly.
    dialogues: old dialogue sessions kept (submitted, cancelled, drafts).
    """
    d = _dialect(engine)
    _, week_end = WEEK.bounds(ZONE)
    end = int(week_end.timestamp())
    began = time.perf_counter()
    with _indexes_built_after(engine):
        for stretch in stretches(rows, end, weekly):
            if stretch.rows <= 0:
                continue
            low, high = stretch.first, stretch.first + stretch.rows - 1
            with engine.begin() as connection:  # one stretch at a time: bounded transactions
                insert = _discoveries_sql(d, stretch, end, team)
                connection.execute(sa.text(insert), {"first": low, "last": high})
                bounds = {"low": low, "high": high}
                connection.execute(sa.text(_routes_sql()), bounds)
                connection.execute(sa.text(_changes_sql(d)), bounds)
        if dialogues:
            span = SPAN_WEEKS * WEEK_SECONDS
            with engine.begin() as connection:
                sql = _dialogues_sql(d, end - span, span, dialogues, team)
                connection.execute(sa.text(sql), {"first": 1, "last": dialogues})
    _fill_loop_facts(engine, rows)
    # The planner needs statistics after a bulk load; PostgreSQL's index-only scans also need
    # the visibility map that (auto)vacuum keeps: VACUUM as autovacuum would have by then.
    vacuum_analyze(engine)
    return time.perf_counter() - began


def _fill_loop_facts(engine: Engine, rows: int, batch: int = 100_000) -> None:
    """Each discovery's loop facts, as the use cases keep them (ids run 1..rows), once the
    indexes their lookups use are built; a batch a transaction."""
    for first in range(1, rows + 1, batch):
        with engine.begin() as connection:
            backfill_loop_facts(connection, ids=(first, first + batch - 1))


MARKED = ("outcome", "value_amount", "value_band", "event_date", "who_cares", "evidence",
          "evidence_url")  # fmt: skip


# A row whose missing parts are not stored, or were scored under other words than today's
# prompts/opener.yaml: the digests would score it again on every build.
UNMARKED = "(quality_missing IS NULL OR quality_missing NOT LIKE :fresh)"


def _fresh_mark() -> dict[str, str]:
    """The LIKE pattern of a mark made under today's words (its lexicon's fingerprint)."""
    return {"fresh": missing_mark({}).partition(":")[0] + ":%"}


def mark_missing(engine: Engine, *, batch: int = 20_000) -> float:
    """Store each discovery's missing parts as submit and edit do (service.discovery_columns):
    rows made in SQL have none, and the digests would score them all again; return seconds."""
    began = time.perf_counter()
    update = sa.text("UPDATE discoveries SET quality_missing = :mark WHERE id = :id")
    read = sa.text(
        f"SELECT id, {', '.join(MARKED)} FROM discoveries WHERE {UNMARKED}"
        " AND id > :after ORDER BY id LIMIT :batch"
    )
    after = 0
    while True:
        with engine.begin() as connection:  # a batch a transaction: bounded, as the load
            found = connection.execute(read, {"after": after, "batch": batch, **_fresh_mark()})
            rows = found.all()
            if not rows:
                break
            marks = [{"id": row.id, "mark": missing_mark(row._mapping)} for row in rows]
            connection.execute(update, marks)
            after = rows[-1].id
    return time.perf_counter() - began


# --- measuring ------------------------------------------------------------------------------------


@cache
def _network() -> ValueNetwork:
    """The value network, read once as the app reads it at start-up (not timed per build)."""
    return load_network()


def build_once(engine: Engine, team: str = BENCH_TEAM) -> int:
    """Keep the trend's weeks not kept, then build every digest of the workspace's week
    (generate()'s `team`), as bot.digests.jobs.build_week does; return how many messages
    they hold."""
    keep_trend(engine=engine, team_id=team, week=WEEK, zone=ZONE, now=NOW)
    with read_scope(engine) as session:  # as bot.digests.jobs.build_week: no write lock
        digests = build_digests(
            session=session, team_id=team, week=WEEK, zone=ZONE, now=NOW, channels=CHANNELS,
            network=_network(), open_after_working_days=3,
        )  # fmt: skip
    return sum(1 + len(d.thread) for d in digests)


def timed(engine: Engine, repeat: int) -> tuple[list[float], list[float], int]:
    """Seconds per build, `repeat` times (after one warm-up build): wall-clock, and CPU (this
    process's and, on a local PostgreSQL, the server's: its backends and parallel workers)."""
    messages = build_once(engine)  # warm-up: imports, matplotlib's font cache, DB caches
    server = _server_cpu(engine)
    times, cpus = [], []
    for _ in range(repeat):
        began, cpu, served = time.perf_counter(), time.process_time(), server()
        build_once(engine)
        times.append(time.perf_counter() - began)
        cpus.append(time.process_time() - cpu + server() - served)
    return times, cpus, messages


def _server_cpu(engine: Engine) -> Callable[[], float]:
    """CPU seconds the PostgreSQL server has used so far (its postmaster's finished children
    and its live processes), read from /proc; 0 on SQLite (it runs in this process) or when
    the server is not on this machine. On a shared machine wall-clock time counts the wait
    for a core; CPU time is the work."""
    if engine.dialect.name != "postgresql":
        return lambda: 0.0
    with engine.connect() as connection:
        backend = connection.execute(sa.text("SELECT pg_backend_pid()")).scalar_one()
    try:
        postmaster = int(_stat(backend)[1])
    except OSError:
        return lambda: 0.0
    tick = os.sysconf("SC_CLK_TCK")

    def used() -> float:
        total = sum(int(v) for v in _stat(postmaster)[11:15])  # utime stime cutime cstime
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    fields = _stat(int(entry.name))
                except OSError:
                    continue
                if int(fields[1]) == postmaster:
                    total += int(fields[11]) + int(fields[12])
        return total / tick

    return used


def _stat(pid: int) -> list[str]:
    """/proc/<pid>/stat's fields after the command name: state, ppid, … (utime is [11])."""
    text = Path(f"/proc/{pid}/stat").read_text()
    return text[text.rindex(")") + 2 :].split()


def peak_memory(engine: Engine, team: str = BENCH_TEAM) -> int:
    """tracemalloc's peak (bytes) during one build."""
    tracemalloc.start()
    try:
        build_once(engine, team)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@contextmanager
def statements(engine: Engine) -> Iterator[list[tuple[str, Any]]]:
    """Collect every statement (and its parameters) the engine runs meanwhile."""
    seen: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, sql: str, params: Any, *_: Any) -> None:
        if sql.lstrip().upper().startswith("SELECT"):
            seen.append((sql, params))

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def full_scans(engine: Engine) -> tuple[int, list[str]]:
    """EXPLAIN every SELECT of one build; return how many, and the plan lines reading whole tables.

    Explained as the build plans them: in a transaction set up by plan_for_digests.
    """
    with statements(engine) as seen:
        build_once(engine)
    postgres = engine.dialect.name == "postgresql"
    prefix = "EXPLAIN " if postgres else "EXPLAIN QUERY PLAN "
    bad: list[str] = []
    with session_scope(engine) as session:
        plan_for_digests(session)
        connection = session.connection()
        for sql, params in seen:
            rows = connection.exec_driver_sql(prefix + sql, params).all()
            plan = [str(row[-1] if not postgres else row[0]) for row in rows]
            bad += [line.strip() for line in plan if _reads_whole_table(line, postgres)]
    return len(seen), sorted(set(bad))


def _reads_whole_table(line: str, postgres: bool) -> bool:
    """A plan line that reads one of the big tables in full."""
    big = ("discoveries", "discovery_routes", "status_changes")
    if postgres:
        return "Seq Scan on" in line and any(f" {t} " in f"{line} " for t in big)
    return line.startswith("SCAN") and "USING" not in line and any(f" {t}" in line for t in big)


SEEDED = "bench_seeded"  # a kept database's note of what it was seeded with


def seeded(engine: Engine, rows: int, weekly: int | None) -> float | None:
    """Seed a database unless a kept one already holds this seed; the seconds it took, or
    None when it was reused."""
    if _seed_noted(engine, rows, weekly):
        # Marked only now, outside the note's transaction: on SQLite that transaction holds
        # the write lock, and marking in another connection would find the database locked.
        return _marked_later(engine)
    seconds = generate(engine, rows=rows, weekly=weekly) + mark_missing(engine)
    with engine.begin() as connection:
        connection.execute(sa.text(f"CREATE TABLE {SEEDED} (rows bigint, weekly bigint)"))
        connection.execute(sa.text(f"INSERT INTO {SEEDED} VALUES ({rows}, {weekly or 0})"))
    return seconds


def _seed_noted(engine: Engine, rows: int, weekly: int | None) -> bool:
    """Whether a kept database was seeded alike (True) or is empty (False); refuse any other."""
    with engine.connect() as connection:
        if sa.inspect(connection).has_table(SEEDED):
            found = connection.execute(sa.text(f"SELECT rows, weekly FROM {SEEDED}")).first()
            if found is not None and tuple(found) == (rows, weekly or 0):
                return True
            raise SystemExit(f"{engine.url}: seeded with {tuple(found or ())}, not {rows, weekly}")
        if connection.execute(sa.text("SELECT count(*) FROM discoveries")).scalar():
            raise SystemExit(f"{engine.url}: holds discoveries but no note of its seed")
    return False


def _marked_later(engine: Engine) -> float | None:
    """A kept database seeded before discoveries stored their missing parts, or before
    prompts/opener.yaml last changed: mark them now (the seconds it took), else None."""
    with engine.connect() as connection:
        unmarked = f"SELECT 1 FROM discoveries WHERE {UNMARKED} LIMIT 1"
        if connection.execute(sa.text(unmarked), _fresh_mark()).first() is None:
            return None
    return mark_missing(engine)


def run(
    name: str, fresh: Fresh, sizes: list[int], repeat: int, say: Callable[[str], None],
    weekly: int | None = None,
) -> None:  # fmt: skip
    """Measure a database of each size; EXPLAIN the build's queries on the largest."""
    peaks = {}
    for size in sizes:
        with fresh(f"{size}_{weekly or 'even'}") as engine:
            seconds = seeded(engine, size, weekly)
            made = "reused" if seconds is None else f"made in {seconds:5.1f} s"
            times, cpus, messages = timed(engine, repeat)
            peaks[size] = peak_memory(engine)
            say(
                f"{name:10} {size:>9,} rows ({made})  build median "
                f"{statistics.median(times):.3f} s  max {max(times):.3f} s  "
                f"min {min(times):.3f} s  cpu median {statistics.median(cpus):.3f} s  "
                f"({messages} messages)  peak {peaks[size] / 1e6:.1f} MB"
            )
            if size == sizes[-1]:
                count, scans = full_scans(engine)
    if len(peaks) > 1:
        first, last = sizes[0], sizes[-1]
        say(f"{name:10} peak memory {last:,} / {first:,} rows = {peaks[last] / peaks[first]:.2f}")
    say(f"{name:10} EXPLAIN of {count} SELECTs: {len(scans) or 'no'} whole-table reads")
    for line in scans:
        say(f"{'':10}   {line}")


def main(argv: list[str] | None = None) -> None:
    """Parse options and run the benchmark on the chosen databases."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    parser.add_argument(
        "--weekly", type=int,
        help="discoveries a week in the measured week and the 12 before it (default: all even)",
    )  # fmt: skip
    parser.add_argument(
        "--keep", type=Path,
        help="keep the seeded databases in this directory and reuse them in later runs",
    )  # fmt: skip
    args = parser.parse_args(argv)
    sizes = sorted(args.rows)
    print(
        f"week {WEEK.key} in {ZONE.key}; {SCOUTS} scouts, {ACCOUNTS} accounts, {SPAN_WEEKS} weeks"
    )
    if args.only != "postgresql":
        with sqlite_databases(args.keep) as fresh:
            run("sqlite", fresh, sizes, args.repeat, print, args.weekly)
    if args.only != "sqlite":
        with postgres_databases(args.keep) as fresh:
            run("postgresql", fresh, sizes, args.repeat, print, args.weekly)


if __name__ == "__main__":
    main()
