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
from sqlmodel import Session

from storage.engine import session_scope
from storage.models import Discovery, DiscoveryRoute, StatusChange

BERLIN = ZoneInfo("Europe/Berlin")
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
    """Insert a discovery and its route rows; return its id."""
    if "value_amount" in fields:
        fields["value_amount"] = Decimal(fields["value_amount"])
    discovery = Discovery(
        team_id="T0VALUESCOUT", scout_user_id=scout, account=account,
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
                           channel_id=channel, rerouted_to=away)
        )  # fmt: skip
    session.flush()
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
    session.flush()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session on the test database, committed at the end of the test."""
    with session_scope(engine) as session:
        yield session
