"""A PM merges two discoveries: the other one's accounts, evidence, values and history count in
the kept one (it becomes a supporter of it), each team's further answer wins on the kept one's
route, and the other one is withdrawn with a pointer. One transaction; a repeat changes nothing."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, col, select

from bot.discoveries.loop import Change, change_status
from bot.discoveries.route_status import (
    current,
    lock_discovery,
    routes_of,
    set_route_status,
    settle,
)
from bot.discoveries.supporters import add_supporter, merge_hints
from bot.domain.actor import Actor
from bot.domain.lifecycle import OPEN, Status
from bot.domain.supporters import Candidate
from bot.wording import say
from storage.models import Discovery, DiscoveryRoute, DiscoverySupporter, StatusChange

# How far along a team's answer is: on merging, the further one wins on the kept discovery.
ADVANCED = {Status.NEW: 0, Status.ACKNOWLEDGED: 1, Status.DECLINED: 2, Status.ACTIONED: 3}
SUPPORTER_COLUMNS = (
    "account", "account_id", "scout_user_id", "value_band", "value_amount", "value_currency",
    "value_base", "evidence",
)  # fmt: skip


@dataclass(frozen=True)
class Merged:
    """What a merge did: done (or already done), or why not — "same", "gone", "closed" (the
    kept one), "other_closed", "merged" (into another one: merged_into), "not_permitted"."""

    kept_id: int
    other_id: int
    done: bool = False
    repeated: bool = False
    refused: str | None = None
    merged_into: int | None = None
    resolved: tuple[tuple[str, Status], ...] = ()  # routes whose answer the other one's won


@dataclass(frozen=True)
class MergeOpening:
    """What the merge modal needs, or why it does not open ("gone", "closed", "not_permitted")."""

    account: str = ""
    lookalikes: tuple[Candidate, ...] = ()
    refused: str | None = None


def open_merge(
    *, session: Session, discovery_id: int, actor: Actor, channel_id: str | None, now: datetime
) -> MergeOpening:
    """The discovery to merge into, if it is open and this person may, with look-alikes."""
    discovery = session.get(Discovery, discovery_id)
    if discovery is None:
        return MergeOpening(refused="gone")
    if not may_merge(
        session=session, discovery_ids=(discovery_id,), actor=actor, channel_id=channel_id
    ):
        return MergeOpening(discovery.account, refused="not_permitted")
    if discovery.status not in OPEN:
        return MergeOpening(discovery.account, refused="closed")
    hints = merge_hints(session=session, discovery=discovery, now=now)
    return MergeOpening(discovery.account, tuple(hints))


def merge_source(other_id: int) -> str:
    """The supporter's source key for a merged discovery: merged once, whoever repeats it."""
    return f"merge:{other_id}"


def may_merge(
    *, session: Session, discovery_ids: Sequence[int], actor: Actor, channel_id: str | None
) -> bool:
    """Admins; else someone in a channel that holds a current card of each discovery (the menu
    was used on a card there, which only that channel's members see)."""
    if actor.is_admin:
        return True
    for discovery_id in discovery_ids:
        channels = {r.channel_id for r in current(routes_of(session, discovery_id))}
        if channel_id not in channels:
            return False
    return True


def merge_discoveries(
    *, session: Session, kept_id: int, other_id: int, actor: Actor, channel_id: str | None,
    now: datetime,
) -> Merged:  # fmt: skip
    """Merge other into kept, once, if this person may and both are still open."""
    refused = _refusal(session, kept_id, other_id, actor, channel_id)
    if refused is not None:
        return refused
    other = session.get(Discovery, other_id)
    assert other is not None  # checked under the lock
    session.exec(  # the accounts that supported the other one support the kept one now
        sa.update(DiscoverySupporter)
        .where(col(DiscoverySupporter.discovery_id) == other_id)
        .values(discovery_id=kept_id)
    )
    row = {name: getattr(other, name) for name in SUPPORTER_COLUMNS} | {"merged_from_id": other_id}
    added = add_supporter(
        session=session, discovery_id=kept_id, team_id=other.team_id, row=row,
        source_key=merge_source(other_id), now=now, actor_user_id=actor.user_id,
    )  # fmt: skip
    resolved = _resolve_routes(session, kept_id, other_id, actor.user_id, now)
    note = say("merge_note_into", discovery_id=kept_id)
    change_status(
        session=session, discovery_id=other_id, now=now,
        change=Change(Status.WITHDRAWN, actor.user_id, channel_id or actor.user_id, note=note),
    )  # fmt: skip
    assert added.created
    return Merged(kept_id, other_id, done=True, resolved=resolved)


