"""The messages and views the person playing can reach, as they are now, and their controls."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.cli.demo.screen import Kind, Surface
from bot.emulator.controls import Control, message_controls, view_controls
from bot.emulator.errors import ApiError

if TYPE_CHECKING:
    from bot.cli.demo.session import Demo


def reach(demo: Demo, surface: Surface, handle: str) -> tuple[dict | None, str]:
    """The surface as it is now, if the person playing can use it; else (None, why not)."""
    owner = surface.owner or demo.dm_owner(surface.channel)
    if owner is not None and owner != demo.user:
        name = demo.names[owner]
        return None, f"{handle} is for {name} only: /as {name.split()[0].lower()} to be them"
    content = _current(demo, surface)
    if content is None:
        gone = "closed" if surface.kind is Kind.MODAL else "deleted"
        return None, f"{handle} is {gone}"
    return content, ""


def _current(demo: Demo, surface: Surface) -> dict | None:
    emulator = demo.emulator
    if surface.kind is Kind.MESSAGE:
        try:
            return emulator.message(surface.channel, surface.ts)  # type: ignore[arg-type]
        except ApiError:
            return None
    if surface.kind is Kind.EPHEMERAL:
        shown = emulator.ephemerals(surface.channel)  # type: ignore[arg-type]
        return next((m for m in shown if m["ts"] == surface.ts), None)
    if surface.kind is Kind.HOME:
        return emulator.home_view(demo.user)
    return next((v for v in emulator.modal_stack(demo.user) if v["id"] == surface.view_id), None)


def controls_of(surface: Surface, content: dict) -> list[Control]:
    """What can be clicked on it, in the order the screen numbers them."""
    if surface.channel is None:
        return view_controls(content)
    ephemeral = surface.kind is Kind.EPHEMERAL
    return message_controls(content, surface.channel, ephemeral=ephemeral)


def newest_first(demo: Demo) -> list[tuple[Surface, dict]]:
    """Messages the person sees, newest first: their DM, then channels, latest post first."""
    emulator, user = demo.emulator, demo.user
    channels = [c for c in demo.room_ids() if emulator.messages(c)]
    channels.sort(key=lambda c: _ts(emulator.messages(c)[-1]["ts"]), reverse=True)
    found = []
    for channel in [emulator.dm_channel_for(user), *channels]:
        shown = [(Surface(Kind.MESSAGE, channel, m["ts"]), m) for m in emulator.messages(channel)]
        for message in emulator.ephemerals(channel):
            if message.get("to_user") == user:
                surface = Surface(Kind.EPHEMERAL, channel, message["ts"], owner=user)
                shown.append((surface, message))
        found += sorted(shown, key=lambda pair: _ts(pair[1]["ts"]), reverse=True)
    return found


def _ts(ts: str) -> tuple[int, int]:
    seconds, _, micros = ts.partition(".")
    return int(seconds), int(micros or 0)
