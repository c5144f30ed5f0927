"""The coaches' trend reads kept past weeks: the same figures as counting, and a change to a
discovery of a kept week is in the next build."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import Session, select

from bot.digests.figures import coach_figures, route_counts, trend_edges
from bot.digests.jobs import keep_trend
from bot.digests.model import Week
from storage.engine import create_engine_for, read_scope, session_scope
from storage.migrate import downgrade, upgrade
from storage.models import Discovery, TrendWeek
from storage.queries.digest_kept import kept_weeks
from storage.queries.digest_loops import trend_loops
from storage.queries.loop_facts import refresh_loop_facts
from tests.integration.digests.conftest import (
    BERLIN,
    TEAM,
    add_change,
    add_discovery,
    local,
    make_week,
)

WEEK = Week.parse("2026-W47")  # Monday 16 to Sunday 22 November 2026, CET (UTC+1)
NEXT = WEEK.shifted(1)
MONDAY_AFTER = datetime(2026, 11, 23, 9, tzinfo=UTC)  # W47's digests are due
MONDAY_AFTER_NEXT = MONDAY_AFTER + timedelta(weeks=1)


def _figures(engine, week=WEEK, now=MONDAY_AFTER):
    with read_scope(engine) as session:
        return coach_figures(session=session, team_id=TEAM, week=week, zone=BERLIN, now=now)


def _kept(engine, week=WEEK):
    with read_scope(engine) as session:
        return kept_weeks(session=session, team_id=TEAM, edges=trend_edges(week, BERLIN))


def _trend(figures):
    """What the chart, the trend tables and the rising themes read."""
    return (figures.loop_trend, figures.completeness_trend, figures.series, figures.timing,
            figures.funnel, figures.totals, figures.themes)  # fmt: skip


def _arrivals(engine, week=WEEK, now=MONDAY_AFTER):
    """Each route digest's arrivals this week and the week before."""
    with read_scope(engine) as session:
        counts = route_counts(session=session, team_id=TEAM, week=week, zone=BERLIN, now=now,
                              open_after=3)  # fmt: skip
    return counts.logged, counts.logged_before


def test_kept_weeks_give_the_figures_counting_gives(engine):
    with session_scope(engine) as session:
        make_week(session)
    counted, arrivals = _figures(engine), _arrivals(engine, NEXT, MONDAY_AFTER_NEXT)

    assert keep_trend(engine=engine, team_id=TEAM, week=WEEK, zone=BERLIN, now=MONDAY_AFTER) == 12
    assert len(_kept(engine)) == 12

    assert _trend(_figures(engine)) == _trend(counted)
    assert _arrivals(engine, NEXT, MONDAY_AFTER_NEXT) == arrivals  # W47 before W48: kept
    assert arrivals[1] == {"sales": 3, "marketing": 1, "product": 1}
    # Kept already: nothing is counted again.
    assert keep_trend(engine=engine, team_id=TEAM, week=WEEK, zone=BERLIN, now=MONDAY_AFTER) == 0


def test_a_status_change_on_a_three_week_old_discovery_changes_next_weeks_trend(engine):
    logged = local(2026, 11, 4)  # W45: three weeks before NEXT's last week, two before W47
    with session_scope(engine) as session:
        old = add_discovery(session, account="Vandelay", at=logged)
        add_discovery(session, account="Acme", at=local(2026, 11, 24))  # in NEXT
    keep_trend(engine=engine, team_id=TEAM, week=WEEK, zone=BERLIN, now=MONDAY_AFTER)
    index = 8  # W45 in NEXT's twelve weeks, W37 to W48
    before = _figures(engine, NEXT, MONDAY_AFTER_NEXT).loop_trend[index]
    assert (before.logged, before.answered, before.median_seconds) == (1, 0, None)

    with session_scope(engine) as session:  # as a PM's click: the change and the loop facts
        add_change(session, old, to="acknowledged", at=local(2026, 11, 25))
    w45 = trend_edges(NEXT, BERLIN)[index]
    assert w45 not in {start for start, _end in _kept(engine, NEXT)}  # forgotten

    keep_trend(engine=engine, team_id=TEAM, week=NEXT, zone=BERLIN, now=MONDAY_AFTER_NEXT)
    after = _figures(engine, NEXT, MONDAY_AFTER_NEXT).loop_trend[index]
    assert (after.logged, after.answered, after.median_seconds) == (1, 1, 21 * 86400)


def test_an_edit_to_a_kept_weeks_discovery_changes_its_completeness(engine):
    with session_scope(engine) as session:
        old = add_discovery(session, account="Vandelay", at=local(2026, 11, 4))
    keep_trend(engine=engine, team_id=TEAM, week=WEEK, zone=BERLIN, now=MONDAY_AFTER)
    assert _figures(engine).completeness_trend[-3].valued == 0

    with session_scope(engine) as session:  # not a loop: no loop facts refreshed
        session.get(Discovery, old).value_band = "100k_1m"

    assert _figures(engine).completeness_trend[-3].valued == 1


def test_a_re_themed_discovery_of_a_kept_week_changes_the_themes_before_this_one(engine):
    with session_scope(engine) as session:
        old = add_discovery(session, account="Vandelay", at=local(2026, 11, 4))
        add_discovery(session, account="Acme", at=local(2026, 11, 18))
    keep_trend(engine=engine, team_id=TEAM, week=WEEK, zone=BERLIN, now=MONDAY_AFTER)
    assert [(t.theme, t.before) for t in _figures(engine).themes] == [("onboarding", 1)]

    with session_scope(engine) as session:
        session.get(Discovery, old).themes = ["pricing"]
    keep_trend(engine=engine, team_id=TEAM, week=WEEK, zone=BERLIN, now=MONDAY_AFTER)

    themes = [(t.theme, t.this_week, t.before) for t in _figures(engine).themes]
    assert themes == [("onboarding", 1, 0), ("pricing", 0, 1)]


