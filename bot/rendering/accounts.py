"""What account owners read: a new discovery at their account, several scouts converging on it."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    MarkdownTextObject,
    SectionBlock,
)

from bot.dialogue.answers import show_date
from bot.domain.views import DiscoveryView
from bot.rendering.fitting import SECTION_LIMIT, dicts
from bot.rendering.ids import ActionId
from bot.rendering.links import link_as
from bot.rendering.prose import and_list
from bot.rendering.text import NO_UNFURL, Mrkdwn, escape_within, render, shorten
from bot.wording import say

OUTCOME_LIMIT = 300


def owner_alert_message(
    *, discovery: DiscoveryView, posts: list[tuple[str, str | None]]
) -> dict[str, Any]:
    """To the owner: the discovery, links to its cards, and how to turn these DMs off."""
    text = render(
        "account_owner_new.md.j2", account=discovery.account, scout=discovery.scout_user_id,
        outcome=Mrkdwn(escape_within(discovery.outcome, OUTCOME_LIMIT)), places=_places(posts),
    )  # fmt: skip
    return _message(text, personal=True)


def convergence_message(
    *, discovery: DiscoveryView, posts: list[tuple[str, str | None]], scouts: int, days: int,
    personal: bool,
) -> dict[str, Any]:  # fmt: skip
    """To the owner and the sales channel: several scouts at one account, with the latest card."""
    text = render(
        "account_convergence.md.j2", account=discovery.account, scouts=scouts, days=days,
        places=_places(posts),
    )  # fmt: skip
    return _message(text, personal=personal)


def radar_message(
    *, discovery: DiscoveryView, posts: list[tuple[str, str | None]], days: int, personal: bool
) -> dict[str, Any]:
    """A compelling event near and the sales card not actioned: to the owner or #sales."""
    assert discovery.event_date is not None
    text = render(
        "account_radar.md.j2", account=discovery.account, days=days,
        day=show_date(discovery.event_date), places=_places(posts),
        pressure=Mrkdwn(escape_within(discovery.event_pressure, OUTCOME_LIMIT))
        if discovery.event_pressure else None,
    )  # fmt: skip
    return _message(text, personal=personal)


def alerts_off_button() -> ButtonElement:
    """The button that turns off the DMs about one's accounts (whoever clicks it)."""
    return ButtonElement(
        text=say("accounts_alerts_off_here"),
        action_id=ActionId.ACCOUNT_ALERTS_OFF.value,
        value="off",
    )


def _places(posts: list[tuple[str, str | None]]) -> Mrkdwn:
    places = [
        render(
            "receipt_place.md.j2",
            channel_id=channel,
            status=None,
            link=link_as(link, say("accounts_see_the_card")),
        )
        for channel, link in posts
    ]
    return Mrkdwn(and_list(places))


def _message(text: str, *, personal: bool) -> dict[str, Any]:
    blocks: list[Block] = [SectionBlock(text=MarkdownTextObject(text=shorten(text, SECTION_LIMIT)))]
    if personal:
        blocks.append(ActionsBlock(elements=[alerts_off_button()]))
    return {"text": shorten(text, SECTION_LIMIT), "blocks": dicts(blocks), **NO_UNFURL}
