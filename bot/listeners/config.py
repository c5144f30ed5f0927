"""Admins change the settings: `/scout config` or the Home tab's button, then the modal."""

from __future__ import annotations

import logging

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.config import AdminsOnly, change_settings, settings_scope, settings_to_change
from bot.listeners.home import publish_home
from bot.listeners.support import (
    Services,
    acknowledge,
    actor,
    after_ack,
    request_time,
    services,
    team_admins,
)
from bot.rendering.config import (
    admins_only_text,
    config_from_modal,
    config_modal,
    not_in_channels_text,
)
from bot.rendering.ids import ActionId, BlockId, CallbackId
from bot.rendering.text import NO_UNFURL

log = logging.getLogger(__name__)


def register(app: App) -> None:
    """Listen for the Home tab's button and the settings modal."""
    app.action(ActionId.CONFIG_OPEN.value)(ack=acknowledge, lazy=[handle_config_button])
    app.view(CallbackId.CONFIG.value)(ack=handle_config_submitted, lazy=[after_config_saved])


@after_ack
def handle_config_button(body: dict, context: BoltContext, client: WebClient) -> None:
    """Change settings (Home tab): the modal for admins, a polite refusal for anyone else."""
    open_config(client, context, trigger_id=body["trigger_id"])


def open_config(client: WebClient, context: BoltContext, *, trigger_id: str) -> None:
    """The settings modal, prefilled with what is in force now; a refusal for non-admins."""
    app, who = services(context), actor(context)
    try:
        with app.reading() as session:
            config = settings_to_change(session=session, settings=app.settings, actor=who)
    except AdminsOnly:
        text = admins_only_text(team_admins(context))
        client.chat_postMessage(channel=who.user_id, text=text, **NO_UNFURL)
        return
    client.views_open(trigger_id=trigger_id, view=config_modal(config))


def handle_config_submitted(ack: Ack, view: dict, context: BoltContext) -> None:
    """Check every field; errors show on their fields, else the settings are saved."""
    app = services(context)
    config, errors = config_from_modal(view)
    if config is None:
        ack(response_action="errors", errors=errors)
        return
    try:
        with app.transaction() as session:
            who = actor(context)
            change_settings(
                session=session, actor=who, config=config, now=request_time(context),
                scope=settings_scope(app.settings, who.team_id), settings=app.settings,
            )  # fmt: skip
    except AdminsOnly:  # the modal is only opened for admins; a forged submit is not
        text = _plain(admins_only_text(team_admins(context)))
        ack(response_action="errors", errors={BlockId.CONFIG_SCHEDULE.value: text})
        return
    ack(response_action="clear")


@after_ack
def after_config_saved(body: dict, view: dict, context: BoltContext, client: WebClient) -> None:
    """Join the mapped channels (cards can't be posted where the bot isn't), then refresh Home."""
    app, who = services(context), actor(context)
    config, _errors = config_from_modal(view)
    if not who.is_admin or config is None:
        return  # refused in the ack: nothing was saved
    outside = sorted(c for c in set(config.channels.values()) if not _in_channel(client, c))
    if outside:
        text = not_in_channels_text(outside)
        client.chat_postMessage(channel=who.user_id, text=text, **NO_UNFURL)
    app.wake_delivery()  # cards that waited on a channel may have just moved to a new one
    publish_home(client, context, page=0)


def _in_channel(client: WebClient, channel: str) -> bool:
    """Whether the bot is in the channel, joining it if it is public."""
    try:
        if client.conversations_info(channel=channel)["channel"].get("is_member"):
            return True
        client.conversations_join(channel=channel)  # public channels only
    except SlackApiError as error:  # private, archived, gone: an admin must invite the bot
        log.info("not in %s and cannot join: %s", channel, error.response.get("error"))
        return False
    return True


def _plain(text: str) -> str:
    """A modal field error shows plain text: mentions become names the person can look up."""
    return text.replace("<@", "@").replace(">", "")


__all__ = ["Services", "open_config"]
