"""Scrape benchmark: what /metrics costs the database as the tables grow, against /healthz.

    .venv/bin/python bench/metrics.py                      # 10k/100k, then 300k/1M rows
    .venv/bin/python bench/metrics.py --sizes 50000:200000 --repeat 9

Each size is (dialogues, outbox rows) in a fresh, migrated SQLite file (or the empty database
--database names): dialogues mostly submitted or cancelled, a few drafts and open ones;
outbox rows mostly sent, one in 10,000 pending, over four kinds. Per size: the median and
max time of the database's part of a scrape (bot.metrics.database, rendered as Prometheus
text) and of the health check's SELECT 1 on the same engine, and their ratio. Figures are
noisy: read medians and ratios.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa
from prometheus_client import generate_latest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.metrics.database import DatabaseCollector
from storage.engine import create_engine_for, database_is_reachable
from storage.migrate import upgrade
from storage.types import utc_now

KINDS = ("discovery_card", "receipt", "card_update", "webhook")
DIALOGUES = """
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < :rows)
INSERT INTO dialogue_sessions (team_id, user_id, step, answers, status, created_at, updated_at)
SELECT 'T1', 'U' || i, 'summary', '{}',
       CASE WHEN i % 1000 = 0 THEN 'open' WHEN i % 97 = 0 THEN 'draft'
            WHEN i % 5 = 0 THEN 'cancelled' ELSE 'submitted' END, :now, :now
FROM n
"""
OUTBOX = """
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < :rows)
INSERT INTO outbox_messages (kind, dedupe_key, channel_id, payload, status, attempts,
                             next_attempt_at, created_at)
SELECT CASE i % 4 WHEN 0 THEN 'discovery_card' WHEN 1 THEN 'receipt' WHEN 2 THEN 'card_update'
       ELSE 'webhook' END, 'bench:' || i, 'C0BENCH', '{}',
       CASE WHEN i % 10000 = 0 THEN 'pending' ELSE 'sent' END, 0, :now, :now
FROM n
"""


def timed(action, repeat: int) -> list[float]:
    """Seconds of each of `repeat` runs, after one warm-up."""
    action()
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        runs.append(time.perf_counter() - start)
    return runs


def measure(url: str, dialogues: int, outbox: int, repeat: int) -> str:
    """One size: fill the tables, then time a scrape's database part and SELECT 1."""
    engine = create_engine_for(url)
    upgrade(engine_or_url=engine)
    now = utc_now().isoformat(sep=" ")
    with engine.begin() as connection:
        connection.execute(sa.text(DIALOGUES), {"rows": dialogues, "now": now})
        connection.execute(sa.text(OUTBOX), {"rows": outbox, "now": now})
        connection.execute(sa.text("ANALYZE"))
    database = DatabaseCollector(engine=engine, kinds=KINDS, clock=utc_now)
    scrapes = timed(lambda: generate_latest(database), repeat)
    health = timed(lambda: database_is_reachable(engine), repeat)
    engine.dispose()
    ratio = statistics.median(scrapes) / statistics.median(health)
    return (
        f"{dialogues:>9,} dialogues {outbox:>10,} outbox rows: scrape median"
        f" {statistics.median(scrapes) * 1000:7.1f} ms (max {max(scrapes) * 1000:7.1f}),"
        f" SELECT 1 median {statistics.median(health) * 1000:5.2f} ms; ratio {ratio:,.0f}x"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=["10000:100000", "300000:1000000"],
                        help="dialogues:outbox rows, one fresh database each")  # fmt: skip
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--database", help="an empty database URL (default: a temp SQLite file)")
    args = parser.parse_args(argv)
    for size in args.sizes:
        dialogues, outbox = (int(part) for part in size.split(":"))
        with tempfile.TemporaryDirectory() as folder:
            url = args.database or f"sqlite:///{folder}/bench.db"
            print(measure(url, dialogues, outbox, args.repeat), flush=True)


if __name__ == "__main__":
    main()
