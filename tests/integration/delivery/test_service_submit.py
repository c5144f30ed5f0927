"""submit_discovery: one transaction stores a discovery once, routes it and records its event."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, func, select

from bot.discoveries.service import RouteNotConfigured, SubmitResult, submit_discovery
from bot.effects.dispatch import dispatch_events
from storage.engine import session_scope
from storage.enums import DiscoverySource, DiscoveryStatus, Fit, Persona, ValueBand
from storage.models import Discovery, DiscoveryRoute, OutboxMessage, RecordedEvent, StatusChange

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
CHANNELS = {"sales": "C0SALES", "marketing": "C0MARKETING", "product": "C0PRODUCT"}
FULL_ANSWERS: dict[str, Any] = {
    "account": "Globex",
    "outcome": "Onboard a store in a day",
    "gap": "Stores are set up by hand",
    "fit": "partly",
    "who_cares": "executive",
    "value": {"amount": "40000", "currency": "eur"},
    "event": {"date": "2027-03-31", "pressure": "The board decides on the budget"},
    "evidence": "We lose two weeks per store. " * 1500,  # 43,500 characters: stored whole
    "evidence_url": "https://support.example/tickets/42",
    "routes": ["sales", "product"],
}
MINIMAL_ANSWERS: dict[str, Any] = {"account": "Initech", "outcome": "o", "gap": "g", "fit": "yes"}
ROUTES = [("sales", "Money and a date"), ("product", "Partly delivered today")]


def _submit(
    session: Session,
    *,
    key: str = "view:V1",
    answers: dict[str, Any] = FULL_ANSWERS,
    routes: list[tuple[str, str]] = ROUTES,
    channels: dict[str, str] = CHANNELS,
) -> SubmitResult:
    return submit_discovery(
        session=session,
        source_key=key,
        team_id="T0VALUESCOUT",
        scout_user_id="U0SCOUT",
        source=DiscoverySource.MODAL,
        answers=answers,
        routes=routes,
        themes=["onboarding", "time to value"],
        route_channels=channels,
        now=NOW,
    )


def _count(session: Session, model: type) -> int:
    return session.exec(select(func.count()).select_from(model)).one()


def test_answers_are_stored_in_their_columns_with_the_evidence_whole(engine: Engine):
    with session_scope(engine) as session:
        result = _submit(session)
    with session_scope(engine) as session:
        stored = session.get(Discovery, result.discovery_id)

    assert result.created
    assert (stored.account, stored.outcome, stored.gap) == (
        "Globex",
        "Onboard a store in a day",
        "Stores are set up by hand",
    )
    assert (stored.fit, stored.who_cares) == (Fit.PARTLY, Persona.EXECUTIVE)
    assert (stored.value_amount, stored.value_currency, stored.value_band) == (
        Decimal("40000"),
        "EUR",
        None,
    )
    assert (stored.event_date, stored.event_pressure) == (
        date(2027, 3, 31),
        "The board decides on the budget",
    )
    assert stored.evidence == FULL_ANSWERS["evidence"]
    assert stored.evidence_url == "https://support.example/tickets/42"
    assert stored.themes == ["onboarding", "time to value"]
    assert (stored.status, stored.source, stored.source_key) == (
        DiscoveryStatus.NEW,
        DiscoverySource.MODAL,
        "view:V1",
    )
    assert stored.created_at == NOW


def test_skipped_optional_answers_leave_their_columns_empty_and_a_band_is_kept(engine: Engine):
    with session_scope(engine) as session:
        plain = _submit(session, key="a", answers=MINIMAL_ANSWERS)
        banded = _submit(session, key="b", answers=MINIMAL_ANSWERS | {"value": {"band": "100k_1m"}})
    with session_scope(engine) as session:
        stored, with_band = (
            session.get(Discovery, plain.discovery_id),
            session.get(Discovery, banded.discovery_id),
        )

    empty = (
        "who_cares",
        "evidence",
        "evidence_url",
        "value_band",
        "value_amount",
        "value_currency",
        "event_date",
        "event_pressure",
    )
    assert all(getattr(stored, column) is None for column in empty)
    assert (with_band.value_band, with_band.value_amount) == (ValueBand.FROM_100K_TO_1M, None)


def test_routes_first_status_and_the_event_are_written_in_one_transaction_then_its_effects(
    engine: Engine,
):
    with session_scope(engine) as session:
        discovery_id = _submit(session).discovery_id
    with session_scope(engine) as session:
        routes = session.exec(select(DiscoveryRoute).order_by(DiscoveryRoute.id)).all()
        changes = session.exec(select(StatusChange)).all()
        [event] = session.exec(select(RecordedEvent)).all()
        queued_at_once = _count(session, OutboxMessage)
    assert dispatch_events(engine=engine, now=NOW, webhook=False) == 1
    assert dispatch_events(engine=engine, now=NOW, webhook=False) == 0  # dispatched once
    with session_scope(engine) as session:
        outbox = session.exec(select(OutboxMessage).order_by(OutboxMessage.id)).all()

    assert (event.type, event.discovery_id, event.team_id, event.occurred_at) == (
        "discovery.submitted", discovery_id, "T0VALUESCOUT", NOW,
    )  # fmt: skip
    assert event.data["channels"] == {"sales": "C0SALES", "product": "C0PRODUCT"}
    assert (event.discovery["id"], event.discovery["account"]) == (discovery_id, "Globex")
    assert queued_at_once == 0  # the worker queues the effects: the submit only records

    assert [(r.route, r.reason, r.channel_id, r.message_ts) for r in routes] == [
        ("sales", "Money and a date", "C0SALES", None),
        ("product", "Partly delivered today", "C0PRODUCT", None),
    ]
    [change] = changes
    assert (change.discovery_id, change.from_status, change.to_status) == (
        discovery_id,
        None,
        DiscoveryStatus.NEW,
    )
    assert (change.actor_user_id, change.at) == ("U0SCOUT", NOW)
    assert [(m.kind, m.channel_id, m.dedupe_key, m.payload, m.discovery_id) for m in outbox] == [
        ("discovery_card", "C0SALES", f"card:{discovery_id}:sales", {"discovery_id": discovery_id, "route": "sales"}, discovery_id),
        ("discovery_card", "C0PRODUCT", f"card:{discovery_id}:product", {"discovery_id": discovery_id, "route": "product"}, discovery_id),
        # A user id as channel: chat.postMessage posts in the app's DM with the scout.
        ("receipt", "U0SCOUT", f"receipt:{discovery_id}", {"discovery_id": discovery_id}, discovery_id),
    ]  # fmt: skip
    assert all(m.next_attempt_at == NOW and m.attempts == 0 for m in outbox)


def test_submitting_the_same_source_key_again_returns_the_first_and_writes_nothing(engine: Engine):
    with session_scope(engine) as session:
        first = _submit(session)
    with session_scope(engine) as session:
        again = _submit(session, answers=MINIMAL_ANSWERS, routes=[("marketing", "other")])
    with session_scope(engine) as session:
        counts = [
            _count(session, m) for m in (Discovery, DiscoveryRoute, StatusChange, RecordedEvent)
        ]
        stored = session.get(Discovery, first.discovery_id)

    assert again == SubmitResult(discovery_id=first.discovery_id, created=False)
    assert counts == [1, 2, 1, 1]
    assert stored.account == "Globex"


def test_two_sessions_racing_with_one_source_key_create_exactly_one_discovery(engine: Engine):
    barrier = threading.Barrier(4)

    def contender(_: int) -> SubmitResult:
        barrier.wait(timeout=10)
        with session_scope(engine) as session:
            return _submit(session, key="view:double-click")

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(contender, range(4)))
    with session_scope(engine) as session:
        counts = [
            _count(session, m) for m in (Discovery, DiscoveryRoute, StatusChange, RecordedEvent)
        ]

    assert sum(result.created for result in results) == 1
    assert len({result.discovery_id for result in results}) == 1
    assert counts == [1, 2, 1, 1]


def test_a_route_without_a_channel_is_refused_before_anything_is_written(engine: Engine):
    channels = {"sales": "C0SALES", "product": ""}

    with pytest.raises(RouteNotConfigured) as refused, session_scope(engine) as session:
        _submit(session, channels=channels)
    with session_scope(engine) as session:
        counts = [
            _count(session, m) for m in (Discovery, DiscoveryRoute, StatusChange, RecordedEvent)
        ]

    assert refused.value.route == "product"
    assert "product" in str(refused.value)
    assert counts == [0, 0, 0, 0]


def test_a_retry_returns_the_first_discovery_even_after_its_route_was_unmapped(engine: Engine):
    with session_scope(engine) as session:
        first = _submit(session)
    with session_scope(engine) as session:
        again = _submit(session, channels={"sales": "C0SALES"})

    assert again == SubmitResult(discovery_id=first.discovery_id, created=False)
