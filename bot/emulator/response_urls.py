"""Response URLs: minted for commands and actions; posts to them are recorded and applied."""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from bot.emulator.blockkit import check_message
from bot.emulator.clone import clone
from bot.emulator.errors import ApiError
from bot.emulator.workspace import Workspace


@dataclass(frozen=True)
class ResponseUrlPost:
    """One payload an app posted to a response URL."""

    url_id: str
    channel_id: str | None
    user_id: str | None
    payload: dict[str, Any]
    at: float


@dataclass
class _Target:
    channel_id: str | None
    user_id: str | None
    message_ts: str | None


@dataclass
class ResponseUrls:
    """Where each response URL points, and every post made to one."""

    workspace: Workspace
    _targets: dict[str, _Target] = field(default_factory=dict)
    _posts: list[ResponseUrlPost] = field(default_factory=list)
    _cond: threading.Condition = field(default_factory=threading.Condition)

    def mint(self, channel_id: str | None, user_id: str | None, message_ts: str | None) -> str:
        """A new response URL id for an interaction in `channel_id` by `user_id`."""
        url_id = secrets.token_hex(8)
        with self._cond:
            self._targets[url_id] = _Target(channel_id, user_id, message_ts)
        return url_id

    def knows(self, url_id: str) -> bool:
        """Whether this workspace minted the response URL."""
        with self._cond:
            return url_id in self._targets

    def receive(self, url_id: str, payload: dict[str, Any]) -> None:
        """Record a post and apply it: ephemeral reply, in-channel message, replace or delete."""
        with self._cond:
            target = self._targets.get(url_id)
        if target is None:
            raise ApiError("invalid_url")
        self._apply(target, payload)
        with self._cond:
            post = ResponseUrlPost(
                url_id, target.channel_id, target.user_id, clone(payload), time.time()
            )
            self._posts.append(post)
            self._cond.notify_all()

    def posts(self) -> list[ResponseUrlPost]:
        """Every post so far, oldest first."""
        with self._cond:
            return list(self._posts)

    def wait(self, count: int = 1, timeout: float = 5.0) -> list[ResponseUrlPost]:
        """Wait until at least `count` posts arrived; AssertionError on timeout."""
        with self._cond:
            if not self._cond.wait_for(lambda: len(self._posts) >= count, timeout):
                raise AssertionError(f"expected {count} response_url posts, got {len(self._posts)}")
            return list(self._posts)

    def _apply(self, target: _Target, payload: dict[str, Any]) -> None:
        ws, channel = self.workspace, target.channel_id
        if channel is None:
            return
        if payload.get("delete_original") and target.message_ts:
            ws.delete_message(channel, target.message_ts)
            return
        fields = {k: payload[k] for k in ("text", "blocks", "attachments") if k in payload}
        check_message(fields)
        fields.setdefault("text", "")
        if payload.get("replace_original") and target.message_ts:
            ws.update_message(channel, target.message_ts, fields)
        elif payload.get("response_type") == "in_channel":
            ws.post(channel, fields, user=ws.seed.bot_user_id)
        elif target.user_id:
            # Slack shows response_url replies to the user wherever they acted.
            ws.post_ephemeral(channel, target.user_id, fields, require_member=False)
