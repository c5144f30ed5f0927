"""Accounts in Slack: an owner's switch for the DMs about their accounts."""

from __future__ import annotations

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.accounts.preferences import switch_owner_alerts
from bot.listeners.home import publish_home
from bot.listeners.support import acknowledge, after_ack, services, tell_privately
from bot.rendering.ids import ActionId
from bot.rendering.text import render
from storage.types import utc_now


def register(app: App) -> None:
    """Listen for the owner's two switch buttons."""
    app.action(ActionId.ACCOUNT_ALERTS_OFF.value)(ack=acknowledge, lazy=[handle_alerts_off])
    app.action(ActionId.ACCOUNT_ALERTS_ON.value)(ack=acknowledge, lazy=[handle_alerts_on])


@after_ack
def handle_alerts_off(body: dict, context: BoltContext, client: WebClient) -> None:
    """Turn the account DMs off for whoever clicked (never the button's owner), and say so."""
    user = body["user"]["id"]
    switch_owner_alerts(engine=services(context).engine, user_id=user, off=True, now=utc_now())
    channel = (body.get("channel") or {}).get("id")
    tell_privately(client, channel=channel, user=user, text=render("account_alerts_off.md.j2"))
    if (body.get("container") or {}).get("type") == "view":  # clicked on the Home tab
        publish_home(client, services(context), team_id=body["team"]["id"], user_id=user, page=0)


@after_ack
def handle_alerts_on(body: dict, context: BoltContext, client: WebClient) -> None:
    """Turn the account DMs back on for whoever clicked, and show it on their Home tab."""
    user = body["user"]["id"]
    switch_owner_alerts(engine=services(context).engine, user_id=user, off=False, now=utc_now())
    publish_home(client, services(context), team_id=body["team"]["id"], user_id=user, page=0)
