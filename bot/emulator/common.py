"""What every emulated Web API method shares: the caller, and param decoding."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.emulator.errors import ApiError
from bot.emulator.workspace import Channel, Workspace


@dataclass(frozen=True)
class Caller:
    """Who is calling (the token's user) and where the emulator is reachable."""

    user: str
    base_url: str


Handler = Callable[[Workspace, dict[str, Any], Caller], dict[str, Any]]


def json_param(params: dict[str, Any], key: str, error: str) -> Any:
    """A param that form-encoded clients send as a JSON string and JSON clients inline."""
    value = params.get(key)
    if isinstance(value, str) and value.strip():
        try:
            return json.loads(value)
        except json.JSONDecodeError as exc:
            raise ApiError(error) from exc
    return value if value != "" else None


def member_channel(ws: Workspace, channel_id: str | None, caller: Caller) -> Channel:
    """The channel, refusing with `not_in_channel` when the caller is not a member."""
    channel = ws.channel(channel_id)
    if caller.user not in channel.members:
        raise ApiError("not_in_channel")
    return channel


def writable_channel(ws: Workspace, channel_id: str | None, caller: Caller) -> Channel:
    """A channel the caller may post in: `is_archived` first, then `not_in_channel`."""
    channel = ws.channel(channel_id)
    if channel.archived:
        raise ApiError("is_archived")
    return member_channel(ws, channel.id, caller)


def flag(value: Any) -> bool:
    """A boolean param as clients send it: true/false in JSON, "1"/"0" in forms."""
    return str(value).lower() in ("1", "true")
