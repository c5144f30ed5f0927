"""Open loops: a card whose team has not answered after N working days gets one nudge in its
thread (each team's card on its own: another team's answer does not close this one's loop)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from bot.rendering.dialogue import plain_mrkdwn_message
from bot.rendering.text import render
from bot.working_days import WEEKDAYS, WorkingCalendar
from storage.engine import read_scope, session_scope
from storage.enums import DiscoveryStatus
from storage.models import Discovery, DiscoveryRoute, ProcessedRequest
from storage.queries import get_setting, record_request_once

log = logging.getLogger(__name__)

SETTING = "nudge_after_working_days"
DEFAULT_DAYS = 3
KIND = "nudge"


@dataclass(frozen=True)
class Nudge:
    """A card to nudge: where it is and what to say about it."""

    channel_id: str
    message_ts: str
    account: str
    scout_user_id: str


def add_working_days(
    start: datetime, n: int, zone: ZoneInfo, calendar: WorkingCalendar = WEEKDAYS
) -> datetime:
    """The moment n working days (Mon–Fri without the calendar's holidays, in zone) after start,
    in UTC."""
    local = start.astimezone(zone)
    if not calendar.is_working(local.date()):  # logged on a day off: the clock starts the next
        local = datetime.combine(calendar.next_working(local.date()), time(), zone)  # morning
    day, counted = local.date(), 0
    while counted < n:
        day += timedelta(days=1)
        counted += calendar.is_working(day)
    # Same wall-clock time on the due day, so a DST change moves no deadline by an hour.
    return datetime.combine(day, local.time(), zone).astimezone(UTC)


def nudge_open_loops(
    *, engine: Engine, client: WebClient, zone: ZoneInfo, now: datetime,
    calendar: WorkingCalendar = WEEKDAYS, team_id: str | None = None,
) -> int:  # fmt: skip
    """Nudge every card left `new` for N working days, once per card; return how many. Of one
    workspace when team_id is given (its client and its N), else of every one."""
    # Finding the cards reads every open loop: outside the write lock, so on SQLite scouts'
    # steps never queue behind it. Claiming is idempotent (a unique key per card), so a
    # card found by two processes is still claimed, and nudged, once.
    with read_scope(engine) as session:
        days = nudge_days(session, team_id or "")
        candidates = _candidates(session, days=days, now=now, team_id=team_id)
    with session_scope(engine) as session:
        due = _claim(session, candidates, days=days, zone=zone, now=now, calendar=calendar)
    return sum(_post(client, nudge, days) for nudge in due)


def nudge_days(session: Session, team_id: str = "") -> int:
    """N from the admin setting; a value that is not a positive whole number means the default."""
    value = get_setting(session=session, key=SETTING, default=DEFAULT_DAYS, team_id=team_id)
    try:
        days = int(value)
    except (TypeError, ValueError):
        return DEFAULT_DAYS
    return days if days > 0 else DEFAULT_DAYS


def _claim(
    session: Session,
    candidates: list[tuple[int, datetime, Nudge]],
    *,
    days: int,
    zone: ZoneInfo,
    now: datetime,
    calendar: WorkingCalendar = WEEKDAYS,
) -> list[Nudge]:
    """Record each due card as nudged in this transaction, so two processes never both post."""
    due = []
    for route_id, created_at, nudge in candidates:
        if add_working_days(created_at, days, zone, calendar) > now or not _still_open(
            session, route_id
        ):
            continue
        # ON CONFLICT DO NOTHING: a racing process waits for our commit, then inserts nothing.
        if record_request_once(session=session, key=_key(route_id), kind=KIND, now=now):
            due.append(nudge)
    return due


def _still_open(session: Session, route_id: int) -> bool:
    """The card is still new and in its channel now (it was found before the write lock)."""
    route = session.get(DiscoveryRoute, route_id)
    return route is not None and route.rerouted_to is None and route.status == DiscoveryStatus.NEW


def _candidates(
    session: Session, *, days: int, now: datetime, team_id: str | None
) -> list[tuple[int, datetime, Nudge]]:
    """Posted cards their team has not answered, at least N calendar days in their channel,
    never nudged."""
    key = sa.literal(f"{KIND}:") + sa.cast(DiscoveryRoute.id, sa.String)
    nudged = select(ProcessedRequest.key).where(ProcessedRequest.key == key).exists()
    # A re-routed (or also sent) card's clock starts when it arrived in its new channel.
    arrived = col(DiscoveryRoute.created_at)
    statement = (
        select(DiscoveryRoute, arrived, Discovery.account, Discovery.scout_user_id)
        .join(Discovery, col(Discovery.id) == DiscoveryRoute.discovery_id)
        .where(DiscoveryRoute.status == DiscoveryStatus.NEW)
        .where(col(DiscoveryRoute.message_ts).is_not(None))
        .where(col(DiscoveryRoute.rerouted_to).is_(None))
        # N working days are at least N calendar days: a cheap bound before the exact check.
        .where(arrived <= now - timedelta(days=days), ~nudged)
        .order_by(col(DiscoveryRoute.id))
    )
    if team_id is not None:
        statement = statement.where(Discovery.team_id == team_id)
    return [
        (route.id, since, Nudge(route.channel_id, route.message_ts, account, scout))
        for route, since, account, scout in session.exec(statement).all()
    ]


def _key(route_id: int) -> str:
    """The dedupe key that marks a card as nudged, forever."""
    return f"{KIND}:{route_id}"


def _post(client: WebClient, nudge: Nudge, days: int) -> bool:
    """Reply in the card's thread; a failure is logged, not retried (one nudge, not a nag)."""
    text = render("nudge.md.j2", account=nudge.account, scout=nudge.scout_user_id, days=days)
    message = plain_mrkdwn_message(text)
    try:
        client.chat_postMessage(channel=nudge.channel_id, thread_ts=nudge.message_ts, **message)
    except SlackApiError as error:
        log.warning(
            "could not nudge the card %s in %s: %s",
            nudge.message_ts,
            nudge.channel_id,
            error.response.get("error"),
        )
        return False
    return True
