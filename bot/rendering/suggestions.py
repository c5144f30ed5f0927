"""The product digest's suggested themes with their "Add theme" buttons, and what a click says."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from slack_sdk.models.blocks import ButtonElement, MarkdownTextObject, SectionBlock

from bot.domain.added_themes import AddedTheme
from bot.domain.theme_suggestions import Suggestion
from bot.rendering.fitting import SECTION_LIMIT, clip
from bot.rendering.ids import ActionId
from bot.rendering.text import Mrkdwn, escape, render, shorten
from bot.wording import say

KEY = re.compile(r"[a-z][a-z0-9_]{0,59}")  # as theme_key() makes them
MOST_WEEKS = 52
VALUE_LIMIT = 2000  # Slack's longest button value
PHRASE, LABEL, EXAMPLE = 60, 75, 140  # characters kept of each


def suggestions_blocks(suggestions: Sequence[Suggestion], *, weeks: int) -> list[dict[str, Any]]:
    """An intro, then each suggestion with its button (none: no blocks)."""
    if not suggestions:
        return []
    intro = render("theme_suggestions.md.j2", weeks=weeks, count=len(suggestions))
    blocks = [SectionBlock(text=MarkdownTextObject(text=intro))]
    for suggestion in suggestions:
        text = render(
            "theme_suggestion.md.j2", label=clip(suggestion.label, LABEL),
            discoveries=suggestion.discoveries, accounts=suggestion.accounts,
            phrases=[clip(p, PHRASE) for p in suggestion.phrases],
            example=shorten(" ".join(suggestion.example.split()), EXAMPLE),
        )  # fmt: skip
        button = ButtonElement(
            text=say("suggest_add"), action_id=ActionId.THEME_ADD.value,
            value=suggestion_value(suggestion, weeks=weeks),
        )  # fmt: skip
        blocks.append(SectionBlock(text=MarkdownTextObject(text=text[:SECTION_LIMIT]),
                                   accessory=button))  # fmt: skip
    return [block.to_dict() for block in blocks]


def suggestion_value(suggestion: Suggestion, *, weeks: int) -> str:
    """What the button carries: the theme to add and the weeks whose discoveries it tags."""
    phrases = [clip(p, PHRASE) for p in suggestion.phrases]
    value = {"key": suggestion.key, "label": clip(suggestion.label, LABEL),
             "language": suggestion.language, "phrases": phrases, "weeks": weeks}  # fmt: skip
    return json.dumps(value, ensure_ascii=False)[:VALUE_LIMIT]


def suggestion_of(raw: str) -> tuple[AddedTheme, int]:
    """The theme a button offers and its weeks; ValueError when it is not one."""
    data = json.loads(raw)
    if not isinstance(data, dict):
        raise ValueError("not a suggested theme")
    phrases, weeks = data.get("phrases"), data.get("weeks")
    texts = (data.get("key"), data.get("label"), data.get("language"))
    if not all(isinstance(t, str) and t for t in texts) or not KEY.fullmatch(texts[0]):
        raise ValueError("not a suggested theme")
    if not isinstance(weeks, int) or not 1 <= weeks <= MOST_WEEKS:
        raise ValueError("not a suggested theme's weeks")
    if not isinstance(phrases, list) or not all(isinstance(p, str) and p for p in phrases):
        raise ValueError("not a suggested theme's phrases")
    return AddedTheme(data["key"], data["label"], data["language"], tuple(phrases)), weeks


def added_text(
    theme: AddedTheme, *, tagged: int, weeks: int, by: str | None, at: datetime | None,
    file_name: str, already: bool,
) -> str:  # fmt: skip
    """The confirmation (or "there already"), with the YAML to copy into the value network."""
    return render(
        "theme_added.md.j2", label=theme.label, tagged=tagged, weeks=weeks, already=already,
        by=Mrkdwn(f"<@{escape(by)}>") if by else None, day=at.strftime("%-d %b %Y") if at else None,
        yaml=_code(yaml_entry(theme)) if theme.phrases else None, file=_code(file_name),
    )  # fmt: skip


def yaml_entry(theme: AddedTheme) -> str:
    """The theme as an entry of value_network.yaml's themes: list."""
    phrases = ", ".join(json.dumps(p, ensure_ascii=False) for p in theme.phrases)
    label = json.dumps(theme.label, ensure_ascii=False)
    return (f"  - key: {theme.key}\n    label: {label}\n    phrases:\n"
            f"      {theme.language}: [{phrases}]")  # fmt: skip


def _code(text: str) -> Mrkdwn:
    """Text for a code block, to copy as is: Slack formats nothing there, so only its
    entities are escaped (the phrases are letters, digits and spaces: words() made them)."""
    return Mrkdwn(text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))


def not_admin_text(admins: frozenset[str]) -> str:
    """Why someone else's click added nothing: who can add themes."""
    mentions = Mrkdwn(", ".join(f"<@{escape(a)}>" for a in sorted(admins))) if admins else None
    return render("theme_add_admins_only.md.j2", admins=mentions)