def _refusal(
    session: Session, kept_id: int, other_id: int, actor: Actor, channel_id: str | None
) -> Merged | None:
    """Why this merge cannot be made now (None: it can), both rows locked in id order."""
    if kept_id == other_id:
        return Merged(kept_id, other_id, refused="same")
    locked = {i: lock_discovery(session, i) for i in sorted((kept_id, other_id))}
    kept, other = locked[kept_id], locked[other_id]
    if kept is None or other is None or kept.team_id != other.team_id:
        return Merged(kept_id, other_id, refused="gone")
    earlier = session.exec(
        select(DiscoverySupporter.discovery_id).where(
            DiscoverySupporter.source_key == merge_source(other_id)
        )
    ).first()
    if earlier is not None:  # merged already: by this very request repeated, or into another
        if earlier == kept_id:
            return Merged(kept_id, other_id, done=True, repeated=True)
        return Merged(kept_id, other_id, refused="merged", merged_into=earlier)
    if not may_merge(
        session=session, discovery_ids=(kept_id, other_id), actor=actor, channel_id=channel_id
    ):
        return Merged(kept_id, other_id, refused="not_permitted")
    if kept.status not in OPEN:
        return Merged(kept_id, other_id, refused="closed")
    if other.status not in OPEN:
        return Merged(kept_id, other_id, refused="other_closed")
    return None


def _resolve_routes(
    session: Session, kept_id: int, other_id: int, actor_user_id: str, now: datetime
) -> tuple[tuple[str, Status], ...]:
    """Each team on both: the further answer wins on the kept one, said in its history."""
    kept = {r.route: r for r in current(routes_of(session, kept_id))}
    resolved: list[tuple[str, Status]] = []
    for theirs in current(routes_of(session, other_id)):
        ours: DiscoveryRoute | None = kept.get(theirs.route)
        if ours is None or ADVANCED[theirs.status] <= ADVANCED[ours.status]:
            continue
        assert ours.id is not None
        carried = _carried(session, theirs, ours, kept_id, other_id, actor_user_id, now)
        set_route_status(session, ours.id, ours.status, theirs.status)
        session.add(carried)  # made first: from the status it had (the update refreshes `ours`)
        resolved.append((theirs.route, theirs.status))
    if resolved:
        settle(session, kept_id, now)
    return tuple(resolved)


def _carried(
    session: Session, theirs: DiscoveryRoute, ours: DiscoveryRoute, kept_id: int, other_id: int,
    actor_user_id: str, now: datetime,
) -> StatusChange:  # fmt: skip
    """The other team's answer as a change of the kept route: who answered, what came of it,
    their note after the merge's own."""
    answered = session.exec(
        select(StatusChange)
        .where(StatusChange.discovery_id == other_id, StatusChange.to_status == theirs.status)
        .where(sa.or_(col(StatusChange.route_id).is_(None), StatusChange.route_id == theirs.id))
        .order_by(col(StatusChange.at).desc(), col(StatusChange.id).desc())
    ).first()
    note = say("merge_note_answer", discovery_id=other_id, status=theirs.status.value)
    if answered is not None and answered.note:
        note = f"{note} {answered.note}"
    return StatusChange(
        discovery_id=kept_id, route_id=ours.id, from_status=ours.status, to_status=theirs.status,
        actor_user_id=answered.actor_user_id if answered else actor_user_id, note=note, at=now,
        outcome_kind=answered and answered.outcome_kind, link=answered and answered.link,
    )  # fmt: skip
