"""The bot invited to a channel, or a channel unarchived: the cards that waited on it go now."""

from __future__ import annotations

from slack_bolt import App, BoltContext

from bot.discoveries.blocked import release_channel
from bot.listeners.support import acknowledge, after_ack, request_time, services


def register(app: App) -> None:
    """Listen for the bot joining a channel and for channels coming back from the archive."""
    app.event("member_joined_channel")(ack=acknowledge, lazy=[handle_member_joined])
    for kind in ("channel_unarchive", "group_unarchive"):
        app.event(kind)(ack=acknowledge, lazy=[handle_unarchived])


@after_ack
def handle_member_joined(event: dict, context: BoltContext) -> None:
    """Someone joined a channel; if it was the bot, what waited on that channel is due now."""
    if event.get("user") and event.get("user") == context.bot_user_id:
        _release(context, event.get("channel"))


@after_ack
def handle_unarchived(event: dict, context: BoltContext) -> None:
    """A channel is back from the archive: what waited on it is due now."""
    _release(context, event.get("channel"))


def _release(context: BoltContext, channel: object) -> None:
    if not isinstance(channel, str) or not channel:
        return
    app = services(context)
    with app.transaction() as session:
        released = release_channel(session=session, channel_id=channel, now=request_time(context))
    if released:
        app.wake_delivery()
