"""The help message."""

from __future__ import annotations

from slack_sdk.models.blocks import Block, MarkdownTextObject, SectionBlock

from bot.rendering.ids import Command
from bot.rendering.text import render

ROUTES = ("sales", "marketing", "product")


def help_blocks() -> list[Block]:
    """What the bot is and how to use it."""
    text = render("help.md.j2", command=Command.SCOUT.value, routes=ROUTES)
    return [SectionBlock(text=MarkdownTextObject(text=text))]
