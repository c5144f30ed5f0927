"""Block Kit shown as terminal text, for the demo chat."""

from __future__ import annotations

import html
import re
import textwrap

MENTION = re.compile(r"<([@#!])([^|>]+)(?:\|([^>]+))?>")
LINK = re.compile(r"<(https?://[^|>]+)(?:\|([^>]+))?>")


def mrkdwn_as_text(text: str, names: dict[str, str]) -> str:
    """Resolve <@U…>, <#C…> and <url|label> the way the Slack client shows them."""

    def mention(match: re.Match) -> str:
        sigil, target, label = match.groups()
        if sigil == "!":
            return f"@{label or target}"
        return f"{sigil if sigil == '#' else '@'}{label or names.get(target, target)}"

    text = LINK.sub(lambda m: f"{m[2]} ({m[1]})" if m[2] else m[1], text)
    return html.unescape(MENTION.sub(mention, text))


def blocks_as_lines(message: dict, names: dict[str, str], width: int = 88) -> list[str]:
    """The lines a person would read in a message: texts, fields, buttons, menus."""
    blocks = message.get("blocks") or [
        {"type": "section", "text": {"text": message.get("text", "")}}
    ]
    lines: list[str] = []
    for block in blocks:
        for text in _texts(block):
            for paragraph in mrkdwn_as_text(text, names).splitlines() or [""]:
                lines.extend(textwrap.wrap(paragraph, width) or [""])
        lines.extend(_controls(block))
    return lines


def _texts(block: dict) -> list[str]:
    """The readable texts of one block."""
    kind = block.get("type")
    if kind in ("section", "header"):
        texts = [block["text"]["text"]] if block.get("text") else []
        return texts + [field["text"] for field in block.get("fields", [])]
    if kind == "context":
        return [" · ".join(e.get("text", "[image]") for e in block.get("elements", []))]
    if kind == "divider":
        return ["─" * 20]
    if kind == "image":
        return [f"[image: {block.get('alt_text', '')}]"]
    if kind == "input":
        return [f"{block['label']['text']}:"]
    return []


def _controls(block: dict) -> list[str]:
    """Buttons and menus as [labels]."""
    elements = block.get("elements", []) if block.get("type") == "actions" else []
    if block.get("accessory"):
        elements = [block["accessory"]]
    labels = [_label(element) for element in elements if element.get("type") != "mrkdwn"]
    return ["  ".join(label for label in labels if label)] if labels else []


def _label(element: dict) -> str:
    if element.get("type") == "button":
        return f"[{element['text']['text']}]"
    if element.get("options"):
        return "[" + " | ".join(o["text"]["text"] for o in element["options"]) + "]"
    return ""
