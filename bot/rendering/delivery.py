"""What delivery says when a route channel refuses the bot: to the scout, and to the admins."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import MarkdownTextObject, SectionBlock

from bot.rendering.text import NO_UNFURL, render
from bot.routes import current_routes


def waiting_message(*, route: str, channel_id: str, error: str) -> dict[str, Any]:
    """To the scout, in the receipt's thread: the card for this team waits, and why."""
    return _message(render("delivery_waiting.md.j2", **_about(route, channel_id), error=error))


def resumed_message(*, route: str, channel_id: str) -> dict[str, Any]:
    """To the scout, in the receipt's thread: the card that waited has been posted."""
    return _message(render("delivery_resumed.md.j2", **_about(route, channel_id)))


def channel_blocked_message(*, route: str, channel_id: str, error: str) -> dict[str, Any]:
    """To an admin, once per channel and error: what is wrong and the two ways to fix it."""
    return _message(render("channel_blocked.md.j2", **_about(route, channel_id), error=error))


def _about(route: str, channel_id: str) -> dict[str, str]:
    team = current_routes().label(route)
    return {"team": team.lower(), "channel_id": channel_id}


def _message(text: str) -> dict[str, Any]:
    blocks = [SectionBlock(text=MarkdownTextObject(text=text)).to_dict()]
    return {"text": text, "blocks": blocks, **NO_UNFURL}
