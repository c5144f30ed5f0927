"""The card's Themes… form, what it read back, and why a change of themes was refused."""

from __future__ import annotations

import json
from collections.abc import Sequence

from slack_sdk.models.blocks import (
    InputBlock,
    MarkdownTextObject,
    Option,
    SectionBlock,
    StaticMultiSelectElement,
)
from slack_sdk.models.views import View

from bot.rendering.fitting import SECTION_LIMIT, clip, fitted
from bot.rendering.ids import ActionId, BlockId, CallbackId
from bot.rendering.modal import submitted_fields
from bot.rendering.text import Mrkdwn, escape, render
from bot.wording import say

OPTIONS = 100  # Slack's most options in one select
OPTION_TEXT = 75  # Slack's longest option text


def themes_modal(
    *, discovery_id: int, account: str, options: Sequence[tuple[str, str]],
    current: Sequence[str], origin: str | None,
) -> View:  # fmt: skip
    """Every theme of the value network to pick from, the discovery's own ticked."""
    choices = [Option(value=key, label=clip(label, OPTION_TEXT)) for key, label in options]
    choices = choices[:OPTIONS]
    ticked = [option for option in choices if option.value in set(current)]
    element = StaticMultiSelectElement(
        action_id=ActionId.MODAL_INPUT.value, placeholder=say("retheme_placeholder"),
        options=choices, initial_options=ticked or None,
    )  # fmt: skip
    intro = fitted("retheme_intro.md.j2", SECTION_LIMIT, account)
    metadata = {"discovery_id": discovery_id, "origin": origin, "shown": list(current)}
    return View(
        type="modal", callback_id=CallbackId.DISCOVERY_THEMES.value, title=say("retheme_title"),
        submit=say("retheme_save"), close=say("button_cancel"),
        private_metadata=json.dumps(metadata),
        blocks=[
            SectionBlock(text=MarkdownTextObject(text=intro)),
            InputBlock(block_id=BlockId.THEMES.value, label=say("retheme_label"),
                       element=element, hint=say("retheme_hint")),
        ],
    )  # fmt: skip


def retheme_form(view: dict) -> tuple[int, str | None, list[str]]:
    """The form's discovery, the channel it was opened from and the themes it showed."""
    data = json.loads(view["private_metadata"])
    origin, shown = data.get("origin"), data.get("shown")
    if origin is not None and not isinstance(origin, str):
        raise ValueError("origin is not a channel id")
    if not isinstance(shown, list) or not all(isinstance(key, str) for key in shown):
        raise ValueError("shown is not a list of theme keys")
    return int(data["discovery_id"]), origin, shown


def themes_from_modal(view: dict) -> tuple[list[str] | None, dict[str, str]]:
    """The themes picked, or the error to show on the field: none picked, or the very themes
    the form showed (Save then changes nothing: the form stays open and says so)."""
    picked = submitted_fields(view).get(BlockId.THEMES.value)
    if not isinstance(picked, list) or not picked:
        return None, {BlockId.THEMES.value: say("retheme_pick_one")}
    if set(picked) == _shown_themes(view):
        return None, {BlockId.THEMES.value: say("retheme_unchanged")}
    return list(dict.fromkeys(picked)), {}


def _shown_themes(view: dict) -> set[str] | None:
    """The themes the form showed ticked; None for a form that cannot be read (refused later)."""
    try:
        return set(retheme_form(view)[2])
    except (ValueError, KeyError, TypeError):
        return None


def retheme_refusal(
    why: str | None, *, channels: Sequence[str] = (), labels: Sequence[str] = (),
    by: str | None = None, plain: bool = False,
) -> str:  # fmt: skip
    """Why the themes did not change: not theirs to change, gone, withdrawn, changed meanwhile."""
    mention = Mrkdwn(f"<@{escape(by)}>") if by and not plain else None
    rooms = Mrkdwn(", ".join(f"<#{escape(c)}>" for c in channels)) if channels else None
    return render(
        "retheme_refusal.md.j2", why=why or "not_permitted", channels=rooms, by=mention,
        themes=", ".join(labels), plain=plain,
    )  # fmt: skip
