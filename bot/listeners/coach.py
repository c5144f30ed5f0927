"""`/scout coach`: quality per scout, answered after the ack, only to the asker (coaches only)."""

from __future__ import annotations

from slack_bolt import BoltContext, Respond
from slack_sdk import WebClient

from bot.config import workspace_coaches
from bot.dialogue.subcommands import read_scout_command
from bot.insight.coach_command import coach_reply
from bot.listeners.support import (
    actor,
    after_ack,
    insight_team,
    request_time,
    services,
    workspace_zone,
)


@after_ack
def answer_coach(command: dict, context: BoltContext, respond: Respond, client: WebClient) -> None:
    """Every scout's figures for a coach, a polite refusal for anyone else; never a dialogue."""
    if read_scout_command(command.get("text", "")).kind != "coach":
        return
    app, who = services(context), actor(context)
    with app.reading() as session:  # each workspace names its own coaches
        coaches = workspace_coaches(session=session, settings=app.settings, team_id=who.team_id)
    messages = coach_reply(
        engine=app.engine, client=client, user_id=who.user_id,
        coaches=coaches, zone=workspace_zone(context), now=request_time(context),
        team_id=insight_team(context),
    )  # fmt: skip
    for message in messages:
        respond(response_type="ephemeral", text=message.text, blocks=message.blocks)
