"""The message shortcut "Log value discovery": the modal, prefilled with the message as evidence."""

from __future__ import annotations

import logging

from slack_bolt import App, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.dialogue.evidence import told
from bot.dialogue.turns import Who, start_fresh, story_answers
from bot.listeners.support import (
    acknowledge,
    actor,
    after_ack,
    request_time,
    services,
    workspace_zone,
)
from bot.rendering.ids import CallbackId
from bot.rendering.modal import discovery_modal

log = logging.getLogger(__name__)


def register(app: App) -> None:
    """Listen for the message shortcut."""
    callback_id = CallbackId.LOG_DISCOVERY_SHORTCUT.value
    app.message_shortcut(callback_id)(ack=acknowledge, lazy=[handle_log_discovery_shortcut])


@after_ack
def handle_log_discovery_shortcut(
    body: dict, shortcut: dict, context: BoltContext, client: WebClient
) -> None:
    """Start a discovery from what a customer said; an open dialogue is kept as a draft."""
    app, channel, message = services(context), shortcut["channel"]["id"], shortcut["message"]
    story = message.get("text", "")
    answers = story_answers(
        engine=app.engine,
        team_id=actor(context).team_id,
        definition=app.rules.definition,
        story=story,
        now=request_time(context),
        zone=workspace_zone(context),
    )
    answers |= told({}, story)  # the message is the opener: kept first in the evidence
    link = _permalink(client, channel, message["ts"])
    if link:
        answers["evidence_url"] = link
    who = Who(shortcut["team"]["id"], shortcut["user"]["id"])  # its DM, not the customer's channel
    dialogue_id = start_fresh(
        engine=app.engine, rules=app.rules, who=who, answers=answers, now=request_time(context)
    )
    view = discovery_modal(app.rules.definition, answers, dialogue_id=dialogue_id)
    client.views_open(trigger_id=shortcut["trigger_id"], view=view)


def _permalink(client: WebClient, channel: str, ts: str) -> str | None:
    """The message's link; a channel the bot cannot read still gives the scout a modal."""
    try:
        return client.chat_getPermalink(channel=channel, message_ts=ts)["permalink"]
    except SlackApiError as error:
        log.warning("no permalink for a shortcut message: %s", error.response.get("error"))
        return None
