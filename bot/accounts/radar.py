"""The compelling-event radar: a discovery whose event is within 30 days and whose sales card is
not actioned yet gets one reminder, to the account's owner or else the sales channel.

Run by the scheduler and by `valuescout jobs run --at`: the outbox row's dedupe key (one per
discovery and event date) decides in the database, so a second run, or a second process,
queues nothing more; the delivery worker posts it with the card's link.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from bot.working_days import WEEKDAYS, WorkingCalendar
from storage.engine import read_scope, session_scope
from storage.queries import record_request_once
from storage.queries.accounts import events_within, owner_alerts_off
from storage.queries.outbox import enqueue_outbox

RADAR = "account_radar"
HORIZON = timedelta(days=30)


def remind_compelling_events(
    *, engine: Engine, zone: ZoneInfo, now: datetime, calendar: WorkingCalendar = WEEKDAYS,
    team_id: str | None = None,
) -> int:  # fmt: skip
    """Queue one reminder per due discovery not reminded yet; return how many were queued.
    Only on working days: one found at a weekend or on a holiday is told the next one. Of one
    workspace (on its clock) when team_id is given, else of every one."""
    today = now.astimezone(zone).date()
    if not calendar.is_working(today):
        return 0
    with read_scope(engine) as session:
        due = events_within(session=session, start=today, end=today + HORIZON, team_id=team_id)
    queued = 0
    with session_scope(engine) as session:
        for candidate in due:
            owner = candidate.owner_user_id
            if owner and owner_alerts_off(session=session, user_id=owner):
                owner = None  # the owner turned DMs off: the sales channel still hears
            key = f"radar:{candidate.discovery_id}:{candidate.event_date.isoformat()}"
            if not record_request_once(session=session, key=key, kind=RADAR, now=now):
                continue
            enqueue_outbox(
                session=session, kind=RADAR, dedupe_key=key,
                channel_id=owner or candidate.sales_channel_id, now=now,
                payload={"discovery_id": candidate.discovery_id, "days": _days(today, candidate.event_date)},
                discovery_id=candidate.discovery_id,
            )  # fmt: skip
            queued += 1
    return queued


def _days(today: date, event: date) -> int:
    return (event - today).days
