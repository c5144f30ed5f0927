"""Who is in the workspace: conversations and the user objects Slack returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.emulator.seed import Seed


@dataclass
class Channel:
    """A conversation: public channel (C…), direct message (D…) or group DM (G…)."""

    id: str
    name: str
    kind: str  # "channel" | "im" | "mpim"
    members: set[str] = field(default_factory=set)
    user: str | None = None  # the other party of an IM
    created: int = 0
    archived: bool = False

    def info(self, bot_user_id: str) -> dict[str, Any]:
        """The `channel` object of conversations.info."""
        base = {"id": self.id, "created": self.created, "is_archived": self.archived}
        if self.kind == "im":
            return {**base, "is_im": True, "is_org_shared": False, "user": self.user}
        return {
            **base,
            "name": self.name,
            "is_channel": self.kind == "channel",
            "is_group": False,
            "is_im": False,
            "is_mpim": self.kind == "mpim",
            "is_private": self.kind == "mpim",
            "is_member": bot_user_id in self.members,
            "num_members": len(self.members),
        }


def user_object(team_id: str, user_id: str, name: str, real_name: str, **attrs: Any) -> dict:
    """A users.info `user`; `attrs` may set title, tz, email, is_admin, is_bot, bot_id."""
    tz = attrs.get("tz", "Europe/Berlin")
    profile = {
        "real_name": real_name,
        "display_name": name,
        "title": attrs.get("title", ""),
        "email": attrs.get("email", f"{name}@acme.example"),
        "team": team_id,
        "image_48": f"https://avatars.example/{user_id}.png",
    }
    if attrs.get("bot_id"):
        profile["bot_id"] = attrs["bot_id"]
    return {
        "id": user_id,
        "team_id": team_id,
        "name": name,
        "real_name": real_name,
        "deleted": False,
        "tz": tz,
        "tz_label": tz,
        # Berlin in winter; London is the other seeded zone. Close enough for rendering.
        "tz_offset": 3600 if tz == "Europe/Berlin" else 0,
        "is_admin": attrs.get("is_admin", False),
        "is_owner": False,
        "is_bot": attrs.get("is_bot", False),
        "is_app_user": False,
        "profile": profile,
    }


def bot_fields(seed: Seed) -> dict[str, Any]:
    """The fields Slack adds to a message the app posted."""
    profile = {
        "id": seed.bot_id,
        "app_id": seed.app_id,
        "name": seed.bot_name,
        "team_id": seed.team_id,
    }
    return {"bot_id": seed.bot_id, "app_id": seed.app_id, "bot_profile": profile}
