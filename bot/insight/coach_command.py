"""`/scout coach`: quality per scout of the week so far, for coaches only, only to the asker.

Coaches are the users of VALUESCOUT_COACHES and the members of the coach channel.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import Engine

from bot.digests.figures import week_quality
from bot.digests.messages import pack, period
from bot.digests.model import Message, Week
from bot.digests.quality_messages import everyone_text
from bot.rendering.text import render
from bot.wording import say
from storage.engine import session_scope
from storage.queries.config import route_channels
from storage.queries.digest_figures import plan_for_digests

COACH = "coach"  # the coach channel's key in the route map
log = logging.getLogger(__name__)


def coach_reply(
    *, engine: Engine, client: WebClient, user_id: str, coaches: frozenset[str], zone: ZoneInfo,
    now: datetime, team_id: str | None = None,
) -> list[Message]:  # fmt: skip
    """Every scout's quality this week in the workspace (None: the only one), or a polite
    refusal for someone who is no coach."""
    with session_scope(engine) as session:
        channel = route_channels(session=session, team_id=team_id or "").get(COACH)
    if user_id not in coaches and not _member(client, channel, user_id):
        return pack([render("coach_only.md.j2", channel=channel)], fallback=say("coach_only"))
    week = Week.of(now, zone)
    with session_scope(engine) as session:
        plan_for_digests(session)
        qualities = week_quality(session=session, team_id=team_id, week=week, zone=zone, now=now)
    text = everyone_text(qualities, period=period(week))
    return pack([text], fallback=say("coach_scouts_fallback", when=period(week)))


def _member(client: WebClient, channel: str | None, user_id: str) -> bool:
    """Whether the user is in the coach channel (no channel, or one the bot cannot read: no)."""
    if not channel:
        return False
    try:
        return user_id in set(_members(client, channel))
    except SlackApiError as problem:
        error = problem.response.get("error")
        log.warning("coach channel %s: members unreadable (%s)", channel, error)
        return False


def _members(client: WebClient, channel: str) -> Iterator[str]:
    """Every member of a channel, page by page."""
    cursor = None
    while True:
        page = client.conversations_members(channel=channel, cursor=cursor, limit=200)
        yield from page.get("members") or []
        cursor = (page.get("response_metadata") or {}).get("next_cursor")
        if not cursor:
            return
