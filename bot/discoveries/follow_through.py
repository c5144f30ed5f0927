"""Follow-through after Actioned: an actioned route starts at its first stage with a follow-up
date; the person who actioned it moves it on (won, shipped, published…), once per click.

Each move is one compare-and-set under the discovery's lock, kept in the stage history, and
recorded as a domain event: the cards, the scout and the follow-up DMs hear of it from there.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum

from sqlmodel import Session, col, select

from bot.discoveries.event_log import record
from bot.discoveries.route_status import lock_discovery
from bot.domain.events import RouteStageChanged
from bot.domain.money import current_money
from bot.domain.views import RouteView
from bot.routes import current_routes
from bot.stages import DEFAULT_FOLLOW_UP_DAYS
from storage.models import Discovery, FollowUp, StageChange
from storage.queries.loop_facts import refresh_loop_facts


class Refused(StrEnum):
    """Why a stage click changed nothing."""

    GONE = "gone"  # the discovery (or its follow-up) was deleted
    NOT_YOURS = "not_yours"  # only the person who actioned it follows it up
    STALE = "stale"  # the stage moved on since the DM was drawn
    REPEATED = "repeated"  # the same person's same move arrived again


@dataclass(frozen=True)
class Details:
    """What a stage's modal asked for (nothing for a plain click)."""

    amount: Decimal | None = None
    currency: str | None = None
    link: str | None = None
    reason: str | None = None


@dataclass(frozen=True)
class Move:
    """A click on a stage button: which follow-up, from which stage (as drawn) to which."""

    follow_up_id: int
    from_stage: str
    to_stage: str
    actor_user_id: str
    details: Details = Details()


@dataclass(frozen=True)
class MoveResult:
    """The stage now; the history row when this call moved it, else why not."""

    stage: str | None
    change_id: int | None = None
    refused: Refused | None = None
    owner_user_id: str | None = None
    account: str | None = None


def start_follow_up(
    *, session: Session, discovery_id: int, route_id: int, route: str, owner: str,
    outcome_kind: str | None, due_on: date | None, now: datetime,
) -> FollowUp | None:  # fmt: skip
    """An actioned route with stages starts at its first when what came of it starts them (any
    outcome, unless the route names some), due for a follow-up on `due_on` (30 days on when
    none was picked); None otherwise."""
    first = current_routes().stages(route).start_for(outcome_kind)
    if first is None:
        return None
    due = due_on or (now.date() + timedelta(days=DEFAULT_FOLLOW_UP_DAYS))
    follow = FollowUp(
        discovery_id=discovery_id,
        route_id=route_id,
        route=route,
        owner_user_id=owner,
        stage=first.id,
        due_on=due,
        updated_at=now,
    )
    session.add(follow)
    session.flush()
    assert follow.id is not None
    session.add(
        StageChange(
            discovery_id=discovery_id,
            follow_up_id=follow.id,
            route=route,
            stage=first.id,
            realised=first.realised,
            actor_user_id=owner,
            at=now,
        )
    )
    if first.realised:
        refresh_loop_facts(session=session, discovery_id=discovery_id)
    return follow


def load_follow_up(*, session: Session, follow_up_id: int) -> FollowUp | None:
    """A follow-up by id (detached values are read inside the session)."""
    return session.get(FollowUp, follow_up_id)


def follow_ups_of(*, session: Session, discovery_id: int) -> list[FollowUp]:
    """Every follow-up of a discovery, by route id."""
    statement = select(FollowUp).where(FollowUp.discovery_id == discovery_id)
    return list(session.exec(statement.order_by(col(FollowUp.route_id))))


def stage_history(*, session: Session, discovery_id: int) -> list[StageChange]:
    """Every stage change of a discovery, oldest first."""
    statement = select(StageChange).where(StageChange.discovery_id == discovery_id)
    return list(session.exec(statement.order_by(col(StageChange.at), col(StageChange.id))))


@dataclass(frozen=True)
class Prepared:
    """Before a stage moves: the follow-up's route and account, or why it cannot move."""

    refused: MoveResult | None
    route: str = ""
    account: str = ""


