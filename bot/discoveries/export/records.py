"""One discovery as a plain record for the export: its fields in column order, the answers to
added questions, its routes (each with its follow-through), history and supporters."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from bot.dialogue.definition import BUILT_IN_KINDS, Definition, current_definition
from bot.domain.opener.quality import completeness
from bot.domain.views import answers_of
from storage.models import (
    Discovery,
    DiscoveryRoute,
    DiscoverySupporter,
    FollowUp,
    StageChange,
    StatusChange,
)

FIELDS = (
    "id", "created_at", "updated_at", "edited_at", "team_id", "scout_user_id", "account",
    "account_id", "crm_id", "who_cares", "outcome", "gap", "evidence", "evidence_url",
    "value_band", "value_amount", "value_currency", "value_base", "event_date", "event_pressure",
    "event_owner", "fit", "themes", "status", "source", "quality",
)  # fmt: skip

NESTED = ("routes", "history", "supporters")  # last, after the answers of added questions

ROUTE_FIELDS = (
    "route",
    "reason",
    "channel_id",
    "message_ts",
    "rerouted_to",
    "status",
    "created_at",
)

# Each move of a route's follow-through (routing.yaml's stages): who made it, what they typed.
STAGE_FIELDS = (
    "at", "from_stage", "stage", "realised", "actor_user_id", "amount", "currency",
    "amount_base", "link", "reason",
)  # fmt: skip

HISTORY_FIELDS = (
    "at", "from_status", "to_status", "actor_user_id", "note", "outcome_kind", "link",
    "rerouted_from", "rerouted_to",
)  # fmt: skip

SUPPORTER_FIELDS = (  # other accounts counted in this discovery, each with its own value
    "account", "account_id", "scout_user_id", "value_band", "value_amount", "value_currency",
    "value_base", "evidence", "merged_from_id", "created_at",
)  # fmt: skip

Stages = dict[int, tuple[FollowUp, list[StageChange]]]  # by route id


def answer_fields(definition: Definition | None = None) -> tuple[str, ...]:
    """The fields of the questions an admin added: each exported under its key (the built-in
    answers are exported by the columns that hold them)."""
    questions = (definition or current_definition()).questions
    return tuple(q.key for q in questions if q.key not in BUILT_IN_KINDS)


def export_columns(definition: Definition | None = None) -> tuple[str, ...]:
    """The CSV header: the discovery's fields, the added questions' answers, routes, history."""
    return (*FIELDS, *answer_fields(definition), *NESTED)


def discovery_record(
    discovery: Discovery,
    routes: list[DiscoveryRoute],
    history: list[StatusChange],
    crm_id: str | None = None,
    stages: Stages | None = None,
    supporters: Sequence[DiscoverySupporter] = (),
) -> dict[str, Any]:
    """A discovery as plain JSON values, in column order, with its account's CRM id, the
    answers to added questions (None when skipped), routes (each with its follow-through),
    history and supporters."""
    record = {name: _plain(getattr(discovery, name, None)) for name in FIELDS}
    record["crm_id"] = crm_id
    answers = discovery.answers or {}
    record |= _quality_fields(discovery)
    record |= {key: answers.get(key) for key in answer_fields()}
    record["routes"] = [
        _pick(route, ROUTE_FIELDS) | _stage_of((stages or {}).get(route.id)) for route in routes
    ]
    # Each change names the route it changed: a route's history is its own changes and those
    # with no route, which covered every route (the submission, a withdrawal, older changes).
    names = {route.id: route.route for route in routes}
    record["history"] = [
        _pick(change, HISTORY_FIELDS) | {"route": names.get(change.route_id)} for change in history
    ]
    record["supporters"] = [_pick(supporter, SUPPORTER_FIELDS) for supporter in supporters]
    return record


def _quality_fields(discovery: Discovery) -> dict[str, Any]:
    """The compelling event's owner, and the completeness score (scored from the answers for a
    discovery stored before scores were)."""
    answers = answers_of(discovery)
    event = answers.get("event")
    owner = event.get("owner") if isinstance(event, dict) else None
    quality = discovery.quality
    return {
        "event_owner": owner or None,
        "quality": quality if quality is not None else completeness(answers).score,
    }


def _stage_of(found: tuple[FollowUp, list[StageChange]] | None) -> dict[str, Any]:
    """A route's follow-through: its stage, next follow-up, what it realised, every move."""
    follow, moves = found if found else (None, [])

    def value(name: str) -> Any:
        return _plain(getattr(follow, name)) if follow is not None else None

    return {
        "stage": value("stage"), "follow_up_on": value("due_on"),
        "realised_amount": value("amount"), "realised_currency": value("currency"),
        "realised_base": value("amount_base"), "realised_link": value("link"),
        "stage_history": [_pick(move, STAGE_FIELDS) for move in moves],
    }  # fmt: skip


def _pick(row: Any, names: tuple[str, ...]) -> dict[str, Any]:
    """The named attributes of a row as plain JSON values."""
    return {name: _plain(getattr(row, name)) for name in names}


def _plain(value: Any) -> Any:
    """A stored value as JSON: enums by value, UTC timestamps, exact decimal strings."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")  # never 1E+3, never a float's rounding
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value
