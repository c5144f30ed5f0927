"""Events API listeners: direct messages, App Home, and the catch-all that answers 200."""

from __future__ import annotations

import re

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.rendering.help import greeting_blocks
from bot.rendering.home import home_view
from storage.engine import session_scope
from storage.queries import record_request_once


def register(app: App) -> None:
    """Listen for DMs and App Home; answer every other subscribed event with 200."""
    app.event("app_home_opened")(handle_app_home_opened)
    app.event({"type": "message", "channel_type": "im"})(handle_direct_message)
    # Bolt answers 404 to an event nobody listens for, which Slack counts as a
    # failure and retries: whatever else arrives is acknowledged and ignored.
    app.event(re.compile(".*"))(ignore_event)


def handle_app_home_opened(event: dict, client: WebClient) -> None:
    """Publish the App Home when a user opens its Home tab."""
    if event.get("tab") == "home":
        client.views_publish(user_id=event["user"], view=home_view())


def handle_direct_message(event: dict, body: dict, context: BoltContext, client: WebClient) -> None:
    """Greet a person who writes to the bot, once per Slack event (retries are ignored)."""
    if not _from_a_person(event):
        return
    with session_scope(context["engine"]) as session:
        first = record_request_once(session=session, key=f"event:{body['event_id']}", kind="event")
    if first:
        client.chat_postMessage(
            channel=event["channel"],
            text="Hi! I'm Value Scout.",
            blocks=greeting_blocks(user_id=event["user"]),
        )


def ignore_event() -> None:
    """Acknowledge an event the bot does not act on."""


def _from_a_person(event: dict) -> bool:
    """Edits, deletions, joins and other bots' messages are not a person talking to us."""
    return "subtype" not in event and "bot_id" not in event and "user" in event
