"""The scout digest switch: off from the weekly DM's button, back on from the Home tab."""

from __future__ import annotations

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.digests.opt_out import switch_scout_digest
from bot.listeners.home import publish_home
from bot.listeners.support import (
    acknowledge,
    actor,
    after_ack,
    request_time,
    services,
    tell_privately,
)
from bot.rendering.ids import ActionId
from bot.rendering.text import render


def register(app: App) -> None:
    """Listen for the two switch buttons."""
    app.action(ActionId.DIGEST_SCOUT_OFF.value)(ack=acknowledge, lazy=[handle_digest_off])
    app.action(ActionId.DIGEST_SCOUT_ON.value)(ack=acknowledge, lazy=[handle_digest_on])


@after_ack
def handle_digest_off(body: dict, context: BoltContext, client: WebClient) -> None:
    """Turn the weekly DM off for whoever clicked, and say how to get it back."""
    # The clicker, never the button's value: a forwarded DM must not switch someone else off.
    _switch(context, off=True)
    channel, text = (body.get("channel") or {}).get("id"), render("digest_turned_off.md.j2")
    tell_privately(client, channel=channel, user=actor(context).user_id, text=text)


@after_ack
def handle_digest_on(context: BoltContext, client: WebClient) -> None:
    """Turn the weekly DM back on for whoever clicked, and show it on their Home tab."""
    _switch(context, off=False)
    publish_home(client, context, page=0)


def _switch(context: BoltContext, *, off: bool) -> None:
    with services(context).transaction() as session:
        switch_scout_digest(
            session=session, user_id=actor(context).user_id, off=off, now=request_time(context)
        )
