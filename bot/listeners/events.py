"""Events API listeners: App Home, and the catch-all that answers 200 to the rest."""

from __future__ import annotations

import re

from slack_bolt import App
from slack_sdk import WebClient

from bot.listeners.support import acknowledge, after_ack
from bot.rendering.home import home_view


def register(app: App) -> None:
    """Listen for App Home; answer every other subscribed event with 200."""
    app.event("app_home_opened")(ack=acknowledge, lazy=[handle_app_home_opened])
    # Bolt answers 404 to an event nobody listens for, which Slack counts as a
    # failure and retries: whatever else arrives is acknowledged and ignored.
    app.event(re.compile(".*"))(acknowledge)


@after_ack
def handle_app_home_opened(body: dict, event: dict, client: WebClient) -> None:
    """Publish the App Home when a user opens its Home tab."""
    if event.get("tab") == "home":
        client.views_publish(user_id=event["user"], view=home_view())
