"""Who is acting on a request: the person, their workspace and whether they administer it."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.workspace import may_change_settings


@dataclass(frozen=True)
class Actor:
    """The person behind a request, as middleware read it from Slack's payload (the clicker,
    never a value inside a button or a modal's metadata, which a forged request can set)."""

    user_id: str
    team_id: str
    is_admin: bool = False

    @classmethod
    def of(cls, user_id: str | None, team_id: str | None, *, admins: frozenset[str]) -> Actor:
        """The actor of a request; admins are VALUESCOUT_ADMINS."""
        user = user_id or ""
        return cls(
            user_id=user,
            team_id=team_id or "",
            is_admin=bool(user) and may_change_settings(user, admins),
        )


class AdminsOnly(Exception):
    """Only admins may do this (see the settings, merge accounts), whatever surface asked."""
