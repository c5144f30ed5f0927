"""The help message and the greeting."""

from __future__ import annotations

from slack_sdk.models.blocks import Block, ContextBlock, MarkdownTextObject, SectionBlock

from bot.rendering.ids import Command
from bot.rendering.text import render

ROUTES = ("sales", "marketing", "product")


def help_blocks() -> list[Block]:
    """What the bot is and how to use it."""
    text = render("help.md.j2", command=Command.SCOUT.value, routes=ROUTES)
    return [SectionBlock(text=MarkdownTextObject(text=text))]


def greeting_blocks(*, user_id: str) -> list[Block]:
    """The reply to a direct message."""
    text = render("greeting.md.j2", user_id=user_id, command=Command.SCOUT.value)
    return [
        SectionBlock(text=MarkdownTextObject(text=text)),
        ContextBlock(elements=[MarkdownTextObject(text="Value Scout")]),
    ]
