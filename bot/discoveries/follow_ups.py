"""Follow-ups: on its date (a working day) the person who actioned a route gets one DM asking
where it stands; unanswered, one more after 7 days; after that it is overdue in the digest.

Run by the scheduler and by `valuescout jobs run --at`: each DM's dedupe key (follow-up, due
date, ask) decides in the database, so a second run or a second process sends nothing more.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from bot.discoveries.outbox_jobs import Gone, Job
from bot.domain.views import DiscoveryView, view_of
from bot.effects.follow_through import (
    FOLLOW_UP,
    FOLLOW_UP_UPDATE,
    follow_up_key,
    queue_follow_up,
)
from bot.rendering.follow_through import (
    FollowUpView,
    StageNote,
    answered_message,
    follow_up_message,
    stage_reply_message,
)
from bot.routes import current_routes
from bot.stages import DEFAULT_FOLLOW_UP_DAYS, SECOND_ASK_DAYS
from bot.working_days import WEEKDAYS, WorkingCalendar
from storage.engine import read_scope, session_scope
from storage.enums import DiscoveryStatus
from storage.models import Discovery, DiscoveryRoute, FollowUp, StageChange
from storage.queries import record_request_once
from storage.types import utc_now

KIND = "follow_up"
LAST_ASK = 2  # the first DM and one more; then it is overdue


def follow_up_outcomes(route: str | None) -> tuple[str, ...]:
    """The Actioned outcomes that start the route's follow-through (empty: any)."""
    return current_routes().stages(route).outcomes if route else ()


def follow_up_default(route: str | None, today: date) -> date | None:
    """The date the Actioned modal offers for a route with stages (none without)."""
    if route is None or not current_routes().stages(route):
        return None
    return today + timedelta(days=DEFAULT_FOLLOW_UP_DAYS)


def ask_due_follow_ups(
    *, engine: Engine, zone: ZoneInfo, now: datetime, calendar: WorkingCalendar = WEEKDAYS,
    team_id: str | None = None,
) -> int:  # fmt: skip
    """Queue the follow-up DMs due today (a working day), once each; return how many. Of one
    workspace (on its clock) when team_id is given, else of every one."""
    today = now.astimezone(zone).date()
    if not calendar.is_working(today):
        return 0
    with read_scope(engine) as session:
        candidates = _due(session, today, team_id)
    asked = 0
    with session_scope(engine) as session:
        for follow_up_id in candidates:
            asked += _ask(session, follow_up_id, today, now)
    return asked


def _due(session: Session, today: date, team_id: str | None) -> list[int]:
    """Follow-ups due and not asked yet, or asked once at least 7 days ago."""
    again = sa.and_(
        col(FollowUp.asked) == 1, col(FollowUp.asked_on) <= today - timedelta(SECOND_ASK_DAYS)
    )
    statement = (
        select(FollowUp.id)
        .join(Discovery, col(Discovery.id) == FollowUp.discovery_id)
        .where(col(FollowUp.due_on).is_not(None), col(FollowUp.due_on) <= today)
        .where(sa.or_(col(FollowUp.asked) == 0, again))
        .where(Discovery.status != DiscoveryStatus.WITHDRAWN)
        .where(sa.true() if team_id is None else col(Discovery.team_id) == team_id)
        .order_by(col(FollowUp.id))
    )
    return [int(found) for found in session.exec(statement).all()]


def _ask(session: Session, follow_up_id: int, today: date, now: datetime) -> bool:
    """Claim one DM for this follow-up's due date and ask; False if another run did."""
    follow = session.get(FollowUp, follow_up_id)
    if follow is None or follow.due_on is None or follow.asked >= LAST_ASK:
        return False
    ask = follow.asked + 1
    key = follow_up_key(follow_up_id, follow.due_on.isoformat(), ask)
    if not record_request_once(session=session, key=key, kind=KIND, now=now):
        return False
    follow.asked, follow.asked_on = ask, today
    # Due at `now` means sent at once: a run for a moment ahead of the clock (`jobs run --at`
    # a later day) must not leave the DM waiting until the clock gets there.
    queue_follow_up(
        session=session, discovery_id=follow.discovery_id, follow_up_id=follow_up_id,
        owner=follow.owner_user_id, stage=follow.stage, key=key, ask=ask,
        now=min(now, utc_now()),
    )  # fmt: skip
    return True


# --- what the DMs say, drawn when they are sent -----------------------------------------------


Permalink = Callable[[DiscoveryRoute], str | None]


def render_follow_through(
    *, engine: Engine, job: Job, permalink: Permalink
) -> tuple[Job, dict[str, Any]]:
    """A follow-up DM (or its redraw once answered) or the scout's note of a stage change."""
    with session_scope(engine) as session:
        if job.kind in (FOLLOW_UP, FOLLOW_UP_UPDATE):
            return job, _follow_up(session, job, permalink)
        return _stage_reply(session, job)


def _follow_up(session: Session, job: Job, permalink: Permalink) -> dict[str, Any]:
    follow = session.get(FollowUp, int(job.payload["follow_up_id"]))
    discovery = session.get(Discovery, job.discovery_id)
    route = follow and session.get(DiscoveryRoute, follow.route_id)
    if follow is None or discovery is None or route is None:
        raise Gone("not sent: the discovery is gone")
    stages = current_routes().stages(follow.route)
    view = FollowUpView(
        follow_up_id=int(follow.id or 0), account=discovery.account,
        team=current_routes().label(follow.route), stage=follow.stage,
        stage_label=_label(follow.route, follow.stage),
        later=[(s.id, s.label) for s in stages.later(follow.stage)],
        card_link=permalink(route), second=int(job.payload.get("ask", 1)) > 1,
    )  # fmt: skip
    if job.kind == FOLLOW_UP_UPDATE:
        return answered_message(view)
    if follow.stage != job.payload["stage"] or not view.later:
        raise Gone("not sent: answered meanwhile")
    return follow_up_message(view)


def _stage_reply(session: Session, job: Job) -> tuple[Job, dict[str, Any]]:
    change = session.get(StageChange, int(job.payload["stage_change_id"]))
    discovery = session.get(Discovery, job.discovery_id)
    if change is None or discovery is None:
        raise Gone("not sent: the discovery is gone")
    note = StageNote(
        team=current_routes().label(change.route), stage=change.stage,
        stage_label=_label(change.route, change.stage), realised=change.realised,
        actor=change.actor_user_id, amount=change.amount, currency=change.currency,
        link=change.link, reason=change.reason,
    )  # fmt: skip
    return job, stage_reply_message(discovery=view_of(DiscoveryView, discovery), note=note)


def _label(route: str, stage: str) -> str:
    found = current_routes().stages(route).get(stage)
    return found.label if found else stage.replace("_", " ").capitalize()
