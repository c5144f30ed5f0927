"""Discovery use cases, one transaction each: submit, and what delivery reads and records."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, select

from bot.dialogue.definition import NOT_ANSWERS
from bot.dialogue.evidence import keep_opener
from bot.discoveries.event_log import record
from bot.domain.events import DiscoverySubmitted
from bot.domain.money import current_money
from bot.domain.opener.quality import completeness, missing_mark
from bot.domain.views import DiscoveryView

# The Slack outbox's vocabulary lives with the effects; re-exported for delivery's modules:
from bot.effects.slack import CARD as CARD
from bot.effects.slack import CARD_UPDATE
from bot.effects.slack import RECEIPT as RECEIPT
from bot.effects.slack import RECEIPT_UPDATE as RECEIPT_UPDATE
from bot.effects.slack import card_key as card_key
from bot.effects.slack import queue_redraws as queue_redraws
from bot.effects.slack import receipt_key as receipt_key
from bot.effects.slack import receipt_posts as receipt_posts
from storage.enums import (
    DiscoverySource,
    DiscoveryStatus,
    Fit,
    Persona,
    ValueBand,
)
from storage.models import Discovery, DiscoveryRoute, StatusChange
from storage.queries import enqueue_outbox, mark_outbox_sent
from storage.queries import postpone_outbox as postpone_outbox
from storage.queries._dialect import insert_for, inserted_one_row
from storage.queries.accounts import account_for_name
from storage.queries.loop_facts import refresh_loop_facts


class RouteNotConfigured(Exception):
    """A route was chosen that has no Slack channel yet: an admin must map it first."""

    def __init__(self, route: str) -> None:
        super().__init__(f"route {route!r} has no channel configured")
        self.route = route


@dataclass(frozen=True)
class SubmitResult:
    """The stored discovery's id, and whether this call created it."""

    discovery_id: int
    created: bool


def submit_discovery(
    *,
    session: Session,
    source_key: str,
    team_id: str,
    scout_user_id: str,
    source: DiscoverySource,
    answers: Mapping[str, Any],
    routes: list[tuple[str, str]],
    themes: list[str],
    route_channels: Mapping[str, str | None],
    now: datetime,
) -> SubmitResult:
    """Store a discovery once per source_key, with its routes, first status and its event."""
    existing = _discovery_id(session, source_key)
    if existing is not None:  # a retry: whatever changed since, the first submit stands
        return SubmitResult(discovery_id=existing, created=False)
    # Checked before any write, so a refused submit leaves nothing behind.
    channels = {route: _channel_for(route, route_channels) for route, _ in routes}
    values = dict(team_id=team_id, scout_user_id=scout_user_id, source=source, themes=list(themes))
    values |= answered_columns(session=session, team_id=team_id, answers=answers)
    created = _insert_discovery(session, source_key, values, now)
    discovery_id = _discovery_id(session, source_key)
    assert discovery_id is not None  # inserted, by this call or by the one that won the race
    if created:
        _record_routes(session, discovery_id, scout_user_id, routes, channels, now)
        submitted = DiscoverySubmitted(discovery_id, scout_user_id, channels=channels)
        record(session=session, event=submitted, now=now)
    return SubmitResult(discovery_id=discovery_id, created=created)


def _insert_discovery(
    session: Session, source_key: str, values: dict[str, Any], now: datetime
) -> bool:
    """Insert the discovery unless its source_key exists; True when this call inserted it."""
    values |= {"source_key": source_key, "status": DiscoveryStatus.NEW}
    statement = (
        insert_for(session, Discovery)
        .values(created_at=now, updated_at=now, **values)
        # The unique source_key decides between racing submits (double click, retries, two
        # processes): the loser inserts nothing, and then reads the winner's row.
        .on_conflict_do_nothing(index_elements=["source_key"])
    )
    return inserted_one_row(session, statement)


def _discovery_id(session: Session, source_key: str) -> int | None:
    """The id of the discovery submitted with this key, if any."""
    return session.exec(select(Discovery.id).where(Discovery.source_key == source_key)).first()


def _channel_for(route: str, route_channels: Mapping[str, str | None]) -> str:
    """The channel configured for a route, or RouteNotConfigured."""
    channel = route_channels.get(route)
    if not channel:
        raise RouteNotConfigured(route)
    return channel


def _record_routes(
    session: Session,
    discovery_id: int,
    scout_user_id: str,
    routes: list[tuple[str, str]],
    channels: dict[str, str],
    now: datetime,
) -> None:
    """Where the discovery goes and why, and its first status change (new, by the scout)."""
    for route, reason in routes:
        session.add(
            DiscoveryRoute(
                discovery_id=discovery_id,
                route=route,
                reason=reason,
                channel_id=channels[route],
                created_at=now,
            )
        )
    first = StatusChange(
        discovery_id=discovery_id, from_status=None, to_status=DiscoveryStatus.NEW,
        actor_user_id=scout_user_id, at=now,
    )  # fmt: skip
    session.add(first)
    refresh_loop_facts(session=session, discovery_id=discovery_id)  # its routes_now


def account_link(*, session: Session, team_id: str, name: str) -> dict[str, Any]:
    """The account a discovery links to, by its kept name: the one `name` matches in the
    workspace, or a new one there."""
    account = account_for_name(session=session, team_id=team_id, name=name)
    return {"account_id": account.id, "account": account.name}


