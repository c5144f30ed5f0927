"""Plain, read-only views of a discovery, its routes and its history: what rendering draws.

The use case and query side builds them from the stored rows (`view_of`), so rendering never
touches the ORM or a database session and can be tested with plain values.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypeVar

from storage.enums import DiscoveryStatus, Fit, Persona, ValueBand

View = TypeVar("View")


def view_of(kind: type[View], row: Any) -> View:
    """The view `kind` of a stored row (or of any object with those attributes)."""
    # A field the row does not have (a route's follow-through stage) keeps its default.
    values = {f.name: getattr(row, f.name) for f in fields(kind) if hasattr(row, f.name)}
    return kind(**values)  # type: ignore[arg-type]


@dataclass(frozen=True)
class DiscoveryView:
    """A discovery as cards, receipts and App Home show it."""

    id: int
    team_id: str
    scout_user_id: str
    account: str
    outcome: str
    gap: str
    fit: Fit
    status: DiscoveryStatus
    created_at: datetime
    updated_at: datetime
    who_cares: Persona | None = None
    evidence: str | None = None
    evidence_url: str | None = None
    value_band: ValueBand | None = None
    value_amount: Decimal | None = None
    value_currency: str | None = None
    event_date: date | None = None
    event_pressure: str | None = None
    themes: list[str] = field(default_factory=list)
    edited_at: datetime | None = None
    answers: dict[str, Any] = field(default_factory=dict)  # every answer, by question key


def answers_of(discovery: DiscoveryView | Any) -> dict[str, Any]:
    """Every answer of a discovery (a view, or a row) as the dialogue stores them: its document,
    and the built-in answers of the columns where it has none (a row written without one)."""
    return _column_answers(discovery) | dict(getattr(discovery, "answers", None) or {})


def _column_answers(view: DiscoveryView | Any) -> dict[str, Any]:
    """The built-in answers the columns hold, in the dialogue's format (skipped ones left out)."""
    answers: dict[str, Any] = {
        "account": view.account, "outcome": view.outcome, "gap": view.gap, "fit": view.fit,
        "who_cares": view.who_cares, "evidence": view.evidence, "evidence_url": view.evidence_url,
    }  # fmt: skip
    if view.value_amount is not None:
        amount = Decimal(view.value_amount).quantize(Decimal("0.01")).normalize()
        answers["value"] = {"amount": format(amount, "f"), "currency": view.value_currency or ""}
    elif view.value_band is not None:
        answers["value"] = {"band": view.value_band}
    if view.event_date is not None:
        answers["event"] = {
            "date": view.event_date.isoformat(),
            "pressure": view.event_pressure or "",
        }
    plain = {key: getattr(value, "value", value) for key, value in answers.items()}  # enums
    return {key: value for key, value in plain.items() if value not in (None, "")}


@dataclass(frozen=True)
class RouteView:
    """One route a discovery went to, and its card there (if posted)."""

    id: int
    discovery_id: int
    route: str
    reason: str
    channel_id: str
    message_ts: str | None = None
    rerouted_to: str | None = None
    status: DiscoveryStatus = DiscoveryStatus.NEW  # this team's own answer
    created_at: datetime | None = None  # when it reached this team
    stage: str | None = None  # its follow-through stage once actioned (routing.yaml's ids)
    stage_value: Decimal | None = None  # won, in the base currency
    stage_link: str | None = None  # shipped or published: where


@dataclass(frozen=True)
class ChangeView:
    """One change of status in a discovery's history."""

    id: int
    discovery_id: int
    to_status: DiscoveryStatus
    actor_user_id: str
    at: datetime
    from_status: DiscoveryStatus | None = None
    note: str | None = None
    outcome_kind: str | None = None
    link: str | None = None
    rerouted_from: str | None = None
    rerouted_to: str | None = None
    route_id: int | None = None  # the route it changed; None: every route the discovery had


@dataclass(frozen=True)
class ScoutFigures:
    """A scout's discoveries since a date: logged, acknowledged (or further), actioned."""

    logged: int
    acknowledged: int
    actioned: int
