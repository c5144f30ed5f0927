"""Each team owns its answer: a change moves its own route, the discovery's status follows all."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine
from sqlmodel import select

from bot.discoveries.loop import Change, change_status
from bot.discoveries.service import submit_discovery
from storage.engine import session_scope
from storage.enums import DiscoverySource, DiscoveryStatus
from storage.models import Discovery, DiscoveryRoute, StatusChange

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
CHANNELS = {"sales": "C0SALES", "product": "C0PRODUCT"}
ANSWERS = {"account": "Globex", "outcome": "Onboard in a day", "gap": "By hand", "fit": "partly"}


@pytest.fixture
def discovery_id(engine: Engine) -> int:
    """A new discovery on sales and product."""
    with session_scope(engine) as session:
        return submit_discovery(
            session=session, source_key="view:V1", team_id="T0ACME", scout_user_id="U0SCOUT",
            source=DiscoverySource.MODAL, answers=ANSWERS, themes=[], now=NOW,
            routes=[("sales", "Money"), ("product", "Gap")], route_channels=CHANNELS,
        ).discovery_id  # fmt: skip


def _decline(engine: Engine, discovery_id: int, route: str, user: str):
    with session_scope(engine) as session:
        change = Change(DiscoveryStatus.DECLINED, user, CHANNELS[route], "No", route=route)
        return change_status(session=session, discovery_id=discovery_id, change=change, now=NOW)


def _statuses(engine: Engine, discovery_id: int) -> tuple[DiscoveryStatus, dict[str, str]]:
    with session_scope(engine) as session:
        overall = session.get(Discovery, discovery_id).status
        routes = session.exec(select(DiscoveryRoute.route, DiscoveryRoute.status)).all()
        return overall, dict(routes)


def test_a_teams_decline_is_its_own_and_the_other_team_still_owes_an_answer(engine, discovery_id):
    assert _decline(engine, discovery_id, "product", "U0PM").done

    overall, routes = _statuses(engine, discovery_id)
    assert routes == {"sales": DiscoveryStatus.NEW, "product": DiscoveryStatus.DECLINED}
    assert overall == DiscoveryStatus.ACKNOWLEDGED  # answered by someone, still open
    with session_scope(engine) as session:
        [change] = session.exec(select(StatusChange).where(StatusChange.route_id.is_not(None)))
        assert (change.from_status, change.to_status) == ("new", "declined")


def test_two_teams_declining_at_once_leave_the_discovery_declined(engine, discovery_id):
    # Each alone sees the other still new: only the discovery's row lock makes the last one
    # derive the status from both answers (any backend, any process).
    start = threading.Barrier(2)

    def decline(route: str) -> bool:
        start.wait(timeout=10)
        return _decline(engine, discovery_id, route, f"U0{route.upper()}").done

    with ThreadPoolExecutor(max_workers=2) as pool:
        done = list(pool.map(decline, ["sales", "product"]))

    assert done == [True, True]
    overall, routes = _statuses(engine, discovery_id)
    assert set(routes.values()) == {DiscoveryStatus.DECLINED}
    assert overall == DiscoveryStatus.DECLINED
