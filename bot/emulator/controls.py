"""What a person can click on a message or view, read from its blocks as the Slack client does.

Tests and the demo find controls here instead of from a list of ids, so a control the app
renders is a control they use, whatever its type.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from bot.emulator.clone import clone
from bot.emulator.payloads import now_ts

# Element types the client lets a person use outside an input block, and the key Slack
# puts the person's choice under in the `actions` entry.
SELECTED_KEY = {
    "static_select": "selected_option",
    "external_select": "selected_option",
    "overflow": "selected_option",
    "radio_buttons": "selected_option",
    "checkboxes": "selected_options",
    "datepicker": "selected_date",
    "timepicker": "selected_time",
    "users_select": "selected_user",
    "conversations_select": "selected_conversation",
    "channels_select": "selected_channel",
}
INTERACTIVE = {"button", *SELECTED_KEY}


@dataclass(frozen=True)
class Control:
    """One interactive element where a person sees it: on a message (channel + ts) or a view."""

    element: dict = field(repr=False)
    block_id: str
    seen: dict = field(repr=False)  # the message or view as the person saw it
    channel: str | None = None  # a message's channel; None for a view
    ephemeral: bool = False

    @property
    def message_ts(self) -> str | None:
        """The ts of the message it is on (None on a view)."""
        return None if self.channel is None else self.seen.get("ts")

    @property
    def view_id(self) -> str | None:
        """The id of the view it is on (None on a message)."""
        return self.seen.get("id") if self.channel is None else None

    @property
    def kind(self) -> str:
        """The element's type: button, static_select, overflow, checkboxes, …"""
        return self.element["type"]

    @property
    def action_id(self) -> str:
        """The element's action_id."""
        return self.element.get("action_id", "")

    @property
    def label(self) -> str:
        """What the person reads on it: a button's text, or a menu's placeholder or type."""
        text = self.element.get("text") or self.element.get("placeholder") or {}
        return text.get("text", self.kind) if isinstance(text, dict) else self.kind

    def choices(self) -> list[Any]:
        """Every way to use it: None for a button, each option, some sets of boxes, some dates."""
        options = element_options(self.element)
        if self.kind == "button":
            return [None]
        if self.kind == "checkboxes":
            return [[], options, *([o] for o in options)]
        if self.kind in ("datepicker",):
            today = date.today()
            return [(today + timedelta(days=d)).isoformat() for d in (-30, 0, 45, 400)]
        return list(options)

    def action(self, choice: Any = None) -> dict[str, Any]:
        """The `actions` entry Slack sends when the person uses it with `choice`."""
        entry: dict[str, Any] = {
            "type": self.kind,
            "action_id": self.action_id,
            "block_id": self.block_id,
            "action_ts": now_ts(),
        }
        if self.kind == "button":
            entry["text"] = clone(self.element["text"])
            if "value" in self.element:
                entry["value"] = self.element["value"]
            return entry
        key = SELECTED_KEY.get(self.kind)
        if key is not None:
            entry[key] = clone(choice)
        if self.kind == "checkboxes":
            entry[key] = [clone(o) for o in choice or []]
        return entry


def message_controls(message: dict, channel: str, *, ephemeral: bool = False) -> list[Control]:
    """The controls of a posted (or ephemeral) message in a channel (keep `message` unchanged)."""
    seen = message
    return [
        Control(element, block_id, seen, channel=channel, ephemeral=ephemeral)
        for block_id, element in interactive_elements(seen.get("blocks") or [])
    ]


def view_controls(view: dict) -> list[Control]:
    """The controls of a modal or the Home tab that act at once (not its input blocks)."""
    seen = view
    return [
        Control(element, block_id, seen)
        for block_id, element in interactive_elements(seen["blocks"] or [])
    ]


def element_options(element: dict) -> list[dict]:
    """A menu's or checkbox group's options, those in option groups included, in order."""
    return element.get("options") or [
        o for group in element.get("option_groups", []) for o in group["options"]
    ]


def interactive_elements(blocks: list[dict]) -> list[tuple[str, dict]]:
    """(block_id, element) of each element a click acts on, in order; inputs wait for Submit."""
    found = []
    for block in blocks:
        if block.get("type") == "input" and not block.get("dispatch_action"):
            continue
        candidates = [*block.get("elements", []), block.get("accessory"), block.get("element")]
        for element in candidates:
            if isinstance(element, dict) and element.get("type") in INTERACTIVE:
                found.append((block.get("block_id", ""), element))
    return found
