"""The emulated workspace: users, channels, messages, threads, reactions, trigger ids."""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from bot.emulator.clone import clone
from bot.emulator.errors import ApiError
from bot.emulator.files import FileStore
from bot.emulator.members import Channel, bot_fields, user_object
from bot.emulator.seed import SEED, Seed
from bot.emulator.views import ViewStore

# Slack rejects a trigger id older than this many seconds.
TRIGGER_TTL = 3.0

MessageListener = Callable[[str, dict, str], None]


class Workspace:
    """All emulated state behind one re-entrant lock; listeners are called outside it."""

    def __init__(self, seed: Seed = SEED, *, clock: Callable[[], float] = time.time) -> None:
        self.seed = seed
        self.clock = clock
        self._lock = threading.RLock()
        self._depth = 0
        self._pending: list[tuple[str, dict, str]] = []
        self._listeners: list[MessageListener] = []
        self._last_us = 0
        self.users: dict[str, dict] = {}
        self.channels: dict[str, Channel] = {}
        self._messages: dict[str, list[dict]] = {}
        self._ephemerals: dict[str, list[dict]] = {}
        self._triggers: dict[str, tuple[str, float, bool]] = {}
        self.tokens = {seed.bot_token: seed.bot_user_id}
        self.views = ViewStore(self)
        self.files = FileStore(self)
        self._seed()

    # -- locking and notification -------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[Workspace]:
        """Hold the lock; message listeners run after the outermost transaction ends."""
        with self._lock:
            self._depth += 1
            try:
                yield self
            finally:
                self._depth -= 1
                events: list[tuple[str, dict, str]] = []
                if self._depth == 0:
                    events, self._pending = self._pending, []
        for event in events:
            for listener in list(self._listeners):
                listener(*event)

    def subscribe(self, listener: MessageListener) -> None:
        """Call `listener(channel_id, message, kind)` for each posted/updated/ephemeral message."""
        with self._lock:
            self._listeners.append(listener)

    def _emit(self, channel_id: str, message: dict, kind: str) -> None:
        self._pending.append((channel_id, clone(message), kind))

    # -- seeding ------------------------------------------------------------------

    def _seed(self) -> None:
        s = self.seed
        self.add_user(s.bot_user_id, s.bot_name, s.bot_name, is_bot=True, bot_id=s.bot_id)
        for p in s.people:
            self.add_user(p.id, p.name, p.real_name, title=p.title, tz=p.tz, is_admin=p.is_admin)
        for room in s.rooms:
            self.add_channel(room.id, room.name, bot_is_member=room.bot_is_member, people=room.people)

    def add_channel(
        self, channel_id: str, name: str, *, bot_is_member: bool = True,
        people: tuple[str, ...] | None = None,
    ) -> Channel:  # fmt: skip
        """A public channel these people are in (every seeded one by default), and the bot
        unless told otherwise."""
        members = {self.seed.bot_user_id, *(self.seed.people_ids if people is None else people)}
        if not bot_is_member:
            members.discard(self.seed.bot_user_id)
        with self._lock:
            channel = self.channels.setdefault(channel_id, Channel(channel_id, name, "channel"))
            channel.members |= members
            return channel

    def add_user(self, user_id: str, name: str, real_name: str, **attrs: Any) -> dict:
        """Add a member; `attrs` may set title, tz, is_admin, is_bot, bot_id."""
        user = user_object(self.seed.team_id, user_id, name, real_name, **attrs)
        with self.transaction():
            self.users[user_id] = user
        return user

    # -- lookups ------------------------------------------------------------------

    def user(self, user_id: str | None) -> dict:
        """The user object, or `user_not_found`."""
        if not user_id or user_id not in self.users:
            raise ApiError("user_not_found")
        return self.users[user_id]

    def channel(self, channel_id: str | None) -> Channel:
        """A conversation by id (a user id means its DM with the bot), or `channel_not_found`."""
        if channel_id and channel_id in self.users:
            return self.channels[self.dm_channel_for(channel_id)]
        if channel_id and channel_id.startswith("#"):
            named = [c for c in self.channels.values() if c.name == channel_id[1:]]
            channel_id = named[0].id if named else None
        if not channel_id or channel_id not in self.channels:
            raise ApiError("channel_not_found")
        return self.channels[channel_id]

    def dm_channel_for(self, user_id: str) -> str:
        """The stable DM channel id between the bot and `user_id` (D + the user id's tail)."""
        self.user(user_id)
        dm_id = "D" + user_id[1:]
        with self.transaction():
            if dm_id not in self.channels:
                members = {self.seed.bot_user_id, user_id}
                self.channels[dm_id] = Channel(dm_id, user_id, "im", members, user=user_id)
        return dm_id

    def open_group_dm(self, user_ids: list[str]) -> str:
        """A stable group DM id for the bot plus several users."""
        for user_id in user_ids:
            self.user(user_id)
        members = {self.seed.bot_user_id, *user_ids}
        group_id = "G" + _stable_key(members)
        with self.transaction():
            if group_id not in self.channels:
                name = "mpdm-" + "--".join(sorted(members))
                self.channels[group_id] = Channel(group_id, name, "mpim", members)
        return group_id

    def join(self, channel_id: str, user_id: str) -> Channel:
        """Add `user_id` to a public channel."""
        with self.transaction():
            channel = self.channel(channel_id)
            channel.members.add(user_id)
            return channel

    def leave(self, channel_id: str, user_id: str) -> None:
        """Remove `user_id` from a channel (as an admin removes the bot): posts get not_in_channel."""
        with self.transaction():
            self.channel(channel_id).members.discard(user_id)

    def archive(self, channel_id: str, archived: bool = True) -> None:
        """Archive a channel, or unarchive it: posts and updates there get `is_archived`."""
        with self.transaction():
            self.channel(channel_id).archived = archived

    def next_ts(self) -> str:
        """A unique, increasing message timestamp like `1700000000.000100`."""
        with self.transaction():
            now_us = int(self.clock() * 1_000_000)
            self._last_us = max(now_us, self._last_us + 1)
            return f"{self._last_us // 1_000_000}.{self._last_us % 1_000_000:06d}"

    # -- messages -----------------------------------------------------------------

    def post(self, channel_id: str, fields: dict, *, user: str, kind: str = "posted") -> dict:
        """Store a new message (a reply when `fields` has `thread_ts`) and return it."""
        with self.transaction():
            channel = self.channel(channel_id)
            message = {"type": "message", "user": user, "team": self.seed.team_id, **fields}
            message["ts"] = message.get("ts") or self.next_ts()
            if user == self.seed.bot_user_id:
                message.update(bot_fields(self.seed))
            self._thread_bookkeeping(channel.id, message)
            self._messages.setdefault(channel.id, []).append(message)
            self._messages[channel.id].sort(key=lambda m: _ts_key(m["ts"]))
            self._emit(channel.id, message, kind)
            return clone(message)

    def add_user_message(
        self, channel_id: str, user: str, text: str, *, ts: str | None = None, **extra: Any
    ) -> str:
        """Record a human's message (sent through the driver) and return its ts."""
        self.user(user)
        fields = {"text": text, **({"ts": ts} if ts else {}), **extra}
        fields = {k: v for k, v in fields.items() if v is not None}
        return self.post(channel_id, fields, user=user, kind="user")["ts"]

    def _thread_bookkeeping(self, channel_id: str, message: dict) -> None:
        thread_ts = message.get("thread_ts")
        if not thread_ts or thread_ts == message["ts"]:
            return
        parent = self._find(channel_id, thread_ts)
        if parent is None:
            return
        parent["thread_ts"] = parent["ts"]
        parent["reply_count"] = parent.get("reply_count", 0) + 1
        users = parent.setdefault("reply_users", [])
        if message["user"] not in users:
            users.append(message["user"])
        parent["latest_reply"] = message["ts"]

    def _find(self, channel_id: str, ts: str | None) -> dict | None:
        for message in self._messages.get(channel_id, []):
            if message["ts"] == ts:
                return message
        return None

    def find_message(self, channel_id: str, ts: str | None) -> dict:
        """The stored message (live, not a copy), or `message_not_found`."""
        message = self._find(self.channel(channel_id).id, ts)
        if message is None:
            raise ApiError("message_not_found")
        return message

    def update_message(self, channel_id: str, ts: str, fields: dict) -> dict:
        """Replace text/blocks/attachments of one of the bot's messages."""
        with self.transaction():
            channel = self.channel(channel_id)
            message = self.find_message(channel.id, ts)
            if message.get("user") != self.seed.bot_user_id:
                raise ApiError("cant_update_message")
            message.update(fields)
            message["edited"] = {"user": self.seed.bot_user_id, "ts": self.next_ts()}
            self._emit(channel.id, message, "updated")
            return clone(message)

    def delete_message(self, channel_id: str, ts: str) -> None:
        """Delete one of the bot's messages."""
        with self.transaction():
            channel = self.channel(channel_id)
            message = self.find_message(channel.id, ts)
            if message.get("user") != self.seed.bot_user_id:
                raise ApiError("cant_delete_message")
            self._messages[channel.id].remove(message)
            self._emit(channel.id, message, "deleted")

    def post_ephemeral(
        self, channel_id: str, user: str, fields: dict, *, require_member: bool = True
    ) -> dict:
        """Store a message only `user` sees; it never enters the channel history."""
        with self.transaction():
            channel = self.channel(channel_id)
            self.user(user)
            if require_member and user not in channel.members:
                raise ApiError("user_not_in_channel")
            message = {"type": "message", "user": self.seed.bot_user_id, **fields}
            message.update({"ts": self.next_ts(), "to_user": user, **bot_fields(self.seed)})
            self._ephemerals.setdefault(channel.id, []).append(message)
            self._emit(channel.id, message, "ephemeral")
            return clone(message)

    def add_reaction(self, channel_id: str, ts: str, name: str, user: str) -> None:
        """Add an emoji reaction by `user`; `already_reacted` when it is there."""
        with self.transaction():
            message = self.find_message(channel_id, ts)
            reactions = message.setdefault("reactions", [])
            entry = next((r for r in reactions if r["name"] == name), None)
            if entry is None:
                entry = {"name": name, "users": [], "count": 0}
                reactions.append(entry)
            if user in entry["users"]:
                raise ApiError("already_reacted")
            entry["users"].append(user)
            entry["count"] += 1

    def messages(self, channel_id: str) -> list[dict]:
        """Copies of all messages in a channel, top-level and replies, oldest first."""
        with self.transaction():
            return clone(self._messages.get(self.channel(channel_id).id, []))

    def ephemerals(self, channel_id: str) -> list[dict]:
        """Copies of the ephemeral messages shown in a channel, oldest first."""
        with self.transaction():
            return clone(self._ephemerals.get(self.channel(channel_id).id, []))

    # -- trigger ids --------------------------------------------------------------

    def mint_trigger_id(self, user_id: str) -> str:
        """A fresh trigger id for `user_id`, as Slack sends with an interaction."""
        with self.transaction():
            trigger_id = f"{self.next_ts().replace('.', '')}.{secrets.token_hex(10)}"
            self._triggers[trigger_id] = (user_id, self.clock(), False)
            return trigger_id

    def use_trigger_id(self, trigger_id: str | None) -> str:
        """Exchange a trigger id (once, within 3 s) and return the user it was minted for."""
        with self.transaction():
            if not trigger_id or trigger_id not in self._triggers:
                raise ApiError("invalid_trigger_id")
            user_id, minted_at, used = self._triggers[trigger_id]
            if used:
                raise ApiError("exchanged_trigger_id")
            if self.clock() - minted_at > TRIGGER_TTL:
                raise ApiError("expired_trigger_id")
            self._triggers[trigger_id] = (user_id, minted_at, True)
            return user_id


def _ts_key(ts: str) -> tuple[int, int]:
    seconds, _, micros = ts.partition(".")
    return int(seconds), int(micros or 0)


def _stable_key(members: set[str]) -> str:
    return hashlib.sha1(",".join(sorted(members)).encode()).hexdigest()[:10].upper()
