"""bench/scale.py's measurements: seeded databases, replies in process, load over HTTP, digests."""

from __future__ import annotations

import math
import shutil
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import pairwise
from pathlib import Path
from typing import Any

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import digest as digest_bench  # noqa: E402
from bench.dialogue import gunicorn, load, real_app  # noqa: E402
from bench.dialogue_harness import HOST, Canned, Inbox, InProcessDriver, Run, Sample, Scout, pct  # noqa: E402
from bot.emulator import SEED, SlackEmulator  # noqa: E402
from storage.engine import create_engine_for  # noqa: E402
from storage.migrate import head_revision, upgrade  # noqa: E402
from storage.models import Account, Discovery, OutboxMessage  # noqa: E402
from storage.types import UTCDateTime, utc_now  # noqa: E402

APOLOGY = "went wrong"
LOCKED = "database is locked"


@dataclass
class Options:
    """What to seed and measure."""

    rows: int = 1_000_000
    weekly: int = 20_000
    dialogues: int = 200_000
    big: int | None = None
    replies: int = 12  # dialogues per database in process
    scouts: int = 50
    duration: float = 15.0
    workers: int = 2
    repeat: int = 5
    http: bool = True
    keep: Path | None = None  # where seeded SQLite files are kept between runs
    backend: str = "sqlite"  # the one being measured
    workdir: Path = Path(".")  # the run's scratch directory


SEED_VERSION = (
    2  # raised when seed() makes other rows: a kept seed of another version is not reused
)
QUICK = Options(rows=3000, weekly=100, dialogues=1000, replies=2, scouts=5, duration=2.0, repeat=1)


@dataclass
class Report:
    """The lines printed, and the figures a test or a summary can check."""

    lines: list[str] = field(default_factory=list)
    figures: dict[str, float] = field(default_factory=dict)

    def say(self, line: str) -> None:
        print(line, flush=True)
        self.lines.append(line)


# -- databases ---------------------------------------------------------------------------------


@contextmanager
def databases(backend: str) -> Iterator[Callable]:
    """fresh(size) → a migrated empty database of that backend (bench/digest.py's helpers)."""
    maker = (
        digest_bench.sqlite_databases if backend == "sqlite" else digest_bench.postgres_databases
    )
    with maker() as fresh:
        yield fresh


def seed(engine, rows: int, opts: Options) -> float:
    """Seed `rows` discoveries (the window's weekly volume first) and the dialogues kept, with
    what each lacks marked as submit marks it (else every digest build scores the week again)."""
    dialogues = opts.dialogues if rows else 0
    seconds = digest_bench.generate(
        engine, rows=rows, weekly=opts.weekly, dialogues=dialogues, team=SEED.team_id
    )
    seconds += digest_bench.mark_missing(engine) + link_accounts(engine)
    checkpoint(engine)
    return seconds


def link_accounts(engine) -> float:
    """Give every seeded discovery its account row, as submit does (account_for_name): with
    account_id NULL throughout, SQLite's statistics said an account matches every discovery
    and the delivery's convergence count read a month of discoveries per card; return seconds."""
    began = time.perf_counter()
    accounts, discoveries = Account.__table__, Discovery.__table__
    now = sa.literal(utc_now(), UTCDateTime)
    names = sa.select(discoveries.c.team_id, discoveries.c.account).distinct().subquery()
    named = sa.select(names.c.team_id, names.c.account, sa.literal([], sa.JSON), now, now)
    columns = ["team_id", "name", "aliases", "created_at", "updated_at"]
    own = sa.select(accounts.c.id).where(
        accounts.c.team_id == discoveries.c.team_id, accounts.c.name == discoveries.c.account
    )
    with engine.begin() as connection:
        connection.execute(accounts.insert().from_select(columns, named))
        connection.execute(discoveries.update().values(
            account_id=own.scalar_subquery(), updated_at=discoveries.c.updated_at))  # fmt: skip
    digest_bench.vacuum_analyze(engine)
    return time.perf_counter() - began


