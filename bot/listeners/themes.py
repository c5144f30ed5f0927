"""`/scout themes [name]`: value by theme, answered after the ack, only to the asker."""

from __future__ import annotations

from slack_bolt import BoltContext, Respond

from bot.dialogue.subcommands import read_scout_command
from bot.insight.themes_command import themes_reply
from bot.listeners.support import after_ack, insight_team, request_time, services


@after_ack
def answer_themes(command: dict, context: BoltContext, respond: Respond) -> None:
    """The table, or one theme's discoveries, as an ephemeral reply; never a dialogue."""
    asked = read_scout_command(command.get("text", ""))
    if asked.kind != "themes":
        return
    app = services(context)
    reply = themes_reply(
        engine=app.engine,
        network=app.rules.network,
        argument=asked.story,
        now=request_time(context),
        team_id=insight_team(context),
    )
    respond(response_type="ephemeral", text=reply.text, blocks=reply.blocks)
