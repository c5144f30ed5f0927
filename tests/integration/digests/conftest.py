"""Hand-made discoveries, routes and status changes for digest tests, at local wall-clock times."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from bot.domain.money import current_money
from storage.engine import session_scope
from storage.models import Discovery, DiscoveryRoute, StatusChange
from storage.queries.loop_facts import refresh_loop_facts

BERLIN = ZoneInfo("Europe/Berlin")
TEAM = "T0VALUESCOUT"  # the workspace every hand-made discovery belongs to
_keys = itertools.count(1)


def local(year: int, month: int, day: int, hour: int = 12, minute: int = 0) -> datetime:
    """A wall-clock moment in Berlin."""
    return datetime(year, month, day, hour, minute, tzinfo=BERLIN)


def add_discovery(
    session: Session,
    *,
    account: str,
    at: datetime,
    scout: str = "U0SCOUT",
    routes: tuple[str, ...] = ("sales",),
    themes: tuple[str, ...] = ("onboarding",),
    status: str = "new",
    rerouted: dict[str, str] | None = None,
    **fields: Any,
) -> int:
    """Insert a discovery and its route rows (each with the discovery's status, arrived when it
    was logged); return its id."""
    if "value_amount" in fields:
        fields["value_amount"] = Decimal(fields["value_amount"])
    fields.setdefault("value_base", current_money().value(  # as submitting stores it
        band=fields.get("value_band"), amount=fields.get("value_amount"),
        currency=fields.get("value_currency"),
    ))  # fmt: skip
    discovery = Discovery(
        team_id=fields.pop("team_id", TEAM), scout_user_id=scout, account=account,
        outcome=fields.pop("outcome", f"Outcome at {account}"), gap="A gap", fit="partly",
        themes=list(themes), status=status, source="modal", source_key=f"test:{next(_keys)}",
        created_at=at, updated_at=at, **fields,
    )  # fmt: skip
    session.add(discovery)
    session.flush()
    for route in routes:
        away = (rerouted or {}).get(route)
        channel = f"C0{route.upper()}"
        session.add(
            DiscoveryRoute(discovery_id=discovery.id, route=route, reason="test",
                           channel_id=channel, rerouted_to=away, status=status, created_at=at)
        )  # fmt: skip
    refresh_loop_facts(session=session, discovery_id=discovery.id)  # as the use cases keep them
    return discovery.id


def add_change(
    session: Session,
    discovery_id: int,
    *,
    to: str,
    at: datetime,
    actor: str = "U0PM",
    from_status: str = "new",
    **fields: Any,
) -> None:
    """Record a status change (the discovery's status column is the test's to set)."""
    change = StatusChange(
        discovery_id=discovery_id, from_status=from_status, to_status=to, actor_user_id=actor,
        at=at, **fields,
    )  # fmt: skip
    session.add(change)
    refresh_loop_facts(session=session, discovery_id=discovery_id)


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session on the test database, committed at the end of the test."""
    with session_scope(engine) as session:
        yield session


@pytest.fixture
def hand_made_week(session):
    """The hand-made week described in each assertion below; returns ids by name."""
    return make_week(session)


def make_week(session, team_id: str = TEAM, mark: str = ""):
    """The hand-made week, in a workspace: `mark` ends every account and scout id (another
    workspace's week, told apart)."""

    def add(account: str, at: datetime, **fields: Any) -> int:
        fields["scout"] = fields.get("scout", "U0SCOUT") + mark
        return add_discovery(session, account=account + mark, at=at, team_id=team_id, **fields)

    ids = {
        "acme": add("Acme", local(2026, 11, 16, 10), scout="U1", value_amount="50000",
                    value_currency="EUR"),
        # Sunday 23:30 in Berlin is 22:30 UTC: still this week.
        "globex": add("Globex", local(2026, 11, 22, 23, 30), scout="U2",
                      routes=("sales", "product"), themes=("onboarding", "reporting"),
                      value_band="100k_1m", event_date=datetime(2027, 3, 1).date()),
        # Monday 00:30 in Berlin is Sunday 23:30 UTC: next week.
        "initech": add("Initech", local(2026, 11, 23, 0, 30), scout="U6"),
        "acme2": add(" acme ", local(2026, 11, 18, 10), scout="U1", evidence="Call notes"),
        "umbrella": add("Umbrella", local(2026, 11, 10), scout="U1", themes=("pricing",)),
        "withdrawn": add("Gone", local(2026, 11, 17), scout="U3", status="withdrawn"),
        "moved": add("Hooli", local(2026, 11, 17), scout="U4", routes=("sales", "marketing"),
                     rerouted={"sales": "marketing"}, themes=("unthemed",),
                     evidence_url="https://hooli.example/x"),
        "old": add("Vandelay", local(2026, 11, 4), scout="U5", status="declined"),
        "older": add("Stark", local(2026, 10, 26), scout="U2", status="actioned"),
    }  # fmt: skip
    add_change(session, ids["acme"], to="acknowledged", at=local(2026, 11, 17), actor="UPM")
    add_change(session, ids["acme"], to="actioned", at=local(2026, 11, 19), actor="UPM",
               from_status="acknowledged", outcome_kind="content", note="Deck", link="https://x.example")  # fmt: skip
    add_change(session, ids["old"], to="declined", at=local(2026, 11, 21), actor="UPM2", note="No")
    add_change(session, ids["older"], to="acknowledged", at=local(2026, 10, 27), actor="UPM")
    add_change(session, ids["older"], to="actioned", at=local(2026, 11, 23, 0, 30),
               from_status="acknowledged", outcome_kind="roadmap")  # fmt: skip
    # A re-route is a change too, but neither an answer nor a closure.
    add_change(session, ids["moved"], to="new", at=local(2026, 11, 18), rerouted_from="sales",
               rerouted_to="marketing")  # fmt: skip
    _set_status(session, ids["acme"], "actioned")
    return ids


def _set_status(session, discovery_id, status):
    """The discovery's status and each of its routes' (one answer for all, as before 0015)."""
    session.get(Discovery, discovery_id).status = status
    for route in session.exec(
        select(DiscoveryRoute).where(DiscoveryRoute.discovery_id == discovery_id)
    ):
        route.status = status
    refresh_loop_facts(session=session, discovery_id=discovery_id)
