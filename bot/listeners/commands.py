"""The /scout slash command: help, settings (admins), the discovery modal, or what exists."""

from __future__ import annotations

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.dialogue.subcommands import read_scout_command
from bot.dialogue.turns import Who, take_turn
from bot.listeners.accounts import answer_lookup
from bot.listeners.coach import answer_coach
from bot.listeners.config import open_config
from bot.listeners.support import (
    actor,
    after_ack,
    request_time,
    services,
    team_admins,
    workspace_zone,
)
from bot.listeners.themes import answer_themes
from bot.rendering.config import admins_only_text
from bot.rendering.help import help_blocks, unknown_command_text
from bot.rendering.ids import Command
from bot.rendering.modal import discovery_modal
from bot.wording import say


def register(app: App) -> None:
    """Listen for /scout."""
    lazy = [open_discovery_modal, answer_lookup, answer_themes, answer_coach]  # each its own
    app.command(Command.SCOUT.value)(ack=ack_scout_command, lazy=lazy)


def ack_scout_command(ack: Ack, command: dict, context: BoltContext) -> None:
    """Help, a refused config and a mistyped subcommand are answered in the ack, to the asker."""
    asked = read_scout_command(command.get("text", ""))
    if asked.kind == "help":
        ack(response_type="ephemeral", text=say("scout_help_fallback"), blocks=help_blocks())
    elif asked.kind == "config" and not actor(context).is_admin:
        ack(response_type="ephemeral", text=admins_only_text(team_admins(context)))
    elif asked.kind == "unknown":
        ack(response_type="ephemeral", text=unknown_command_text(asked.word, asked.suggestion))
    else:
        ack()


@after_ack
def open_discovery_modal(
    body: dict, command: dict, context: BoltContext, client: WebClient
) -> None:
    """Open the modal on the scout's open dialogue (a new one when there is none)."""
    app, asked = services(context), read_scout_command(command.get("text", ""))
    if asked.kind == "config" and actor(context).is_admin:
        open_config(client, context, trigger_id=command["trigger_id"])
    if asked.kind != "log":
        return
    who = Who(command["team_id"], command["user_id"])  # the scout's DM, not where they typed
    turn = take_turn(
        engine=app.engine, rules=app.rules, who=who, events=[], now=request_time(context),
        story=asked.story, form=True, zone=workspace_zone(context),
    )  # fmt: skip
    view = discovery_modal(app.rules.definition, turn.state.answers, dialogue_id=turn.dialogue_id)
    client.views_open(trigger_id=command["trigger_id"], view=view)
