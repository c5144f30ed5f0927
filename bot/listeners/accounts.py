"""Accounts in Slack: `/scout account` and `/scout search`, and an owner's DM switch."""

from __future__ import annotations

import logging
from zoneinfo import ZoneInfo

from slack_bolt import App, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.accounts.preferences import switch_owner_alerts
from bot.accounts.view import look_up_account
from bot.dialogue.subcommands import LOOKUPS, read_scout_command
from bot.domain.views import DiscoveryView, RouteView
from bot.listeners.home import publish_home
from bot.listeners.support import (
    Services,
    acknowledge,
    actor,
    after_ack,
    services,
    tell_privately,
    workspace_zone,
)
from bot.rendering.ids import ActionId, Command
from bot.rendering.lookups import Labels, account_message, band_label, search_message
from bot.rendering.prose import and_list
from bot.rendering.text import Mrkdwn, escape, render
from bot.search.find import SHOWN, find_discoveries

log = logging.getLogger(__name__)


def register(app: App) -> None:
    """Listen for the owner's two switch buttons."""
    app.action(ActionId.ACCOUNT_ALERTS_OFF.value)(ack=acknowledge, lazy=[handle_alerts_off])
    app.action(ActionId.ACCOUNT_ALERTS_ON.value)(ack=acknowledge, lazy=[handle_alerts_on])


@after_ack
def handle_alerts_off(body: dict, context: BoltContext, client: WebClient) -> None:
    """Turn the account DMs off for whoever clicked (never the button's owner), and say so."""
    user = actor(context).user_id
    switch_owner_alerts(engine=services(context).engine, user_id=user, off=True)
    channel = (body.get("channel") or {}).get("id")
    tell_privately(client, channel=channel, user=user, text=render("account_alerts_off.md.j2"))
    if (body.get("container") or {}).get("type") == "view":  # clicked on the Home tab
        publish_home(client, context, page=0)


@after_ack
def handle_alerts_on(body: dict, context: BoltContext, client: WebClient) -> None:
    """Turn the account DMs back on for whoever clicked, and show it on their Home tab."""
    user = actor(context).user_id
    switch_owner_alerts(engine=services(context).engine, user_id=user, off=False)
    publish_home(client, context, page=0)


@after_ack
def answer_lookup(command: dict, context: BoltContext, client: WebClient, respond: Respond) -> None:
    """`/scout account <name>` and `/scout search <words>`: answered only to the asker."""
    asked = read_scout_command(command.get("text", ""))
    if asked.kind not in LOOKUPS:
        return
    app = services(context)
    labels = Labels(band=band_label(app.rules.definition), theme=app.rules.network.label,
                    zone=workspace_zone(context))  # fmt: skip
    if not asked.story:
        respond(
            response_type="ephemeral",
            text=render("lookup_usage.md.j2", kind=asked.kind, command=Command.SCOUT.value),
        )
    elif asked.kind == "account":
        answer = _account_answer(app, client, command["team_id"], asked.story, labels,
                                 zone=workspace_zone(context))  # fmt: skip
        respond(response_type="ephemeral", **answer)
    else:
        found = find_discoveries(engine=app.engine, team_id=command["team_id"], text=asked.story)
        message = search_message(
            words=asked.story,
            found=found,
            links=card_links(client, found),
            limit=SHOWN,
            labels=labels,
        )
        respond(response_type="ephemeral", **message)


def _account_answer(
    app: Services, client: WebClient, team_id: str, name: str, labels: Labels, *, zone: ZoneInfo
) -> dict:
    found = look_up_account(engine=app.engine, team_id=team_id, name=name, zone=zone)
    if found.picture is None:
        candidates = and_list([f"*{escape(c)}*" for c in found.candidates])
        text = render(
            "account_did_you_mean.md.j2",
            name=name,
            candidates=Mrkdwn(candidates),
            command=Command.SCOUT.value,
        )
        return {"text": text}
    links = card_links(client, found.picture.discoveries)
    return account_message(picture=found.picture, links=links, labels=labels)


def card_links(
    client: WebClient, listed: list[tuple[DiscoveryView, list[RouteView]]]
) -> dict[int, str]:
    """A permalink to each posted card (route id → link); a card Slack won't link is left bare."""
    links = {}
    for _discovery, routes in listed:
        for route in routes:
            if route.message_ts and not route.rerouted_to:
                try:
                    links[route.id] = client.chat_getPermalink(
                        channel=route.channel_id, message_ts=route.message_ts
                    )["permalink"]
                except SlackApiError as error:
                    log.warning(
                        "no permalink for card %s: %s", route.id, error.response.get("error")
                    )
    return links
