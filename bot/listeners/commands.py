"""The /scout slash command: help, or the discovery modal."""

from __future__ import annotations

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.dialogue.turns import Who, take_turn
from bot.rendering.help import help_blocks
from bot.rendering.ids import Command
from bot.rendering.modal import discovery_modal
from storage.types import utc_now


def register(app: App) -> None:
    """Listen for /scout."""
    app.command(Command.SCOUT.value)(handle_scout_command)


def handle_scout_command(ack: Ack, command: dict, context: BoltContext, client: WebClient) -> None:
    """`/scout help` answers in the ack; `/scout` opens the modal on the scout's open dialogue."""
    if command.get("text", "").strip().lower() in ("help", "?"):
        ack(response_type="ephemeral", text="How to use Value Scout", blocks=help_blocks())
        return
    ack()
    who = Who(command["team_id"], command["user_id"], command.get("channel_id"))
    rules = context["rules"]
    turn = take_turn(engine=context["engine"], rules=rules, who=who, events=[], now=utc_now())
    view = discovery_modal(rules.definition, turn.state.answers, dialogue_id=turn.dialogue_id)
    client.views_open(trigger_id=command["trigger_id"], view=view)
