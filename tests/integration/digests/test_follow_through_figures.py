"""Realised value in the digests' figures: per week (for a chart), per scout (most won first),
the funnel counted per discovery, and overdue follow-ups per route."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlmodel import select

from bot.digests.figures import realised_by_week
from bot.digests.model import Week
from storage.models import DiscoveryRoute, FollowUp, StageChange
from storage.queries.digest_follow_through import (
    funnel,
    overdue_follow_ups,
    realised_scouts,
)
from storage.queries.digest_loops import Funnel, LoopWeek, trend_loops
from storage.queries.digest_scouts import weekly_loops
from storage.queries.loop_facts import refresh_loop_facts
from tests.integration.digests.conftest import BERLIN, TEAM, add_change, add_discovery, local


def follow(session, discovery_id: int, route: str, stages, *, asked: int = 0) -> None:
    """A follow-up on the discovery's route and its stage moves: (stage, realised, at, base)."""
    route_id = session.exec(
        select(DiscoveryRoute.id).where(
            DiscoveryRoute.discovery_id == discovery_id, DiscoveryRoute.route == route
        )
    ).one()
    row = FollowUp(
        discovery_id=discovery_id, route_id=route_id, route=route, owner_user_id="U0PM",
        stage=stages[-1][0], due_on=datetime(2026, 12, 1).date(), asked=asked,
        updated_at=stages[-1][2],
    )  # fmt: skip
    session.add(row)
    session.flush()
    for stage, realised, at, base in stages:
        change = StageChange(
            discovery_id=discovery_id, follow_up_id=row.id, route=route, stage=stage,
            realised=realised, actor_user_id="U0PM", amount_base=base, at=at,
        )  # fmt: skip
        session.add(change)
    refresh_loop_facts(session=session, discovery_id=discovery_id)  # as a stage move keeps them


def test_realised_value_per_week_per_scout_and_the_funnel(session):
    won = add_discovery(session, account="Acme", at=local(2026, 11, 2), scout="U1",
                        routes=("sales", "product"), status="actioned")  # fmt: skip
    shipped = add_discovery(session, account="Globex", at=local(2026, 11, 3), scout="U2",
                            routes=("product",), status="actioned")  # fmt: skip
    add_discovery(session, account="Initech", at=local(2026, 11, 4), scout="U2",
                  status="acknowledged")  # fmt: skip
    add_discovery(session, account="Hooli", at=local(2026, 11, 5), scout="U3")
    gone = add_discovery(session, account="Gone", at=local(2026, 11, 5), scout="U4",
                         status="withdrawn")  # fmt: skip
    follow(session, won, "sales", [("opened", False, local(2026, 11, 9), None),
                                   ("won", True, local(2026, 11, 17), Decimal("54000"))])  # fmt: skip
    follow(session, won, "product", [("planned", False, local(2026, 11, 9), None),
                                     ("shipped", True, local(2026, 11, 18), None)])  # fmt: skip
    follow(session, shipped, "product", [("shipped", True, local(2026, 11, 20), None)])
    follow(session, gone, "sales", [("won", True, local(2026, 11, 19), Decimal("1"))])

    weeks = [Week.parse("2026-W46"), Week.parse("2026-W47"), Week.parse("2026-W48")]
    by_week = realised_by_week(session=session, team_id=TEAM, weeks=weeks, zone=BERLIN)
    assert [(w.discoveries, w.won) for w in by_week] == [(0, 0), (2, Decimal("54000")), (0, 0)]
    assert by_week[1].start == local(2026, 11, 16, 0)

    start, end = Week.parse("2026-W47").bounds(BERLIN)
    scouts = realised_scouts(session=session, team_id=TEAM, start=start, end=end, limit=10)
    assert [(s.scout_user_id, s.discoveries, s.won, s.stages) for s in scouts] == [
        ("U1", 1, Decimal("54000"), {"won": 1, "shipped": 1}),
        ("U2", 1, Decimal("0"), {"shipped": 1}),
    ]  # the withdrawn discovery's win counts nowhere

    steps = funnel(session=session, team_id=TEAM, start=local(2026, 11, 1), end=local(2026, 11, 30))
    assert (steps.logged, steps.acknowledged, steps.actioned, steps.realised) == (4, 3, 2, 2)

    # The chart's loop closure: the week's discoveries realised as their loops stood then.
    edges = [local(2026, 11, 2), local(2026, 11, 9)]
    assert weekly_loops(session=session, team_id=TEAM, edges=edges, as_of=local(2026, 11, 18, 12))[0].realised == 1
    assert weekly_loops(session=session, team_id=TEAM, edges=edges, as_of=local(2026, 11, 30))[0].realised == 2


