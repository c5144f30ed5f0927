"""What a person typed after a control, as the choice the Slack client would send for it."""

from __future__ import annotations

from datetime import date, time
from typing import TYPE_CHECKING, Any

from bot.emulator.controls import Control, element_options

if TYPE_CHECKING:
    from bot.cli.demo.screen import Surface
    from bot.cli.demo.session import Demo

MENUS = ("static_select", "external_select", "overflow", "radio_buttons")


class Refused(str):
    """Why a typed choice does not fit the control (said to the person; nothing is sent)."""


def choice_for(demo: Demo, surface: Surface, control: Control, typed: str) -> Any:
    """The choice for `control` from `typed`, or Refused saying what it takes."""
    kind = control.kind
    if kind == "button":
        return Refused("no choice: /use it without one") if typed else None
    if kind == "checkboxes":
        return _toggle(demo, surface, control, typed)
    if kind in MENUS:
        return _option(control, typed)
    if kind == "datepicker":
        return _parsed(date.fromisoformat, typed, "a date, e.g. 2026-12-31")
    if kind == "timepicker":
        return _parsed(lambda text: time.fromisoformat(text).strftime("%H:%M"), typed, "a time")
    if kind == "users_select":
        person = demo.person(typed)
        return person or Refused("a person: sam, alex, dana, sally or casey")
    if kind in ("conversations_select", "channels_select"):
        return demo.channel_named(typed) or Refused("a channel, e.g. #product")
    return Refused(f"nothing the demo can send (a {kind})")


def _option(control: Control, typed: str) -> Any:
    """The option named (label or value, or the start of one) or numbered from 1."""
    options = element_options(control.element)
    found = find_option(options, typed)
    if found is None:
        labels = " | ".join(option["text"]["text"] for option in options)
        return Refused(f"one of {labels}" if options else "options the demo cannot list")
    return found


def _toggle(demo: Demo, surface: Surface, control: Control, typed: str) -> Any:
    """Tick or untick one box; the choice is every box ticked afterwards, as Slack sends."""
    options = element_options(control.element)
    option = find_option(options, typed)
    if option is None:
        labels = " | ".join(option["text"]["text"] for option in options)
        return Refused(f"the box to tick or untick: {labels}")
    ticked = {o["value"] for o in demo.screen.ticked(surface, control)} ^ {option["value"]}
    now = [o for o in options if o["value"] in ticked]
    demo.screen.tick(surface, control, now)
    marks = "  ".join(f"{'☑' if o in now else '☐'} {o['text']['text']}" for o in options)
    demo.screen.say(marks)
    return now


def find_option(options: list[dict], typed: str) -> dict | None:
    """The option whose label or value is `typed`, else the only one starting so, or number N."""
    wanted = typed.strip().lower()
    if not wanted:
        return None
    exact = [o for o in options if wanted in (o["text"]["text"].lower(), str(o.get("value")))]
    starts = [o for o in options if o["text"]["text"].lower().startswith(wanted)]
    if exact or len(starts) == 1:
        return (exact or starts)[0]
    if wanted.isdecimal() and 1 <= int(wanted) <= len(options):
        return options[int(wanted) - 1]
    return None


def _parsed(parse, typed: str, what: str) -> Any:
    try:
        return str(parse(typed.strip()))
    except ValueError:
        return Refused(what)
