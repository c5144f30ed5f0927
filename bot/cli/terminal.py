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
    elements = _elements(block)
    labels = [_label(element) for element in elements if element.get("type") != "mrkdwn"]
    return ["  ".join(label for label in labels if label)] if labels else []


def _label(element: dict) -> str:
    if element.get("type") == "button":
        return f"[{element['text']['text']}]"
    if element.get("type") == "checkboxes":
        ticked = {o["value"] for o in element.get("initial_options") or []}
        return "  ".join(
            f"[{'x' if o['value'] in ticked else ' '}] {o['text']['text']}"
            for o in element["options"]
        )
    if element.get("options"):
        return "[" + " | ".join(o["text"]["text"] for o in element["options"]) + "]"
    return ""


def find_button(messages: list[dict], label: str, nth: int = 1) -> tuple[dict, dict, dict] | None:
    """(message, block, button) of the nth button labelled `label` on the latest message that has one."""
    wanted = label.strip().lower()
    for message in reversed(messages):
        matches = [
            (block, element)
            for block in message.get("blocks", [])
            for element in _elements(block)
            if element.get("type") == "button" and element["text"]["text"].lower() == wanted
        ]
        if len(matches) >= nth:
            block, element = matches[nth - 1]
            return message, block, element
    return None


def _elements(block: dict) -> list[dict]:
    if block.get("accessory"):
        return [block["accessory"]]
    return block.get("elements", []) if block.get("type") == "actions" else []
