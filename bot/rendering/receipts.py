"""The scout's receipt: where the discovery went, with the buttons its status still allows."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    MarkdownTextObject,
    SectionBlock,
)

from bot.dialogue.definition import current_definition
from bot.domain.views import DiscoveryView, answers_of
from bot.rendering.answers import brief_line
from bot.rendering.fitting import SECTION_LIMIT, dicts, fitted
from bot.rendering.ids import ActionId
from bot.rendering.links import link_as
from bot.rendering.prose import and_list
from bot.rendering.text import NO_UNFURL, Mrkdwn, render
from bot.wording import say
from storage.enums import DiscoveryStatus

SCOUT_BUTTONS = (  # receipt_<name> in texts.yaml, action, the statuses it makes sense in
    ("edit", ActionId.DISCOVERY_EDIT, (DiscoveryStatus.NEW,)),
    ("withdraw", ActionId.DISCOVERY_WITHDRAW,
     (DiscoveryStatus.NEW, DiscoveryStatus.ACKNOWLEDGED)),
)  # fmt: skip


def receipt_message(
    *,
    discovery: DiscoveryView,
    posts: list[tuple[str, str, str | None]],
    blocked: dict[str, str] | None = None,
    answers: dict[str, str] | None = None,
) -> dict[str, Any]:
    """The scout's thanks, naming each channel the discovery went to with a link to its post
    and that team's answer; blocked: route → why its channel refuses the bot (that card is
    said to wait); answers: route → its status ("rerouted" once moved away)."""
    blocked, answers = blocked or {}, answers or {}
    places = [
        render(
            "receipt_place.md.j2",
            channel_id=channel,
            link=link_as(permalink, say("receipt_see_the_post")),
            status=answers.get(route),
        )
        for route, channel, permalink in posts
        if route not in blocked
    ]
    waiting = [
        render("receipt_waiting.md.j2", channel_id=channel, error=blocked[route])
        for route, channel, _permalink in posts
        if route in blocked
    ]
    text = fitted(
        "receipt.md.j2", SECTION_LIMIT, discovery.account, places=Mrkdwn(and_list(places)),
        waiting=Mrkdwn(and_list(waiting)),
    )  # fmt: skip
    blocks: list[Block] = [SectionBlock(text=MarkdownTextObject(text=text))]
    brief = brief_line(current_definition(), answers_of(discovery))
    blocks += [ContextBlock(elements=[MarkdownTextObject(text=brief)])] if brief else []
    blocks += scout_buttons(discovery)
    return {"text": text, "blocks": dicts(blocks), **NO_UNFURL}


def scout_buttons(discovery: DiscoveryView) -> list[ActionsBlock]:
    """Under the scout's receipt: Edit until someone picks it up, Withdraw until it is closed."""
    value, status = str(discovery.id), discovery.status
    buttons = [
        ButtonElement(text=say(f"receipt_{name}"), action_id=action.value, value=value)
        for name, action, open_in in SCOUT_BUTTONS
        if status in open_in
    ]
    return [ActionsBlock(elements=buttons)] if buttons else []