def test_a_change_the_trend_does_not_read_keeps_the_week(engine):
    with session_scope(engine) as session:
        old = add_discovery(session, account="Vandelay", at=local(2026, 11, 4))
    keep_trend(engine=engine, team_id=TEAM, week=WEEK, zone=BERLIN, now=MONDAY_AFTER)

    with session_scope(engine) as session:  # its gap edited, and its loop facts written again
        session.get(Discovery, old).gap = "Another gap"
        refresh_loop_facts(session=session, discovery_id=old)

    assert len(_kept(engine)) == 12


def test_a_kept_week_is_counted_again_when_the_build_is_as_of_a_moment_before_its_latest(engine):
    with session_scope(engine) as session:
        old = add_discovery(session, account="Vandelay", at=local(2026, 11, 4))
        add_change(session, old, to="acknowledged", at=local(2026, 11, 30))  # after W47
    keep_trend(engine=engine, team_id=TEAM, week=NEXT, zone=BERLIN, now=MONDAY_AFTER_NEXT)
    assert len(_kept(engine, NEXT)) == 12

    # W47's digest built again: as of its end, Vandelay was not answered yet.
    loops = _figures(engine).loop_trend[-3]
    assert (loops.logged, loops.answered) == (1, 0)


def test_a_week_not_over_is_not_kept(engine):
    during = local(2026, 11, 20)
    assert keep_trend(engine=engine, team_id=TEAM, week=WEEK, zone=BERLIN, now=during) == 11


def test_a_workspace_reads_its_own_kept_weeks(engine):
    with session_scope(engine) as session:
        add_discovery(session, account="Acme", at=local(2026, 11, 4))
        add_discovery(session, account="Globex", at=local(2026, 11, 4), team_id="T0OTHER")
    keep_trend(engine=engine, team_id=TEAM, week=WEEK, zone=BERLIN, now=MONDAY_AFTER)
    keep_trend(engine=engine, team_id=None, week=WEEK, zone=BERLIN, now=MONDAY_AFTER)
    edges = trend_edges(WEEK, BERLIN)

    with read_scope(engine) as session:
        mine = trend_loops(session=session, team_id=TEAM, edges=edges, as_of=MONDAY_AFTER)
        every = trend_loops(session=session, team_id=None, edges=edges, as_of=MONDAY_AFTER)
    assert (mine.weeks[-3].logged, every.weeks[-3].logged) == (1, 2)

    with session_scope(engine) as session:  # another workspace's change forgets its rows only
        other = session.exec(select(Discovery).where(Discovery.team_id == "T0OTHER")).one()
        other.evidence = "Call notes"
    with read_scope(engine) as session:
        teams = session.exec(
            sa.select(TrendWeek.team_id, sa.func.count()).group_by(TrendWeek.team_id)
        )
        assert dict(teams.all()) == {TEAM: 12, "": 11}


def test_migration_0026_adds_the_kept_weeks_and_their_triggers_and_takes_them_away(
    empty_database_url,
):
    upgrade(engine_or_url=empty_database_url, revision="0026")
    engine = create_engine_for(empty_database_url)
    try:
        with session_scope(engine) as session:
            add_discovery(session, account="Acme", at=local(2026, 11, 4))
        keep_trend(engine=engine, team_id=TEAM, week=WEEK, zone=BERLIN, now=MONDAY_AFTER)
        with session_scope(engine) as session:
            session.exec(sa.update(Discovery).values(evidence="Call notes"))
        assert len(_kept(engine)) == 11  # the week of the changed discovery forgotten

        downgrade(engine_or_url=empty_database_url, revision="0025")
        assert "digest_trend_weeks" not in sa.inspect(engine).get_table_names()
        with session_scope(engine) as session:  # no trigger left to name the table
            session.exec(sa.update(Discovery).values(evidence="Other notes"))
    finally:
        engine.dispose()


def test_keeping_waits_for_a_change_in_flight_and_counts_it(engine):
    """PostgreSQL: a change whose trigger ran before the week was kept, committed after the
    keeper began, must not leave the week kept without it (SQLite has one writer)."""
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite's keeping transaction is its one writer")
    with session_scope(engine) as session:
        old = add_discovery(session, account="Vandelay", at=local(2026, 11, 4))
    writer = Session(engine)
    writer.get(Discovery, old).value_band = "100k_1m"
    writer.flush()  # its trigger ran; not committed
    keeper = threading.Thread(
        target=keep_trend,
        kwargs={
            "engine": engine,
            "team_id": TEAM,
            "week": WEEK,
            "zone": BERLIN,
            "now": MONDAY_AFTER,
        },
    )
    keeper.start()
    try:
        assert _waits_for_the_kept_weeks_lock(engine), "the keeper did not wait for the change"
    finally:
        writer.commit()
        writer.close()
        keeper.join(timeout=60)

    assert len(_kept(engine)) == 12
    assert _figures(engine).completeness_trend[-3].valued == 1


def _waits_for_the_kept_weeks_lock(engine, seconds: float = 10.0) -> bool:
    """Whether some transaction is seen waiting for a lock on the kept weeks in time."""
    waiting = sa.text(
        "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation"
        " WHERE c.relname = 'digest_trend_weeks' AND NOT l.granted"
    )
    deadline = time.monotonic() + seconds
    with engine.connect() as connection:
        while time.monotonic() < deadline:
            if connection.execute(waiting).scalar_one():
                return True
            connection.rollback()  # a fresh snapshot of pg_locks each time
    return False
