"""A card's Themes…: the team re-themes a discovery (members of its channels, and admins)."""

from __future__ import annotations

from collections.abc import Callable

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.discoveries.retheme import (
    GONE,
    NOT_PERMITTED,
    WITHDRAWN,
    RethemeOpening,
    may_retheme,
    open_retheme,
    retheme,
)
from bot.listeners.support import (
    actor,
    after_ack,
    is_channel_member,
    request_time,
    services,
    tell_privately,
)
from bot.rendering.ids import CallbackId
from bot.rendering.retheme import retheme_form, retheme_refusal, themes_from_modal, themes_modal


def register(app: App) -> None:
    """Listen for the Themes… form's submit (the card's menu opens it: see edits.py)."""
    app.view(CallbackId.DISCOVERY_THEMES.value)(ack=handle_themes_submitted, lazy=[save_themes])


def open_themes(client: WebClient, context: BoltContext, body: dict, discovery_id: int) -> None:
    """The form with the discovery's themes ticked, for whoever may change them."""
    who, channel = actor(context), _channel(body)
    opening, why = _opening(client, context, discovery_id)
    if why is not None:
        text = retheme_refusal(why, channels=opening.channels)
        tell_privately(client, channel=channel, user=who.user_id, text=text)
        return
    view = themes_modal(
        discovery_id=discovery_id, account=opening.account, options=opening.options,
        current=opening.themes, origin=channel,
    )  # fmt: skip
    client.views_open(trigger_id=body["trigger_id"], view=view)


def handle_themes_submitted(ack: Ack, view: dict) -> None:
    """None picked: say so on the field; else close the form and save after the ack."""
    _themes, errors = themes_from_modal(view)
    if errors:
        ack(response_action="errors", errors=errors)
        return
    ack(response_action="clear")


@after_ack
def save_themes(view: dict, context: BoltContext, client: WebClient) -> None:
    """Keep the choice once, if this person may; a refusal is told to them alone."""
    themes, errors = themes_from_modal(view)
    if errors or themes is None:
        return
    app, who = services(context), actor(context)
    discovery_id, origin, shown = retheme_form(view)
    opening, why = _opening(client, context, discovery_id)
    if why == NOT_PERMITTED:  # checked again: membership may have changed, a form be forged
        text = retheme_refusal(why, channels=opening.channels)
        tell_privately(client, channel=origin, user=who.user_id, text=text)
        return
    with app.transaction() as session:
        result = retheme(
            session=session, discovery_id=discovery_id, themes=themes, shown=shown,
            user_id=who.user_id, source_key=f"themes:{view.get('id', '')}",
            network=app.rules.network, now=request_time(context),
        )  # fmt: skip
    if result.saved:
        app.wake_delivery()  # the cards show the new themes now
        return
    labels = dict(opening.options)
    text = retheme_refusal(
        result.refused, labels=[labels.get(k, k) for k in result.themes], by=result.by
    )
    tell_privately(client, channel=origin, user=who.user_id, text=text)


def _opening(
    client: WebClient, context: BoltContext, discovery_id: int
) -> tuple[RethemeOpening, str | None]:
    """The form's content, and why this person may not have it (None: they may)."""
    app, who = services(context), actor(context)
    with app.reading() as session:
        opening = open_retheme(
            session=session, discovery_id=discovery_id, network=app.rules.network
        )
    if not opening.found:
        return opening, GONE
    if opening.withdrawn:
        return opening, WITHDRAWN
    if not may_retheme(who, opening.channels, _member_check(client, who.user_id)):
        return opening, NOT_PERMITTED
    return opening, None


def _member_check(client: WebClient, user_id: str) -> Callable[[str], bool]:
    """Whether the person is in a channel, as Slack's member list says (after the ack)."""
    return lambda channel: is_channel_member(client, channel, user_id)


def _channel(body: dict) -> str | None:
    container = body.get("container") or {}
    return container.get("channel_id") or (body.get("channel") or {}).get("id")
