"""The scout changes their mind: edit a discovery until someone picks it up, or withdraw it.

Only the scout or an admin may do either. An edit is a compare-and-set on status `new`,
so an acknowledgement that lands first wins and the edit is refused, never half-applied.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

from bot.discoveries.event_log import record
from bot.discoveries.loop import Change, ChangeResult, change_status, latest_change
from bot.discoveries.retheme import corrected_themes
from bot.discoveries.service import answered_columns
from bot.domain.actor import Actor
from bot.domain.added_themes import network_with
from bot.domain.events import DiscoveryEdited
from bot.domain.lifecycle import ALLOWED_FROM
from bot.domain.themes import ValueNetwork, tag_themes
from bot.domain.views import answers_of
from storage.enums import DiscoveryStatus
from storage.models import Discovery
from storage.queries.themes import theme_additions

EDITABLE = (DiscoveryStatus.NEW,)  # once a team has acted on it, the answers stand


@dataclass(frozen=True)
class Opening:
    """Whether this person may edit or withdraw the discovery now, and what the modal shows."""

    scout_user_id: str | None  # None: the discovery is gone
    account: str | None = None
    answers: dict[str, Any] = field(default_factory=dict)  # prefills the edit modal
    permitted: bool = False  # its scout or an admin
    refused: ChangeResult | None = None  # its status no longer allows it


def open_change(*, session: Session, discovery_id: int, actor: Actor, withdraw: bool) -> Opening:
    """Before the edit (or withdraw) modal opens: may this person, and may it still change?"""
    discovery = session.get(Discovery, discovery_id)
    if discovery is None:
        return Opening(None)
    if not may_change(discovery, actor):
        return Opening(discovery.scout_user_id, discovery.account)
    allowed = ALLOWED_FROM[DiscoveryStatus.WITHDRAWN] if withdraw else EDITABLE
    refused = None
    if discovery.status not in allowed:
        latest = latest_change(session=session, discovery_id=discovery_id)
        refused = ChangeResult(status=discovery.status, latest=latest)
    answers = discovery_answers(discovery)
    return Opening(discovery.scout_user_id, discovery.account, answers, True, refused)


def withdraw_as(
    *, session: Session, discovery_id: int, actor: Actor, channel_id: str, now: datetime
) -> tuple[Opening, ChangeResult | None]:
    """Withdraw it if this person may (its scout or an admin); no result when they may not."""
    opening = open_change(session=session, discovery_id=discovery_id, actor=actor, withdraw=True)
    if not opening.permitted:
        return opening, None
    result = withdraw_discovery(
        session=session, discovery_id=discovery_id, user_id=actor.user_id, channel_id=channel_id,
        now=now,
    )  # fmt: skip
    return opening, result


def edit_as(
    *, session: Session, discovery_id: int, answers: Mapping[str, Any], actor: Actor,
    network: ValueNetwork, now: datetime,
) -> tuple[Opening, ChangeResult | None]:  # fmt: skip
    """Replace the answers if this person may (its scout or an admin) and it is still new; no
    result when they may not (a forged submission included)."""
    opening = open_change(session=session, discovery_id=discovery_id, actor=actor, withdraw=False)
    if not opening.permitted:
        return opening, None
    result = edit_discovery(
        session=session, discovery_id=discovery_id, answers=answers,
        actor_user_id=actor.user_id, network=network, now=now,
    )  # fmt: skip
    return opening, result


def may_change(discovery: Discovery, actor: Actor) -> bool:
    """Whether this person may edit or withdraw the discovery: its scout or an admin."""
    return actor.user_id == discovery.scout_user_id or actor.is_admin


def discovery_answers(discovery: Discovery) -> dict[str, Any]:
    """The discovery as dialogue answers, to prefill the edit modal: its document of answers."""
    return answers_of(discovery)


def edit_discovery(
    *,
    session: Session,
    discovery_id: int,
    answers: Mapping[str, Any],
    actor_user_id: str,
    network: ValueNetwork,
    now: datetime,
) -> ChangeResult:
    """Replace the answers while the discovery is new; else the status that stopped it."""
    found = session.get(Discovery, discovery_id)
    team_id = found.team_id if found is not None else ""  # gone: the update below finds none
    columns = answered_columns(session=session, team_id=team_id, answers=answers)
    corrected = corrected_themes(session=session, discovery_id=discovery_id)  # a person's wins
    network = network_with(network, theme_additions(session=session, team_id=team_id))
    columns["themes"] = corrected or tag_themes(network, columns["outcome"], columns["gap"])
    statement = (
        sa.update(Discovery)
        .where(col(Discovery.id) == discovery_id, col(Discovery.status) == DiscoveryStatus.NEW)
        .values(**columns, edited_at=now, updated_at=now)
    )
    if session.exec(statement).rowcount == 1:  # type: ignore[call-overload]
        edited = DiscoveryEdited(discovery_id, actor_user_id)
        record(session=session, event=edited, now=now)  # the cards say "edited"
        return ChangeResult(status=DiscoveryStatus.NEW, repeated=True)
    status = session.get(Discovery, discovery_id)
    latest = latest_change(session=session, discovery_id=discovery_id)
    return ChangeResult(status=status.status if status else None, latest=latest)


def withdraw_discovery(
    *, session: Session, discovery_id: int, user_id: str, channel_id: str, now: datetime
) -> ChangeResult:
    """Withdraw it: final, kept in the history; the cards say so."""
    change = Change(DiscoveryStatus.WITHDRAWN, user_id, channel_id)
    return change_status(session=session, discovery_id=discovery_id, change=change, now=now)
