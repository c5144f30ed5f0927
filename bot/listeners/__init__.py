"""Slack listeners, one module per kind; each parses, calls the core, renders and acks."""

from slack_bolt import App

from bot.listeners import (
    account_merge,
    accounts,
    cards,
    channels,
    commands,
    config,
    dialogue,
    digests,
    edits,
    events,
    follow_through,
    guard,
    home,
    merge,
    retheme,
    shortcuts,
    suggestions,
    views,
)


def register(app: App) -> None:
    """Register every listener; the catch-all for ignored events goes last."""
    guard.register(app)
    commands.register(app)
    dialogue.register(app)
    shortcuts.register(app)
    views.register(app)
    cards.register(app)
    follow_through.register(app)
    edits.register(app)
    merge.register(app)
    retheme.register(app)
    digests.register(app)
    suggestions.register(app)
    home.register(app)
    accounts.register(app)
    account_merge.register(app)
    config.register(app)
    channels.register(app)
    events.register(app)