def prepare_move(*, session: Session, move: Move) -> Prepared:
    """Before a stage's modal opens (or a click moves it): its route and account, or a refusal."""
    follow = session.get(FollowUp, move.follow_up_id)
    refused = _refusal(session, follow, move)
    if follow is None:
        return Prepared(refused)
    account = session.exec(select(Discovery.account).where(Discovery.id == follow.discovery_id))
    return Prepared(refused, follow.route, account.first() or "")


def move_stage(*, session: Session, move: Move, now: datetime) -> MoveResult:
    """Move the follow-up's stage once (compare-and-set under the discovery's lock), keep it in
    the history, and record the event the cards, the scout and the DMs follow."""
    follow = session.get(FollowUp, move.follow_up_id)
    if follow is None or lock_discovery(session, follow.discovery_id) is None:
        return MoveResult(stage=None, refused=Refused.GONE)
    session.refresh(follow)  # read again under the lock: a racing click may have moved it
    refused = _refusal(session, follow, move)
    if refused is not None:
        return refused
    stages = current_routes().stages(follow.route)
    stage = stages.get(move.to_stage)
    assert stage is not None and follow.id is not None
    details = move.details
    base = _in_base(details)
    follow.stage, follow.updated_at, follow.asked, follow.asked_on = stage.id, now, 0, None
    follow.due_on = (
        None if stages.ended(stage.id) else now.date() + timedelta(days=DEFAULT_FOLLOW_UP_DAYS)
    )
    if details.amount is not None:
        follow.amount, follow.currency, follow.amount_base = details.amount, details.currency, base
    follow.link = details.link or follow.link
    change = StageChange(
        discovery_id=follow.discovery_id,
        follow_up_id=follow.id,
        route=follow.route,
        from_stage=move.from_stage,
        stage=stage.id,
        realised=stage.realised,
        actor_user_id=move.actor_user_id,
        amount=details.amount,
        currency=details.currency,
        amount_base=base,
        link=details.link,
        reason=details.reason,
        at=now,
    )
    session.add(change)
    session.flush()
    assert change.id is not None
    if stage.realised:  # the coaches' funnel reads when it first realised from its row
        refresh_loop_facts(session=session, discovery_id=follow.discovery_id)
    event = RouteStageChanged(
        follow.discovery_id,
        move.actor_user_id,
        stage_change_id=change.id,
        follow_up_id=follow.id,
        route=follow.route,
        stage=stage.id,
    )
    record(session=session, event=event, now=now)
    return MoveResult(stage=stage.id, change_id=change.id, owner_user_id=follow.owner_user_id)


def _refusal(session: Session, follow: FollowUp | None, move: Move) -> MoveResult | None:
    """Why this move changes nothing now; None when it may go ahead."""
    if follow is None:
        return MoveResult(stage=None, refused=Refused.GONE)
    result = {"stage": follow.stage, "owner_user_id": follow.owner_user_id}
    if move.actor_user_id != follow.owner_user_id:
        return MoveResult(**result, refused=Refused.NOT_YOURS)
    if follow.stage == move.from_stage and current_routes().stages(follow.route).may_move(
        follow.stage, move.to_stage
    ):
        return None
    if follow.stage == move.to_stage and _latest_actor(session, follow) == move.actor_user_id:
        return MoveResult(**result, refused=Refused.REPEATED)
    return MoveResult(**result, refused=Refused.STALE)


def _latest_actor(session: Session, follow: FollowUp) -> str | None:
    statement = (
        select(StageChange.actor_user_id)
        .where(StageChange.follow_up_id == follow.id)
        .order_by(col(StageChange.at).desc(), col(StageChange.id).desc())
    )
    return session.exec(statement).first()


def _in_base(details: Details) -> Decimal | None:
    """The amount in the base currency (None without an amount or a rate for its currency)."""
    if details.amount is None:
        return None
    return current_money().convert(details.amount, details.currency)


def with_stages(*, session: Session, discovery_id: int, routes: list[RouteView]) -> list[RouteView]:
    """The route views with their follow-through stage (and what it realised) filled in."""
    follows = {f.route_id: f for f in follow_ups_of(session=session, discovery_id=discovery_id)}
    return [
        replace(r, stage=f.stage, stage_value=f.amount_base, stage_link=f.link)
        if (f := follows.get(r.id)) is not None
        else r
        for r in routes
    ]
