"""What every listener shares: the services, a plain ack, and a guard for work done after the ack."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from datetime import date, datetime
from zoneinfo import ZoneInfo

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.config import admins_and_zone
from bot.domain.actor import Actor
from bot.logs import new_reference
from bot.rendering.text import NO_UNFURL
from bot.services import Services

log = logging.getLogger("bot.listeners")
SORRY = (
    "Sorry, something went wrong on our side (ref `{ref}`). Nothing you entered was lost; "
    "please try again in a moment."
)


def services(context: BoltContext) -> Services:
    """The services the app was built with."""
    return context["services"]


class RequestPeople:
    """Who is acting on a request, and its workspace's admins and clock, read from the database
    when a listener first asks: for the work after the ack, after the ack. Read by the
    middleware before every ack, the admins' query made each ack wait on the database and on
    the GIL around every call into the driver (bench/dialogue.py: a DM's ack p50 1.6 ms, now
    0.5 ms).

    Not functools.cached_property: on Python 3.11 it holds one lock for every instance, so
    the after-ack threads would queue behind each other's query."""

    def __init__(self, shared: Services, user_id: str | None, team_id: str | None) -> None:
        self._shared, self._user_id, self._team_id = shared, user_id, team_id
        self._read: tuple[frozenset[str], ZoneInfo] | None = None  # once (two threads: harmless)

    def _workspace(self) -> tuple[frozenset[str], ZoneInfo]:
        if self._read is None:
            with self._shared.reading() as session:
                self._read = admins_and_zone(session=session, settings=self._shared.settings,
                                             team_id=self._team_id or "")  # fmt: skip
        return self._read

    @property
    def admins(self) -> frozenset[str]:
        """The workspace's admins (each workspace has its own)."""
        return self._workspace()[0]

    @property
    def zone(self) -> ZoneInfo:
        """The workspace's time zone (each workspace has its own clock)."""
        return self._workspace()[1]

    @property
    def actor(self) -> Actor:
        """The person Slack says sent the request, and whether they administer the workspace."""
        return Actor.of(self._user_id, self._team_id, admins=self.admins)


def actor(context: BoltContext) -> Actor:
    """Who is acting: the person Slack says sent the request (the app's middleware names them)."""
    return context["people"].actor


def request_time(context: BoltContext) -> datetime:
    """When the request arrived (UTC): one clock reading for all of its work."""
    return context["now"]


def workspace_zone(context: BoltContext) -> ZoneInfo:
    """The time zone of the request's workspace (read when first asked)."""
    return context["people"].zone


def request_today(context: BoltContext) -> date:
    """The date when the request arrived, in the workspace's time zone: what dates count from."""
    return request_time(context).astimezone(workspace_zone(context)).date()


def acknowledge(ack: Ack) -> None:
    """Acknowledge at once, in the request thread; the work follows in a lazy listener."""
    ack()


def after_ack(work: Callable[..., None]) -> Callable[..., None]:
    """Run work after the ack; a failure is logged with a reference the person is told."""

    @functools.wraps(work)
    def guarded(**kwargs: object) -> None:
        try:
            context = kwargs.get("context")
            if isinstance(context, BoltContext) and "people" in context:
                actor(context)  # read first, so no listener reads it inside its transaction
            work(**kwargs)
        except Exception as error:  # the last line of defence: Bolt would only log one line
            reference = new_reference()
            log.exception("%s failed (ref %s)", work.__name__, reference, exc_info=error)
            _tell_sorry(kwargs, reference)

    return guarded


def tell_privately(client: WebClient, *, channel: str | None, user: str, text: str) -> None:
    """To one person: ephemeral where they clicked, else (the Home tab, a channel or DM they
    are not in, one the bot has left) a DM, so a refusal is never a crash."""
    if channel:
        try:
            client.chat_postEphemeral(channel=channel, user=user, text=text)
            return
        except SlackApiError as error:
            log.info("no ephemeral for %s in %s: %s", user, channel, error.response.get("error"))
    client.chat_postMessage(channel=user, text=text, **NO_UNFURL)


def _tell_sorry(kwargs: dict, reference: str) -> None:
    """Tell the person in their DM with the bot; if even that fails, the log has it all."""
    body, client = kwargs.get("body") or {}, kwargs.get("client")
    user = (
        (body.get("user") or {}).get("id")
        or body.get("user_id")
        or (body.get("event") or {}).get("user")
    )
    if client is None or not user:
        return
    try:
        client.chat_postMessage(channel=user, text=SORRY.format(ref=reference), **NO_UNFURL)
    except SlackApiError:
        log.warning("could not tell %s about failure %s", user, reference)


MEMBERS_PAGE = 1000


def is_channel_member(client: WebClient, channel: str, user_id: str) -> bool:
    """Whether the person is in the channel, as Slack's member list says (after the ack); a
    channel gone or the bot removed proves no membership."""
    cursor = None
    while True:
        try:
            page = client.conversations_members(channel=channel, limit=MEMBERS_PAGE, cursor=cursor)
        except SlackApiError:
            return False
        if user_id in page.get("members", []):
            return True
        cursor = (page.get("response_metadata") or {}).get("next_cursor")
        if not cursor:
            return False


def team_admins(context: BoltContext) -> frozenset[str]:
    """The admins of the request's workspace (named in refusals)."""
    return context["people"].admins


def insight_team(context: BoltContext) -> str | None:
    """Whose discoveries a figure counts: the asker's workspace, installed by OAuth; None (every
    row, which is one workspace's) in single-workspace mode."""
    return actor(context).team_id if services(context).settings.oauth_configured else None
