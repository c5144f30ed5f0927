"""The /scout slash command."""

from __future__ import annotations

from slack_bolt import Ack, App

from bot.rendering.help import help_blocks
from bot.rendering.ids import Command


def register(app: App) -> None:
    """Listen for /scout."""
    app.command(Command.SCOUT.value)(handle_scout_command)


def handle_scout_command(ack: Ack, command: dict) -> None:
    """Answer `/scout help` (and, until the dialogue lands, any /scout) inside the ack."""
    ack(response_type="ephemeral", text="How to use Value Scout", blocks=help_blocks())
