"""Every status path keeps a discovery's loop facts on its row, as the digests' trend reads them:
submit, also send, answer, re-route, action, follow through, decline, withdraw, merge."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, event
from sqlmodel import select

from bot.discoveries import follow_through
from bot.discoveries.loop import Change, change_status
from bot.discoveries.merging import merge_discoveries
from bot.discoveries.reroute import Move, reroute
from bot.discoveries.service import submit_discovery
from bot.domain.actor import Actor
from storage.engine import session_scope
from storage.enums import DiscoverySource, DiscoveryStatus
from storage.models import Discovery, FollowUp
from storage.queries.loop_facts import FACTS, backfill_loop_facts, routes_of

Status = DiscoveryStatus
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
CHANNELS = {"sales": "C0SALES", "marketing": "C0MKT", "product": "C0PRODUCT"}
ANSWERS = {"account": "Globex", "outcome": "Onboard in a day", "gap": "By hand", "fit": "partly"}


def at(hours: int) -> datetime:
    return T0 + timedelta(hours=hours)


def submit(engine: Engine, key: str, routes: tuple[str, ...]) -> int:
    with session_scope(engine) as session:
        return submit_discovery(
            session=session, source_key=key, team_id="T0ACME", scout_user_id="U0SCOUT",
            source=DiscoverySource.MODAL, answers=ANSWERS, themes=[], now=T0,
            routes=[(r, "Why") for r in routes], route_channels=CHANNELS,
        ).discovery_id  # fmt: skip


# What came of an actioned route: a roadmap item starts product's follow-through.
OUTCOMES = {Status.ACTIONED: "roadmap", Status.DECLINED: "not_a_fit"}


def change(engine: Engine, discovery_id: int, to: Status, route: str, hours: int) -> None:
    made = Change(to, "U0PM", CHANNELS[route], "Note", route=route, outcome_kind=OUTCOMES.get(to))
    with session_scope(engine) as session:
        done = change_status(session=session, discovery_id=discovery_id, now=at(hours), change=made)
        assert done.status == to


def move(engine: Engine, discovery_id: int, src: str, to: str, hours: int, also: bool) -> None:
    with session_scope(engine) as session:
        step = Move(discovery_id, src, to, "U0PM", "Theirs", also=also)
        reroute(session=session, move=step, channels=CHANNELS, now=at(hours))


def facts(engine: Engine, discovery_id: int) -> dict:
    with session_scope(engine) as session:
        row = session.get(Discovery, discovery_id)
        found = {name: getattr(row, name) for name in FACTS}
    found["routes_now"] = sorted(routes_of(found["routes_now"]))
    return found


def expected(routes: list[str], **moments: datetime | str | None) -> dict:
    return dict.fromkeys(FACTS) | {"routes_now": sorted(routes)} | moments


def test_each_status_change_keeps_the_facts_on_the_row(engine):
    found = submit(engine, "view:V1", ("sales",))
    assert facts(engine, found) == expected(["sales"])

    move(engine, found, "sales", "product", 1, also=True)  # a re-route is not an answer
    assert facts(engine, found) == expected(["sales", "product"])

    change(engine, found, Status.ACKNOWLEDGED, "product", 2)
    assert facts(engine, found) == expected(
        ["sales", "product"], answered_at=at(2), furthest_answer="acknowledged"
    )

    move(engine, found, "sales", "marketing", 3, also=False)
    now = expected(["marketing", "product"], answered_at=at(2), furthest_answer="acknowledged")
    assert facts(engine, found) == now

    change(engine, found, Status.ACTIONED, "product", 4)
    now |= {"actioned_at": at(4), "closed_at": at(4), "furthest_answer": "actioned"}
    assert facts(engine, found) == now

    _realise(engine, found, hours=5)
    now |= {"realised_at": at(5)}
    assert facts(engine, found) == now

    change(engine, found, Status.DECLINED, "marketing", 6)  # closed already, answered already
    assert facts(engine, found) == now


def _realise(engine: Engine, discovery_id: int, hours: int) -> None:
    with session_scope(engine) as session:
        follow = session.exec(select(FollowUp).where(FollowUp.discovery_id == discovery_id)).one()
        step = follow_through.Move(
            follow.id, "planned", "shipped", follow.owner_user_id,
            follow_through.Details(link="https://example.com/release"),
        )  # fmt: skip
        result = follow_through.move_stage(session=session, move=step, now=at(hours))
        assert result.stage == "shipped"


def test_a_withdrawal_is_neither_an_answer_nor_a_closure(engine):
    found = submit(engine, "view:V1", ("sales", "product"))
    change(engine, found, Status.WITHDRAWN, "sales", 1)

    assert facts(engine, found) == expected(["sales", "product"])


def test_a_merge_carries_the_other_teams_answer_onto_the_kept_row(engine):
    kept, other = submit(engine, "view:V1", ("product",)), submit(engine, "view:V2", ("product",))
    change(engine, other, Status.ACKNOWLEDGED, "product", 1)
    with session_scope(engine) as session:
        merged = merge_discoveries(
            session=session, kept_id=kept, other_id=other, channel_id=None, now=at(2),
            actor=Actor("U0ADMIN", "T0ACME", is_admin=True),
        )  # fmt: skip
        assert merged.done

    assert facts(engine, kept) == expected(
        ["product"], answered_at=at(2), furthest_answer="acknowledged"
    )
    # Withdrawn (its open route too): answered once, as its history says; counted nowhere.
    assert facts(engine, other) == expected(["product"], answered_at=at(1))


def test_the_backfill_writes_what_the_use_cases_wrote(engine):
    hours = 3
    found = submit(engine, "view:V1", ("sales", "product"))
    change(engine, found, Status.ACKNOWLEDGED, "sales", 1)
    change(engine, found, Status.ACTIONED, "product", hours)
    kept = facts(engine, found)
    with engine.begin() as connection:
        connection.execute(Discovery.__table__.update().values(dict.fromkeys(FACTS)))
        backfill_loop_facts(connection)

    assert facts(engine, found) == kept
    assert kept["closed_at"] == at(hours)


def test_a_refresh_looks_each_history_table_up_by_the_discovery_on_a_database_never_analysed(
    engine: Engine,
):
    # The app never runs ANALYZE: without statistics SQLite's planner took the routes'
    # (status, created_at) index for furthest_answer and read every answered route of the
    # history on each answer (and migration 0024's backfill read them once per discovery).
    if engine.dialect.name != "sqlite":
        pytest.skip("the plan without statistics is SQLite's; PostgreSQL analyses by itself")
    found = submit(engine, "view:V1", ("sales", "product"))
    with _statements(engine) as seen:
        change(engine, found, Status.ACKNOWLEDGED, "sales", 1)
    refreshes = [(sql, params) for sql, params in seen if "SET updated_at" in sql]
    assert refreshes, "the answer refreshed no loop facts"

    with engine.connect() as connection:
        for sql, params in refreshes:
            plan = connection.exec_driver_sql("EXPLAIN QUERY PLAN " + sql, params).all()
            lookups = [row[-1] for row in plan if any(t in row[-1] for t in HISTORY)]
            assert lookups and all("(discovery_id=" in line for line in lookups), lookups


HISTORY = ("status_changes", "stage_changes", "discovery_routes")


@contextmanager
def _statements(engine: Engine) -> Iterator[list[tuple[str, Any]]]:
    """The statements the engine runs meanwhile, with their parameters."""
    seen: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, sql: str, params: Any, *_: Any) -> None:
        seen.append((sql, params))

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)
