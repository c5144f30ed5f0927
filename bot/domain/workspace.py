"""The workspace configuration an admin sees and changes, as a plain value (no storage)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.settings import DigestSchedule

MAX_NUDGE_DAYS = 30


@dataclass(frozen=True)
class WorkspaceConfig:
    """The settings an admin sees and changes: channels per role, digest time, nudge delay."""

    channels: dict[str, str]  # a route id or "coach" → channel id
    schedule: DigestSchedule
    nudge_days: int
    # User ids. None: left as they are (unchanged, they keep following the environment).
    admins: frozenset[str] | None = None
    coaches: frozenset[str] | None = None  # besides the coach channel's members


def may_change_settings(user_id: str, admins: frozenset[str]) -> bool:
    """Admins (the workspace's, VALUESCOUT_ADMINS by default) change the workspace's settings; nobody else, whatever
    surface the request came from (the Home button, `/scout config`, a forged submit)."""
    return user_id in admins
