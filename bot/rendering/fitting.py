"""Text and blocks within Slack's limits: cut by the escaped length Slack counts, a template
filled with as much of its body as fits, blocks serialised (slack_sdk checks each)."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import Block

from bot.rendering.text import Mrkdwn, escape, render

# Slack's limits, in characters of the text as sent (so escaped entities count in full).
SECTION_LIMIT = 3000
FIELD_LIMIT = 2000
HEADER_LIMIT = 150
FALLBACK_LIMIT = 300  # notification text: a glance, not the card
LABEL_LIMIT = 100


def clip(text: str, budget: int) -> str:
    """The longest prefix of text whose escaped form fits in budget characters."""
    used = 0
    for index, char in enumerate(text):
        used += len(escape(char))  # & costs 5, < and > 4: the limit counts what Slack gets
        if used > budget:
            return text[:index]
    return text


def fitted(template: str, limit: int, body: str, **values: object) -> str:
    """Render template with as much of body as fits in limit; the cut is counted as `more`."""
    whole = render(template, body=body, more=0, **values)
    if len(whole) <= limit or isinstance(body, Mrkdwn):
        return whole
    # The overhead is measured with the largest `more` the text could ever need.
    room = limit - len(render(template, body="", more=len(body), **values))
    while True:
        shown = clip(body, max(room, 0))
        text = render(template, body=shown, more=len(body) - len(shown), **values)
        if len(text) <= limit or room <= 0:
            return text
        room -= len(text) - limit


def dicts(blocks: list[Block]) -> list[dict[str, Any]]:
    """Serialise blocks; slack_sdk validates each one's limits on the way."""
    return [block.to_dict() for block in blocks]
