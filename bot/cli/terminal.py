"""Block Kit shown as terminal text, for the demo chat."""

from __future__ import annotations

import html
import itertools
import re
import textwrap
from collections.abc import Iterator

from bot.emulator.controls import element_options, interactive_elements

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


def blocks_as_lines(
    message: dict, names: dict[str, str], width: int = 88, *, numbered: bool = False
) -> list[str]:
    """The lines a person would read in a message: texts, fields, buttons, menus.

    numbered: each control a person can use gets its number, in the order of
    `bot.emulator.controls.message_controls`, e.g. `2[Partly]`.
    """
    blocks = message.get("blocks") or [
        {"type": "section", "text": {"text": message.get("text", "")}}
    ]
    lines: list[str] = []
    counter = itertools.count(1)
    for block in blocks:
        for text in _texts(block):
            for paragraph in mrkdwn_as_text(text, names).splitlines() or [""]:
                lines.extend(textwrap.wrap(paragraph, width) or [""])
        lines.extend(_numbered(block, counter, width) if numbered else _controls(block))
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


def _numbered(block: dict, counter: Iterator[int], width: int) -> list[str]:
    """A block's controls, each as its number and what it shows: 1[Yes]  5[⋯ Edit | Withdraw]."""
    shown = [f"{next(counter)}{control_text(e)}" for _id, e in interactive_elements([block])]
    lines: list[str] = []
    for control in shown:  # a line breaks between controls; only a long one is broken inside
        if lines and len(lines[-1]) + 2 + len(control) <= width:
            lines[-1] += "  " + control
        else:
            lines.extend(textwrap.wrap(control, width, break_on_hyphens=False))
    return lines


def control_text(element: dict) -> str:
    """One control as the Slack client shows it, in brackets; a menu lists its options."""
    kind = element["type"]
    labels = [option["text"]["text"] for option in element_options(element)]
    if kind == "button":
        return f"[{element['text']['text']}]"
    if kind in ("checkboxes", "radio_buttons"):
        return f"[{_boxes(element)}]"
    if kind == "overflow":
        return "[⋯ " + " | ".join(labels) + "]"
    if kind in ("datepicker", "timepicker"):
        current = element.get("initial_date") or element.get("initial_time") or "pick one"
        return f"[{kind.removesuffix('picker')} ▾ {current}]"
    placeholder = (element.get("placeholder") or {}).get("text", "Choose…")
    current = ((element.get("initial_option") or {}).get("text") or {}).get("text", placeholder)
    return f"[▾ {current}: " + " | ".join(labels) + "]" if labels else f"[▾ {current}]"


def _boxes(element: dict) -> str:
    """Checkboxes as ☑/☐ and radio buttons as ◉/○, each with its label."""
    initial = element.get("initial_options") or [element.get("initial_option") or {}]
    chosen = {option.get("value") for option in initial}
    on, off = ("☑", "☐") if element["type"] == "checkboxes" else ("◉", "○")
    return "  ".join(
        f"{on if o['value'] in chosen else off} {o['text']['text']}"
        for o in element_options(element)
    )


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
