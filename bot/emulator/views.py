"""Modal stacks (at most three views per user) and App Home views, as Slack keeps them."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, Any

from bot.emulator.clone import clone
from bot.emulator.errors import ApiError

if TYPE_CHECKING:
    from bot.emulator.workspace import Workspace

# Slack allows a modal stack of at most three views.
MAX_STACK = 3


class ViewStore:
    """Views by id, a modal stack per user and a home view per user; callers hold the lock."""

    def __init__(self, workspace: Workspace) -> None:
        self.ws = workspace
        self._views: dict[str, dict] = {}
        self._stacks: dict[str, list[str]] = {}
        self._homes: dict[str, str] = {}

    def open(self, view: dict, *, user: str) -> dict:
        """Open `view` as the root of a new modal stack for `user`."""
        created = self._create(view, user=user, previous=None)
        self._stacks[user] = [created["id"]]
        return clone(created)

    def push(self, view: dict, *, user: str) -> dict:
        """Push `view` on top of the user's modal stack (`push_limit_reached` past three)."""
        stack = self._stacks.get(user) or []
        if not stack:
            return self.open(view, user=user)
        if len(stack) >= MAX_STACK:
            raise ApiError("push_limit_reached")
        created = self._create(view, user=user, previous=stack[-1])
        created["root_view_id"] = stack[0]
        stack.append(created["id"])
        return clone(created)

    def update(
        self, view: dict, *, view_id: str | None, external_id: str | None, hash: str | None
    ) -> dict:
        """Replace a view's content in place; a stale `hash` is a `hash_conflict`."""
        current = self._lookup(view_id, external_id)
        if hash and hash != current["hash"]:
            raise ApiError("hash_conflict")
        self._fill(current, view)
        return clone(current)

    def publish(self, view: dict, *, user: str, hash: str | None) -> dict:
        """Set the App Home view of `user`, creating it the first time."""
        view_id = self._homes.get(user)
        if view_id is None:
            created = self._create(view, user=user, previous=None)
            self._homes[user] = created["id"]
            return clone(created)
        return self.update(view, view_id=view_id, external_id=None, hash=hash)

    def get(self, view_id: str) -> dict:
        """A copy of the view, or `not_found`."""
        return clone(self._lookup(view_id, None))

    def home(self, user: str) -> dict | None:
        """A copy of the user's App Home view, if one was published."""
        view_id = self._homes.get(user)
        return clone(self._views[view_id]) if view_id else None

    def stack(self, user: str) -> list[dict]:
        """Copies of the user's open modals, root first."""
        return [clone(self._views[v]) for v in self._stacks.get(user, [])]

    def close(self, view_id: str, *, clear: bool = False) -> None:
        """Close the view (and those above it), or the whole stack when `clear`."""
        for stack in self._stacks.values():
            if view_id in stack:
                del stack[0 if clear else stack.index(view_id) :]

    def set_state(self, view_id: str, values: dict) -> None:
        """Remember what a user typed into the inputs, as Slack does between interactions."""
        self._lookup(view_id, None)["state"] = {"values": clone(values)}

    def apply_response_action(self, view_id: str, user: str, body: dict | None) -> None:
        """Do what an app's ack to view_submission asks: close, clear, update, push or errors."""
        action = (body or {}).get("response_action")
        if action == "errors":
            return
        if action == "update":
            self.update(body["view"], view_id=view_id, external_id=None, hash=None)
        elif action == "push":
            self.push(body["view"], user=user)
        else:
            self.close(view_id, clear=action == "clear")

    def _lookup(self, view_id: str | None, external_id: str | None) -> dict:
        if view_id in self._views:
            return self._views[view_id]
        for view in self._views.values():
            if external_id and view.get("external_id") == external_id:
                return view
        raise ApiError("not_found")

    def _create(self, view: dict, *, user: str, previous: str | None) -> dict:
        external_id = view.get("external_id")
        if external_id and any(v.get("external_id") == external_id for v in self._views.values()):
            raise ApiError("duplicate_external_id")
        view_id = "V" + secrets.token_hex(5).upper()
        s = self.ws.seed
        created: dict[str, Any] = {
            "id": view_id,
            "team_id": s.team_id,
            "app_id": s.app_id,
            "app_installed_team_id": s.team_id,
            "bot_id": s.bot_id,
            "user_id": user,
            "previous_view_id": previous,
            "root_view_id": view_id,
            "state": {"values": {}},
        }
        self._fill(created, view)
        self._views[view_id] = created
        return created

    def _fill(self, target: dict, view: dict) -> None:
        defaults = {
            "private_metadata": "",
            "callback_id": "",
            "external_id": "",
            "clear_on_close": False,
            "notify_on_close": False,
            "submit": None,
            "close": None,
        }
        keep = {k: target[k] for k in ("external_id",) if target.get(k) and not view.get(k)}
        target.update({**defaults, **clone(view), **keep})
        target["hash"] = f"{int(self.ws.clock())}.{secrets.token_hex(4)}"
