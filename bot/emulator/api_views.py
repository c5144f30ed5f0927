"""Web API methods: views.* (modals, App Home) and the v2 file upload, answered as Slack does."""

from __future__ import annotations

from typing import Any

from bot.emulator.blockkit import check_view
from bot.emulator.common import Caller, Handler, json_param, member_channel
from bot.emulator.errors import ApiError
from bot.emulator.workspace import Workspace


def _view(p: dict[str, Any]) -> dict:
    view = json_param(p, "view", "invalid_arguments")
    check_view(view)
    return view


def views_open(ws: Workspace, p: dict, caller: Caller) -> dict:
    """views.open: a new modal, given a fresh trigger id (single use, 3 s)."""
    view = _view(p)
    if view["type"] != "modal":
        raise ApiError("invalid_arguments", response_metadata={"messages": ["[ERROR] modal only"]})
    user = ws.use_trigger_id(p.get("trigger_id"))
    return {"view": ws.views.open(view, user=user)}


def views_push(ws: Workspace, p: dict, caller: Caller) -> dict:
    """views.push: stack a modal on the user's open one (at most three)."""
    view = _view(p)
    user = ws.use_trigger_id(p.get("trigger_id"))
    return {"view": ws.views.push(view, user=user)}


def views_update(ws: Workspace, p: dict, caller: Caller) -> dict:
    """views.update: by view_id or external_id; a stale hash is a hash_conflict."""
    if not p.get("view_id") and not p.get("external_id"):
        raise ApiError("invalid_arguments")
    view = _view(p)
    updated = ws.views.update(
        view, view_id=p.get("view_id"), external_id=p.get("external_id"), hash=p.get("hash")
    )
    return {"view": updated}


def views_publish(ws: Workspace, p: dict, caller: Caller) -> dict:
    """views.publish: set a user's App Home tab."""
    user = ws.user(p.get("user_id"))["id"]
    view = _view(p)
    if view["type"] != "home":
        raise ApiError("invalid_arguments", response_metadata={"messages": ["[ERROR] home only"]})
    return {"view": ws.views.publish(view, user=user, hash=p.get("hash"))}


def files_get_upload_url_external(ws: Workspace, p: dict, caller: Caller) -> dict:
    """files.getUploadURLExternal: reserve a file id and a URL on this server to send bytes to."""
    try:
        length = int(p.get("length") or 0)
    except (TypeError, ValueError) as exc:
        raise ApiError("invalid_arguments") from exc
    if length <= 0:
        raise ApiError("invalid_arguments")
    file_id = ws.files.reserve(
        filename=str(p.get("filename") or ""),
        length=length,
        user=caller.user,
        alt_txt=p.get("alt_txt"),
    )
    return {"upload_url": f"{caller.base_url}upload/{file_id}", "file_id": file_id}


def files_complete_upload_external(ws: Workspace, p: dict, caller: Caller) -> dict:
    """files.completeUploadExternal: finish uploads and share them in a channel message."""
    entries = json_param(p, "files", "invalid_arguments")
    if not isinstance(entries, list) or not entries:
        raise ApiError("invalid_arguments")
    channel_id = p.get("channel_id") or (str(p.get("channels") or "").split(",")[0] or None)
    channel = member_channel(ws, channel_id, caller) if channel_id else None
    files = ws.files.complete(entries)
    if channel is not None:
        fields = {"text": p.get("initial_comment") or "", "files": files, "upload": True}
        if p.get("thread_ts"):
            fields["thread_ts"] = str(p["thread_ts"])
        message = ws.post(channel.id, fields, user=caller.user)
        for f in files:
            ws.files.share(f["id"], channel.id, message["ts"])
        files = [ws.files.info(f["id"]) for f in files]
    return {"files": files}


def files_info(ws: Workspace, p: dict, caller: Caller) -> dict:
    """files.info: a file's metadata."""
    return {"file": ws.files.info(str(p.get("file") or ""))}


METHODS: dict[str, Handler] = {
    "views.open": views_open,
    "views.push": views_push,
    "views.update": views_update,
    "views.publish": views_publish,
    "files.getUploadURLExternal": files_get_upload_url_external,
    "files.completeUploadExternal": files_complete_upload_external,
    "files.info": files_info,
}
