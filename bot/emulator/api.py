"""Web API methods: chat, conversations, users, auth and reactions, answered as Slack does."""

from __future__ import annotations

from typing import Any

from bot.emulator import api_views
from bot.emulator.blockkit import check_message
from bot.emulator.common import (
    Caller,
    Handler,
    flag,
    json_param,
    member_channel,
    writable_channel,
)
from bot.emulator.errors import ApiError
from bot.emulator.workspace import Workspace


def _message_fields(params: dict[str, Any]) -> dict[str, Any]:
    fields = {
        "text": params.get("text"),
        "blocks": json_param(params, "blocks", "invalid_blocks_format"),
        "attachments": json_param(params, "attachments", "invalid_attachments"),
        "metadata": json_param(params, "metadata", "invalid_metadata_format"),
    }
    check_message(fields)
    fields["text"] = fields["text"] or ""
    return {k: v for k, v in fields.items() if v is not None}


def auth_test(ws: Workspace, p: dict, caller: Caller) -> dict:
    """auth.test: who the token belongs to."""
    s = ws.seed
    user = ws.user(caller.user)
    return {
        "url": f"https://{s.team_domain}.slack.com/",
        "team": s.team_name,
        "user": user["name"],
        "team_id": s.team_id,
        "user_id": caller.user,
        "bot_id": s.bot_id if caller.user == s.bot_user_id else None,
        "enterprise_id": s.enterprise_id,
        "is_enterprise_install": False,
    }


def chat_post_message(ws: Workspace, p: dict, caller: Caller) -> dict:
    """chat.postMessage: to a channel the bot is in, or to a user id (their DM)."""
    channel = writable_channel(ws, p.get("channel"), caller)
    fields = _message_fields(p)
    if p.get("thread_ts"):
        fields["thread_ts"] = str(p["thread_ts"])
    message = ws.post(channel.id, fields, user=caller.user)
    return {"channel": channel.id, "ts": message["ts"], "message": message}


def chat_update(ws: Workspace, p: dict, caller: Caller) -> dict:
    """chat.update: replace one of the bot's own messages."""
    channel = ws.channel(p.get("channel"))
    if channel.archived:
        raise ApiError("is_archived")
    ws.find_message(channel.id, p.get("ts"))
    message = ws.update_message(channel.id, str(p.get("ts")), _message_fields(p))
    return {"channel": channel.id, "ts": message["ts"], "text": message["text"], "message": message}


def chat_post_ephemeral(ws: Workspace, p: dict, caller: Caller) -> dict:
    """chat.postEphemeral: a message only `user` sees, in a channel both are in."""
    channel = writable_channel(ws, p.get("channel"), caller)
    fields = _message_fields(p)
    if p.get("thread_ts"):
        fields["thread_ts"] = str(p["thread_ts"])
    message = ws.post_ephemeral(channel.id, str(p.get("user") or ""), fields)
    return {"message_ts": message["ts"]}


def chat_get_permalink(ws: Workspace, p: dict, caller: Caller) -> dict:
    """chat.getPermalink: a workspace URL for a message, with thread context for replies."""
    channel = ws.channel(p.get("channel"))
    message = ws.find_message(channel.id, p.get("message_ts"))
    link = f"https://{ws.seed.team_domain}.slack.com/archives/{channel.id}/p"
    link += message["ts"].replace(".", "")
    if message.get("thread_ts") and message["thread_ts"] != message["ts"]:
        link += f"?thread_ts={message['thread_ts']}&cid={channel.id}"
    return {"channel": channel.id, "permalink": link}


def chat_delete(ws: Workspace, p: dict, caller: Caller) -> dict:
    """chat.delete: remove one of the bot's own messages."""
    channel = ws.channel(p.get("channel"))
    ws.delete_message(channel.id, str(p.get("ts")))
    return {"channel": channel.id, "ts": p.get("ts")}


def conversations_open(ws: Workspace, p: dict, caller: Caller) -> dict:
    """conversations.open: the stable DM (or group DM) with the given users."""
    if p.get("channel"):
        return {"channel": {"id": ws.channel(p["channel"]).id}}
    users = [u for u in str(p.get("users") or "").split(",") if u]
    if not users:
        raise ApiError("users_list_not_supplied")
    if len(users) > 8:
        raise ApiError("too_many_users")
    channel_id = ws.dm_channel_for(users[0]) if len(users) == 1 else ws.open_group_dm(users)
    if flag(p.get("return_im")):
        return {"channel": ws.channel(channel_id).info(ws.seed.bot_user_id)}
    return {"channel": {"id": channel_id}}


