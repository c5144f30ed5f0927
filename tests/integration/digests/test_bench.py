"""bench/digest.py keeps working: its bulk generator and a build, at 2,000 rows (not timed)."""

from __future__ import annotations

from sqlmodel import select

from bench.digest import build_once, full_scans, generate
from storage.engine import session_scope
from storage.models import Discovery, DiscoveryRoute, StatusChange


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
