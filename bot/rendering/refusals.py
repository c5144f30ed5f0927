"""What a person sees when their Slack client sent something the app cannot read."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import MarkdownTextObject, SectionBlock
from slack_sdk.models.views import View

from bot.rendering.text import render
from bot.wording import say


def unreadable_form_modal(reference: str) -> dict[str, Any]:
    """Replaces a form whose hidden data is damaged: nothing was saved, start again."""
    text = render("form_unreadable.md.j2", reference=reference)
    view = View(
        type="modal", title=say("refusal_title"), close=say("refusal_close"),
        blocks=[SectionBlock(text=MarkdownTextObject(text=text))],
    )  # fmt: skip
    return view.to_dict()


def unreadable_field_text() -> str:
    """The error shown on a field whose value no database can store (half a UTF-16 pair)."""
    return render("field_unreadable.txt.j2")
