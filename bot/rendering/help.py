"""The help message."""

from __future__ import annotations

from slack_sdk.models.blocks import Block, MarkdownTextObject, SectionBlock

from bot.rendering.ids import Command
from bot.rendering.text import render
from bot.routes import current_routes


def help_blocks() -> list[Block]:
    """What the bot is and how to use it."""
    routes = [route.label for route in current_routes()]
    text = render("help.md.j2", command=Command.SCOUT.value, routes=routes)
    return [SectionBlock(text=MarkdownTextObject(text=text))]


def unknown_command_text(word: str, suggestion: str | None) -> str:
    """A word after the command that is none of its subcommands: what exists, and a near miss."""
    return render(
        "unknown_command.md.j2", command=Command.SCOUT.value, word=word, suggestion=suggestion
    )
