"""The catch-all that answers 200 to every event no other listener takes."""

from __future__ import annotations

import re

from slack_bolt import App

from bot.listeners.support import acknowledge


def register(app: App) -> None:
    """Bolt answers 404 to an event nobody listens for, which Slack counts as a failure and
    retries: whatever else arrives is acknowledged and ignored. Register this last."""
    app.event(re.compile(".*"))(acknowledge)
