"""The App Home tab."""

from __future__ import annotations

from slack_sdk.models.blocks import HeaderBlock, MarkdownTextObject, SectionBlock
from slack_sdk.models.views import View

from bot.rendering.help import help_blocks
from bot.rendering.text import render


def home_view() -> View:
    """The App Home a scout sees."""
    blocks = [
        HeaderBlock(text="Value Scout"),
        SectionBlock(text=MarkdownTextObject(text=render("home.md.j2"))),
        *help_blocks(),
    ]
    return View(type="home", blocks=blocks)