def test_one_read_of_the_trend_gives_its_weeks_the_cohorts_timing_and_the_funnel(session):
    won = add_discovery(session, account="Acme", at=local(2026, 11, 2), status="actioned")
    shipped = add_discovery(session, account="Globex", at=local(2026, 11, 10), status="actioned")
    add_discovery(session, account="Initech", at=local(2026, 11, 11), status="acknowledged")
    add_discovery(session, account="Gone", at=local(2026, 11, 11), status="withdrawn")
    follow(session, won, "sales", [("won", True, local(2026, 11, 12), Decimal("5"))])
    follow(session, shipped, "sales", [("won", True, local(2026, 11, 20), Decimal("5"))])
    edges = [local(2026, 11, 2), local(2026, 11, 9), local(2026, 11, 16)]

    loops = trend_loops(session=session, team_id=TEAM, edges=edges, as_of=local(2026, 11, 16), cohort_weeks=1)

    # Realised as the weeks' loops stood at the moment; the funnel says what is realised now.
    assert loops.weeks == (LoopWeek(1, 0, 0, None, 1), LoopWeek(2, 0, 0, None, 0))
    assert (loops.timing.cohort, loops.timing.answered) == (1, 0)  # the week before the last
    assert loops.funnel == Funnel(logged=3, acknowledged=3, actioned=2, realised=2)
    assert loops.funnel == funnel(session=session, team_id=TEAM, start=edges[0], end=local(2026, 11, 16))


def test_the_trend_counts_a_discovery_once_per_current_route_however_many_changes(session):
    both = add_discovery(session, account="Acme", at=local(2026, 11, 2), routes=("sales", "product"),
                         rerouted={"product": "marketing"}, status="actioned")  # fmt: skip
    add_change(session, both, to="acknowledged", at=local(2026, 11, 3))
    add_change(session, both, to="actioned", at=local(2026, 11, 5), from_status="acknowledged")
    add_discovery(session, account="Globex", at=local(2026, 11, 10), routes=("product",))
    edges = [local(2026, 11, 2), local(2026, 11, 9), local(2026, 11, 16)]

    loops = trend_loops(session=session, team_id=TEAM, edges=edges, as_of=local(2026, 11, 16),
                        routes=("sales", "marketing", "product"))  # fmt: skip

    assert loops.series == {"sales": [1, 0], "marketing": [0, 0], "product": [0, 1]}
    assert [week.logged for week in loops.weeks] == [1, 1]
    assert loops.weeks[0] == LoopWeek(1, 1, 1, 86400.0, 0)  # answered a day after logging


def test_overdue_follow_ups_are_those_asked_twice_per_route(session):
    late = add_discovery(session, account="Acme", at=local(2026, 11, 2), status="actioned")
    asked_once = add_discovery(session, account="Globex", at=local(2026, 11, 2), status="actioned")
    follow(session, late, "sales", [("opened", False, local(2026, 11, 2), None)], asked=2)
    follow(session, asked_once, "sales", [("opened", False, local(2026, 11, 2), None)], asked=1)
    count, rows = overdue_follow_ups(session=session, team_id=TEAM, route="sales", limit=5)
    assert count == 1 and [(r.account, r.stage) for r in rows] == [("Acme", "opened")]
    assert overdue_follow_ups(session=session, team_id=TEAM, route="product", limit=5) == (0, [])
