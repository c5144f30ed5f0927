"""bench/digest.py keeps working: its bulk generator and a build, at 2,000 rows (not timed)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import select

from bench.digest import build_once, full_scans, generate, seeded, sqlite_databases
from storage.engine import session_scope
from storage.models import Discovery, DiscoveryRoute, StatusChange

UNMARK, UNMARKED = "quality_missing = NULL", "quality_missing IS NULL"


def test_the_bench_generates_a_realistic_table_and_builds_the_weeks_digests(engine):
    generate(engine, rows=2000)

    with session_scope(engine) as session:
        discoveries = len(session.exec(select(Discovery.id)).all())
        routes = len(session.exec(select(DiscoveryRoute.id)).all())
        changes = len(session.exec(select(StatusChange.id)).all())
    assert discoveries == 2000
    assert 2000 < routes < 3000
    assert 1000 < changes < 4000
    assert build_once(engine) > 4  # three routes, the coaches, and scouts with news


def test_the_bench_explains_every_select_of_a_build(engine):
    generate(engine, rows=2000)

    count, _scans = full_scans(engine)  # tiny tables: scans are the planner's right choice

    assert count > 20


def test_a_kept_sqlite_database_is_reused_and_its_unmarked_rows_marked(tmp_path):
    with sqlite_databases(keep=tmp_path) as fresh:
        with fresh("small") as engine:
            assert seeded(engine, 2000, None) is not None  # seeded now
            with engine.begin() as connection:  # as a database kept from before the marks
                connection.execute(sa.text(f"UPDATE discoveries SET {UNMARK} WHERE id <= 10"))
        with fresh("small") as engine:
            assert seeded(engine, 2000, None) is not None  # reused, its ten rows marked
            assert seeded(engine, 2000, None) is None  # reused as it is
            with engine.connect() as connection:
                count = f"SELECT count(*) FROM discoveries WHERE {UNMARKED}"
                assert connection.execute(sa.text(count)).scalar_one() == 0


def test_a_kept_database_marked_under_other_words_is_marked_again(tmp_path):
    with sqlite_databases(keep=tmp_path) as fresh:
        with fresh("small") as engine:
            seeded(engine, 2000, None)
            with engine.begin() as connection:  # marked before prompts/opener.yaml changed
                stale = "UPDATE discoveries SET quality_missing = 'an0ldlexicon:' WHERE id <= 10"
                connection.execute(sa.text(stale))
        with fresh("small") as engine:
            assert seeded(engine, 2000, None) is not None  # reused, its ten rows marked again
            with engine.connect() as connection:
                count = "SELECT count(*) FROM discoveries WHERE quality_missing LIKE 'an0ld%'"
                assert connection.execute(sa.text(count)).scalar_one() == 0
