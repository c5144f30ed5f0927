"""The product digest's "Add theme": an admin adds a suggested theme, once however often clicked."""

from __future__ import annotations

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

import prompts
from bot.digests.suggest import ADDED, NOT_ADMIN, add_theme
from bot.listeners.support import (
    acknowledge,
    actor,
    after_ack,
    request_time,
    services,
    team_admins,
    tell_privately,
)
from bot.rendering.ids import ActionId
from bot.rendering.suggestions import added_text, not_admin_text, suggestion_of
from bot.wording import say

NETWORK_FILE = "value_network.yaml"


def register(app: App) -> None:
    """Listen for the suggestions' buttons."""
    app.action(ActionId.THEME_ADD.value)(ack=acknowledge, lazy=[handle_add_theme])


@after_ack
def handle_add_theme(body: dict, action: dict, context: BoltContext, client: WebClient) -> None:
    """Add the theme (admins only) and tell the clicker alone what came of it."""
    app, who = services(context), actor(context)
    channel = (body.get("container") or {}).get("channel_id") or (body.get("channel") or {}).get(
        "id"
    )
    try:
        theme, weeks = suggestion_of(action.get("value") or "")
    except (ValueError, TypeError):  # not a button this app drew: nothing to add
        tell_privately(client, channel=channel, user=who.user_id, text=say("suggest_unreadable"))
        return
    with app.transaction() as session:
        added = add_theme(
            session=session, theme=theme, actor=who, network=app.rules.network, weeks=weeks,
            now=request_time(context),
        )  # fmt: skip
    if added.outcome == NOT_ADMIN:
        text = not_admin_text(team_admins(context))
    else:
        app.wake_delivery()  # the cards of the discoveries it tagged
        text = added_text(
            added.theme, tagged=added.tagged, weeks=weeks, by=added.by, at=added.at,
            file_name=prompts.source_name(NETWORK_FILE), already=added.outcome != ADDED,
        )  # fmt: skip
    tell_privately(client, channel=channel, user=who.user_id, text=text)