@contextmanager
def seeded(
    fresh: Callable, name: int, rows: int, opts: Options
) -> Iterator[tuple[Any, float | None]]:
    """A database of `rows` seeded discoveries, and the seconds seeding took (None: a kept seed).

    With `opts.keep` (SQLite), the seed is kept there as a file named by its sizes and the
    schema head and reused by later runs; each run measures on a copy of it (the run writes)."""
    if opts.keep is None or opts.backend != "sqlite":
        with fresh(name) as engine:
            yield engine, seed(engine, rows, opts)
        return
    name = f"scale{SEED_VERSION}-{rows}-w{opts.weekly}-d{opts.dialogues}-r{head_revision()}.db"
    kept = opts.keep / name
    made = None if kept.exists() else _seed_file(kept, rows, opts)
    copy = opts.workdir / f"copy-{kept.name}"
    shutil.copyfile(kept, copy)
    engine = create_engine_for(f"sqlite:///{copy}")
    try:
        yield engine, made
    finally:
        engine.dispose()
        copy.unlink()


def _seed_file(kept: Path, rows: int, opts: Options) -> float:
    """Seed a SQLite file for keeping: under another name until done, so a run stopped while
    seeding leaves no half seed to reuse."""
    kept.parent.mkdir(parents=True, exist_ok=True)
    partial = kept.with_suffix(".seeding")
    for leftover in partial.parent.glob(partial.name + "*"):
        leftover.unlink()
    engine = create_engine_for(f"sqlite:///{partial}")
    try:
        upgrade(engine_or_url=engine)
        made = seed(engine, rows, opts)
    finally:
        engine.dispose()  # the last connection out checkpoints the WAL into the file
    partial.rename(kept)
    return made


def checkpoint(engine) -> None:
    """SQLite: write the bulk load's WAL into the database and truncate it, so the measured
    runs do not start behind a checkpoint of a gigabyte-sized log."""
    if engine.dialect.name == "sqlite":
        raw = engine.raw_connection()  # outside a transaction: a checkpoint cannot run in one
        try:
            raw.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        finally:
            raw.close()


# -- replies in process ------------------------------------------------------------------------


def bench_scouts(emulator: SlackEmulator, count: int) -> list[str]:
    """Scouts U0BENCH000…: the first ones of the seeded history (they have no drafts)."""
    users = [f"{digest_bench.SCOUT_PREFIX}{number:03d}" for number in range(count)]
    for number, user in enumerate(users):
        emulator.workspace.add_user(user, f"scout{number}", f"Bench Scout {number}")
    return users


def replies(url: str, workdir: Path, opts: Options, canned: Canned) -> tuple[Run, int]:
    """Whole dialogues in process, each a new one; (the run, apologies the scouts got)."""
    with SlackEmulator(host=HOST) as emulator:
        inbox = Inbox(emulator)
        users = bench_scouts(emulator, opts.replies + 1)
        with real_app(emulator, workdir, database=url) as wsgi:
            driver = InProcessDriver(wsgi, emulator)
            scouts = [
                Scout(u, driver, emulator, inbox, bare=False, canned=canned, timeout=120)
                for u in users
            ]
            scouts[-1].dialogue([])  # warm-up: imports, caches, connections
            samples: list[Sample] = []
            began = time.perf_counter()
            for scout in scouts[:-1]:
                scout.dialogue(samples)
            run = Run(url.split(":")[0], samples, time.perf_counter() - began)
        return run, apologies(emulator, inbox, users)


def apologies(emulator: SlackEmulator, inbox: Inbox, users: list[str]) -> int:
    """Bot messages that said something went wrong, over every scout's DM."""
    channels = {emulator.dm_channel_for(user) for user in users}
    return sum(APOLOGY in str(m) for channel in channels for m in inbox.recent(channel))


def done(run: Run, steps: range) -> float:
    """Median time to the reply over the given step indexes."""
    return pct([s.done for s in run.ok if s.step in steps], 50)


# -- load over HTTP ----------------------------------------------------------------------------


@dataclass
class Pacing:
    """Posts per channel as Slack received them (the emulator's times), beside the demand: the
    cards and replies the outbox queued for those channels in the same run."""

    channels: int = 0
    posts: int = 0
    most_posted: int = 0  # most posts to one channel within any 1 s
    min_gap: float = math.nan  # shortest time between two posts to one channel, seconds
    queued: int = 0
    most_queued: int = 0  # most rows queued for one channel within any 1 s