def conversations_info(ws: Workspace, p: dict, caller: Caller) -> dict:
    """conversations.info: the channel object."""
    return {"channel": ws.channel(p.get("channel")).info(ws.seed.bot_user_id)}


def conversations_members(ws: Workspace, p: dict, caller: Caller) -> dict:
    """conversations.members: member ids in one page."""
    members = sorted(ws.channel(p.get("channel")).members)
    return {"members": members, "response_metadata": {"next_cursor": ""}}


def conversations_join(ws: Workspace, p: dict, caller: Caller) -> dict:
    """conversations.join: the caller joins a public channel."""
    channel = ws.channel(p.get("channel"))
    if channel.kind != "channel":
        raise ApiError("method_not_supported_for_channel_type")
    if channel.archived:
        raise ApiError("is_archived")
    ws.join(channel.id, caller.user)
    return {"channel": channel.info(ws.seed.bot_user_id)}


def conversations_history(ws: Workspace, p: dict, caller: Caller) -> dict:
    """conversations.history: top-level messages, newest first."""
    channel = member_channel(ws, p.get("channel"), caller)
    top = [m for m in ws.messages(channel.id) if m.get("thread_ts", m["ts"]) == m["ts"]]
    top = [m for m in top if _in_range(m["ts"], p)]
    limit = int(p.get("limit") or 100)
    newest_first = list(reversed(top))
    page = newest_first[:limit]
    return {"messages": page, "has_more": len(newest_first) > limit, "pin_count": 0}


def conversations_replies(ws: Workspace, p: dict, caller: Caller) -> dict:
    """conversations.replies: a thread's parent then its replies, oldest first."""
    channel = member_channel(ws, p.get("channel"), caller)
    ts = str(p.get("ts") or "")
    thread = [m for m in ws.messages(channel.id) if ts in (m["ts"], m.get("thread_ts"))]
    if not thread:
        raise ApiError("thread_not_found")
    return {"messages": thread, "has_more": False}


def users_info(ws: Workspace, p: dict, caller: Caller) -> dict:
    """users.info: a user with profile and time zone."""
    return {"user": ws.user(p.get("user"))}


def users_list(ws: Workspace, p: dict, caller: Caller) -> dict:
    """users.list: every member in one page."""
    return {"members": list(ws.users.values()), "response_metadata": {"next_cursor": ""}}


def users_lookup_by_email(ws: Workspace, p: dict, caller: Caller) -> dict:
    """users.lookupByEmail: the member whose profile has this email (any case), or `users_not_found`."""
    email = str(p.get("email") or "").strip().casefold()
    for user in ws.users.values():
        if email and user["profile"].get("email", "").casefold() == email:
            return {"user": user}
    raise ApiError("users_not_found")


def reactions_add(ws: Workspace, p: dict, caller: Caller) -> dict:
    """reactions.add: one emoji per user per message."""
    if not p.get("name"):
        raise ApiError("invalid_name")
    channel = ws.channel(p.get("channel"))
    ws.add_reaction(channel.id, str(p.get("timestamp")), str(p["name"]).strip(":"), caller.user)
    return {}


def _in_range(ts: str, p: dict) -> bool:
    oldest, latest = float(p.get("oldest") or 0), float(p.get("latest") or "inf")
    return oldest <= float(ts) <= latest


METHODS: dict[str, Handler] = {
    "auth.test": auth_test,
    "chat.postMessage": chat_post_message,
    "chat.update": chat_update,
    "chat.postEphemeral": chat_post_ephemeral,
    "chat.getPermalink": chat_get_permalink,
    "chat.delete": chat_delete,
    "conversations.open": conversations_open,
    "conversations.info": conversations_info,
    "conversations.members": conversations_members,
    "conversations.join": conversations_join,
    "conversations.history": conversations_history,
    "conversations.replies": conversations_replies,
    "users.info": users_info,
    "users.list": users_list,
    "users.lookupByEmail": users_lookup_by_email,
    "reactions.add": reactions_add,
    **api_views.METHODS,
}
