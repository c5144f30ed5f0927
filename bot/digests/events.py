"""The sales digest's list of compelling events in the next 30 days (the radar's horizon)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.dialogue.answers import show_date
from bot.digests.messages import Message, pack
from bot.rendering.text import Mrkdwn, escape_within, render
from bot.wording import say
from storage.enums import DiscoveryStatus
from storage.queries.accounts import upcoming_events

ROUTE = "sales"  # the route whose digest lists them
HORIZON = timedelta(days=30)
SHOWN = 15
TEXT = 120  # user text cut to this, visibly, before it is escaped
OPEN = (DiscoveryStatus.NEW, DiscoveryStatus.ACKNOWLEDGED)


def events_messages(
    *, session: Session, team_id: str | None, route: str, now: datetime, zone: ZoneInfo
) -> list[Message]:
    """For the sales route: the events from today to 30 days on, soonest first; else none."""
    if route != ROUTE:
        return []
    today = now.astimezone(zone).date()
    rows = upcoming_events(
        session=session, team_id=team_id, start=today, end=today + HORIZON, route=ROUTE, limit=SHOWN + 1
    )
    if not rows:
        return []
    events = [
        {"day": show_date(day), "account": Mrkdwn(escape_within(account, TEXT)),
         "pressure": Mrkdwn(escape_within(pressure, TEXT)) if pressure else None,
         "open": status in OPEN}
        for day, account, pressure, status in rows[:SHOWN]
    ]  # fmt: skip
    text = render("digest_events.md.j2", events=events, days=HORIZON.days, more=len(rows) > SHOWN)
    return pack([text], fallback=say("digest_events_fallback", days=HORIZON.days))