@dataclass
class Load:
    """One load run and the errors around it."""

    run: Run
    apologies: int
    locked: int
    pacing: Pacing = field(default_factory=Pacing)


def http_load(url: str | None, workdir: Path, opts: Options, canned: Canned, bare: bool) -> Load:
    """`opts.scouts` scouts at once against Gunicorn (the app on `url`, or bare Bolt)."""
    log: list[str] = []
    began = time.time()
    with SlackEmulator(host=HOST) as emulator:
        inbox = Inbox(emulator)
        users = bench_scouts(emulator, opts.scouts)
        label = f"{'bare' if bare else 'app'} gunicorn {opts.workers}w x{opts.scouts}"
        with gunicorn(
            emulator, workdir, bare=bare, workers=opts.workers, database=url, log=log
        ) as endpoint:
            run = load(endpoint, emulator, inbox, users, opts.duration, bare=bare,
                       canned=canned, label=label)  # fmt: skip
        said = apologies(emulator, inbox, users)
        posted = channel_posts(emulator)
    pacing = pacing_of(posted, queued_posts(url, began) if url else {})
    return Load(run, said, sum(text.count(LOCKED) for text in log), pacing)


# -- posts per channel -------------------------------------------------------------------------


def channel_posts(emulator: SlackEmulator) -> dict[str, list[float]]:
    """When the emulator took each post to a channel (DMs left out: the dialogue's own replies
    there answer the scout at once, unpaced), by channel."""
    times: dict[str, list[float]] = defaultdict(list)
    for call in emulator.calls_to("chat.postMessage"):
        channel = call.response.get("channel", "") if call.ok else ""
        if channel and not channel.startswith("D"):
            times[channel].append(call.at)
    return times


def queued_posts(url: str, since: float) -> dict[str, list[float]]:
    """When the outbox queued each row for a channel (not a DM) since `since` (epoch s)."""
    engine = create_engine_for(url)
    rows = OutboxMessage.__table__
    query = sa.select(rows.c.channel_id, rows.c.created_at).where(
        rows.c.created_at >= datetime.fromtimestamp(since, UTC), ~rows.c.channel_id.startswith("D")
    )
    times: dict[str, list[float]] = defaultdict(list)
    try:
        with engine.connect() as connection:
            for channel, created in connection.execute(query):
                times[channel].append(created.timestamp())
    finally:
        engine.dispose()
    return times


def pacing_of(posted: dict[str, list[float]], queued: dict[str, list[float]]) -> Pacing:
    gaps = [
        later - earlier for times in posted.values() for earlier, later in pairwise(sorted(times))
    ]
    return Pacing(
        channels=len(posted),
        posts=sum(map(len, posted.values())),
        most_posted=max(map(most_within_a_second, posted.values()), default=0),
        min_gap=min(gaps, default=math.nan),
        queued=sum(map(len, queued.values())),
        most_queued=max(map(most_within_a_second, queued.values()), default=0),
    )


def most_within_a_second(times: Iterable[float]) -> int:
    """The most of these moments that fall within any one second (a window [t, t + 1))."""
    ordered, most, first = sorted(times), 0, 0
    for last, moment in enumerate(ordered):
        while moment - ordered[first] >= 1.0:
            first += 1
        most = max(most, last - first + 1)
    return most


# -- digests -----------------------------------------------------------------------------------


def digest_figures(engines: list, repeat: int) -> list[tuple[float, int]]:
    """Per engine: (median seconds of a week's build, tracemalloc peak bytes); builds alternate
    between the engines, so a change in the machine's load touches each alike."""
    times: list[list[float]] = [[] for _ in engines]
    for engine in engines:
        digest_bench.build_once(engine, SEED.team_id)  # warm-up: imports, font cache, DB caches
    for _ in range(repeat):
        for index, engine in enumerate(engines):
            began = time.perf_counter()
            digest_bench.build_once(engine, SEED.team_id)  # the workspace seed() fills
            times[index].append(time.perf_counter() - began)
    peaks = [digest_bench.peak_memory(engine, SEED.team_id) for engine in engines]
    return [(statistics.median(t), peak) for t, peak in zip(times, peaks, strict=True)]
