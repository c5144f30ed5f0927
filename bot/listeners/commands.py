"""The /scout slash command: help, or the discovery modal."""

from __future__ import annotations

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.dialogue.turns import Who, take_turn
from bot.listeners.support import after_ack, services
from bot.rendering.help import help_blocks
from bot.rendering.ids import Command
from bot.rendering.modal import discovery_modal
from storage.types import utc_now

HELP_WORDS = ("help", "?")


def register(app: App) -> None:
    """Listen for /scout."""
    app.command(Command.SCOUT.value)(ack=ack_scout_command, lazy=[open_discovery_modal])


def ack_scout_command(ack: Ack, command: dict) -> None:
    """`/scout help` is answered in the ack itself; anything else is acknowledged empty."""
    if _wants_help(command):
        ack(response_type="ephemeral", text="How to use Value Scout", blocks=help_blocks())
    else:
        ack()


@after_ack
def open_discovery_modal(
    body: dict, command: dict, context: BoltContext, client: WebClient
) -> None:
    """Open the modal on the scout's open dialogue (a new one when there is none)."""
    if _wants_help(command):
        return
    app = services(context)
    who = Who(command["team_id"], command["user_id"], command.get("channel_id"))
    turn = take_turn(engine=app.engine, rules=app.rules, who=who, events=[], now=utc_now())
    view = discovery_modal(app.rules.definition, turn.state.answers, dialogue_id=turn.dialogue_id)
    client.views_open(trigger_id=command["trigger_id"], view=view)


def _wants_help(command: dict) -> bool:
    return command.get("text", "").strip().lower() in HELP_WORDS