def answered_columns(
    *, session: Session, team_id: str, answers: Mapping[str, Any]
) -> dict[str, Any]:
    """The columns of a discovery with these answers, linked to its account: the account's kept
    name is the answer in the document and the column alike."""
    link = account_link(session=session, team_id=team_id, name=answers["account"])
    return discovery_columns({**answers, "account": link["account"]}) | link


def answer_document(answers: Mapping[str, Any]) -> dict[str, Any]:
    """Every answer given, under its key, as the dialogue holds it (routes are stored apart)."""
    return {
        key: value
        for key, value in answers.items()
        if key not in NOT_ANSWERS and not key.startswith("_") and value not in (None, "", [], {})
    }


def discovery_columns(answers: Mapping[str, Any]) -> dict[str, Any]:
    """Map a dialogue's answers to the Discovery row: the whole document, and the columns that
    queries read (skipped answers become None), and the completeness score. The one place the
    projection is written; the opener stays first in the evidence whatever was added after it."""
    answers = keep_opener(answers)
    columns = {
        "answers": answer_document(answers),
        "account": answers["account"],
        "outcome": answers["outcome"],
        "gap": answers["gap"],
        "fit": Fit(answers["fit"]),
        "who_cares": Persona(answers["who_cares"]) if answers.get("who_cares") else None,
        "evidence": answers.get("evidence") or None,
        "evidence_url": answers.get("evidence_url") or None,
        **_value_columns(answers.get("value")),
        **_event_columns(answers.get("event")),
        "quality": completeness(answers).score,
    }
    # What the columns lack, as the digests score them: they read it rather than score again.
    return columns | {"quality_missing": missing_mark(columns)}


def _value_columns(value: Mapping[str, Any] | None) -> dict[str, Any]:
    """A band, or an amount with its currency."""
    columns: dict[str, Any] = {"value_band": None, "value_amount": None, "value_currency": None}
    if not value:
        return columns | {"value_base": None}
    if value.get("band"):
        columns["value_band"] = ValueBand(value["band"])
    if value.get("amount") not in (None, ""):
        try:
            columns["value_amount"] = Decimal(str(value["amount"]))
        except InvalidOperation:
            raise ValueError(f"value amount {value['amount']!r} is not a number") from None
        columns["value_currency"] = str(value.get("currency") or "").upper() or None
    base = current_money().value(
        band=columns["value_band"], amount=columns["value_amount"], currency=columns["value_currency"]
    )  # fmt: skip
    return columns | {"value_base": base}


def _event_columns(event: Mapping[str, Any] | None) -> dict[str, Any]:
    """A compelling event's date and the pressure behind it."""
    if not event:
        return {"event_date": None, "event_pressure": None}
    raw_date = event.get("date")
    return {
        "event_date": date.fromisoformat(raw_date) if raw_date else None,
        "event_pressure": event.get("pressure") or None,
    }


def record_delivery(
    *,
    session: Session,
    message_id: int,
    payload: dict[str, Any],
    ts: str,
    channel: str,
    now: datetime,
) -> bool:
    """Mark an outbox row sent and keep a card's ts on its route; False if already marked."""
    if not mark_outbox_sent(
        session=session, message_id=message_id, ts=ts, channel=channel, now=now
    ):
        return False
    if "route" in payload:  # a card: its ts and channel are how later updates find it
        session.exec(
            sa.update(DiscoveryRoute)
            .where(
                DiscoveryRoute.discovery_id == payload["discovery_id"],
                DiscoveryRoute.route == payload["route"],
            )
            # The channel it went to: a card moved to another channel while in flight to
            # the old one (an admin remapped its route) is found where it is.
            .values(message_ts=ts, channel_id=channel)
        )
        _redraw_if_changed_since_drawn(session=session, payload=payload, now=now, ts=ts)
    return True


DRAWN = "drawn_version"  # a card job's payload: the card_version it was drawn from


def card_version(discovery: Discovery | DiscoveryView, changes: int) -> str:
    """What a card shows changes with these: its status, its history, an edit."""
    edited = discovery.edited_at.isoformat() if discovery.edited_at else ""
    return f"{discovery.status}|{changes}|{edited}|{discovery.updated_at.isoformat()}"


def _redraw_if_changed_since_drawn(
    *, session: Session, payload: dict[str, Any], now: datetime, ts: str
) -> None:
    """A change made while the card was on its way found no ts to redraw: redraw it now."""
    drawn = payload.get(DRAWN)
    discovery = session.get(Discovery, payload["discovery_id"])
    if drawn is None or discovery is None:
        return
    changes = session.scalar(
        sa.select(sa.func.count()).where(StatusChange.discovery_id == discovery.id)
    )
    if card_version(discovery, changes) == drawn:
        return
    route = session.exec(
        select(DiscoveryRoute).where(
            DiscoveryRoute.discovery_id == discovery.id, DiscoveryRoute.route == payload["route"]
        )
    ).one()
    enqueue_outbox(
        session=session, kind=CARD_UPDATE, dedupe_key=f"card_update:{route.id}:drawn:{ts}",
        channel_id=route.channel_id, now=now, discovery_id=discovery.id,
        payload={"discovery_id": discovery.id, "route": route.route, "ts": ts},
    )  # fmt: skip
