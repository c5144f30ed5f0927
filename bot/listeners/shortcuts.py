"""The message shortcut "Log value discovery": the modal, prefilled with the message as evidence."""

from __future__ import annotations

import logging

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.dialogue.turns import Who, start_fresh
from bot.rendering.ids import CallbackId
from bot.rendering.modal import discovery_modal
from storage.types import utc_now

log = logging.getLogger(__name__)


def register(app: App) -> None:
    """Listen for the message shortcut."""
    app.message_shortcut(CallbackId.LOG_DISCOVERY_SHORTCUT.value)(handle_log_discovery_shortcut)


def handle_log_discovery_shortcut(
    ack: Ack, shortcut: dict, context: BoltContext, client: WebClient
) -> None:
    """Start a discovery from what a customer said; an open dialogue is kept as a draft."""
    ack()
    channel, message = shortcut["channel"]["id"], shortcut["message"]
    answers = {"evidence": message.get("text", "")}
    link = _permalink(client, channel, message["ts"])
    if link:
        answers["evidence_url"] = link
    rules, who = context["rules"], Who(shortcut["team"]["id"], shortcut["user"]["id"], channel)
    dialogue_id = start_fresh(
        engine=context["engine"], rules=rules, who=who, answers=answers, now=utc_now()
    )
    view = discovery_modal(rules.definition, answers, dialogue_id=dialogue_id)
    client.views_open(trigger_id=shortcut["trigger_id"], view=view)


def _permalink(client: WebClient, channel: str, ts: str) -> str | None:
    """The message's link; a channel the bot cannot read still gives the scout a modal."""
    try:
        return client.chat_getPermalink(channel=channel, message_ts=ts)["permalink"]
    except SlackApiError as error:
        log.warning("no permalink for a shortcut message: %s", error.response.get("error"))
        return None
