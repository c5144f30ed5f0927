"""Request bodies shaped exactly as Slack sends them to an app (Events API and interactivity)."""

from __future__ import annotations

import secrets
import time
import uuid
from dataclasses import dataclass
from typing import Any

from bot.emulator.clone import clone


@dataclass(frozen=True)
class Origin:
    """The workspace and app a request comes from."""

    team_id: str
    team_domain: str
    api_app_id: str
    bot_user_id: str
    enterprise_id: str | None = None  # the Grid organisation of the workspace
    org_wide: bool = False  # installed once for the whole organisation

    @property
    def enterprise(self) -> dict[str, str] | None:
        """The `enterprise` object of interactive payloads."""
        return {"id": self.enterprise_id} if self.enterprise_id else None


def now_ts() -> str:
    """A Slack-style timestamp for action_ts / event_ts."""
    return f"{time.time():.6f}"


def event_id() -> str:
    """A unique Events API event id (`Ev…`)."""
    return "Ev" + secrets.token_hex(5).upper()


def envelope(origin: Origin, event: dict, *, event_id: str) -> dict[str, Any]:
    """The `event_callback` envelope around one event."""
    return {
        "token": "emulator-verification-token",
        "team_id": origin.team_id,
        "enterprise_id": origin.enterprise_id,
        "context_team_id": origin.team_id,
        "context_enterprise_id": origin.enterprise_id,
        "api_app_id": origin.api_app_id,
        "event": event,
        "type": "event_callback",
        "event_id": event_id,
        "event_time": int(time.time()),
        "authorizations": [authorization(origin)],
        "is_ext_shared_channel": False,
        "event_context": "4-" + secrets.token_hex(12),
    }


def authorization(origin: Origin) -> dict[str, Any]:
    """One install that can see an event: its bot, workspace and organisation."""
    return {
        "enterprise_id": origin.enterprise_id,
        # An org-wide install's authorization names no workspace: the envelope does.
        "team_id": None if origin.org_wide else origin.team_id,
        "user_id": origin.bot_user_id,
        "is_bot": True,
        "is_enterprise_install": origin.org_wide,
    }


def channel_type(channel_id: str) -> str:
    """The `channel_type` of a message event, from the id's first letter."""
    return {"D": "im", "G": "mpim", "C": "channel"}.get(channel_id[:1], "channel")


def message_event(
    origin: Origin, *, user: str, text: str, channel: str, ts: str, **fields: Any
) -> dict[str, Any]:
    """A `message` event as a human (or, with bot_id/subtype, something else) sent it."""
    event: dict[str, Any] = {
        "type": "message",
        "channel": channel,
        "user": user,
        "text": text,
        "ts": ts,
        "event_ts": ts,
        "channel_type": channel_type(channel),
        "team": origin.team_id,
    }
    if not fields.get("subtype") and not fields.get("bot_id"):
        event["client_msg_id"] = str(uuid.uuid4())
    event.update({k: v for k, v in fields.items() if v is not None})
    return event


def user_ref(origin: Origin, user: str, name: str) -> dict[str, str]:
    """The `user` object of interactive payloads."""
    return {"id": user, "username": name, "name": name, "team_id": origin.team_id}


def command_form(
    origin: Origin, *, command: str, text: str, user: str, name: str, channel: dict, **urls: str
) -> dict[str, str]:
    """The form fields of a slash command request."""
    return {
        "token": "emulator-verification-token",
        "team_id": origin.team_id,
        "team_domain": origin.team_domain,
        "channel_id": channel["id"],
        "channel_name": channel["name"],
        "user_id": user,
        "user_name": name,
        "command": command,
        "text": text,
        "api_app_id": origin.api_app_id,
        **({"enterprise_id": origin.enterprise_id} if origin.enterprise_id else {}),
        "is_enterprise_install": "true" if origin.org_wide else "false",
        "response_url": urls["response_url"],
        "trigger_id": urls["trigger_id"],
    }


def interaction(origin: Origin, kind: str, user: dict, **fields: Any) -> dict[str, Any]:
    """The common frame of every interactive payload (`type`, team, user, app, token)."""
    return {
        "type": kind,
        "team": {"id": origin.team_id, "domain": origin.team_domain},
        "user": user,
        "api_app_id": origin.api_app_id,
        "token": "emulator-verification-token",
        "enterprise": origin.enterprise,
        "is_enterprise_install": origin.org_wide,
        **fields,
    }


def find_element(blocks: list[dict], action_id: str) -> tuple[str | None, dict | None]:
    """The block_id and element of the interactive element with `action_id`, if present."""
    for block in blocks or []:
        candidates = [*block.get("elements", []), block.get("accessory"), block.get("element")]
        for element in candidates:
            if isinstance(element, dict) and element.get("action_id") == action_id:
                return block.get("block_id"), element
    return None, None


def action(
    action_id: str, block_id: str, element: dict | None, value: Any, selected_option: Any
) -> dict[str, Any]:
    """One entry of `actions` in a block_actions payload."""
    element = element or {}
    kind = element.get("type") or ("static_select" if selected_option is not None else "button")
    entry: dict[str, Any] = {
        "action_id": action_id,
        "block_id": block_id,
        "type": kind,
        "action_ts": now_ts(),
    }
    if kind == "button":
        entry["text"] = element.get("text") or {"type": "plain_text", "text": action_id}
        entry["value"] = value if value is not None else element.get("value")
        entry = {k: v for k, v in entry.items() if v is not None}
    elif selected_option is not None:
        entry["selected_option"] = option_for(element, selected_option)
    return entry


def option_for(element: dict, selected: Any) -> dict[str, Any]:
    """The option dict Slack sends for a selection given by value or as an option."""
    if isinstance(selected, dict):
        return selected
    for option in element.get("options") or []:
        if option.get("value") == selected:
            return clone(option)
    return {"text": {"type": "plain_text", "text": str(selected)}, "value": str(selected)}


def state_values(values: dict | None) -> dict[str, dict[str, Any]]:
    """`view.state.values`; a bare string leaf is taken as a plain_text_input's value."""
    normalized: dict[str, dict[str, Any]] = {}
    for block_id, actions in (values or {}).items():
        normalized[block_id] = {
            action_id: leaf if isinstance(leaf, dict) else _text_leaf(leaf)
            for action_id, leaf in actions.items()
        }
    return normalized


def _text_leaf(value: Any) -> dict[str, Any]:
    return {"type": "plain_text_input", "value": value}


def view_payload(view: dict, values: dict | None) -> dict[str, Any]:
    """The `view` object of view_submission/view_closed, with state and ids Slack fills in."""
    payload = clone(view)
    payload.setdefault("id", "V" + secrets.token_hex(5).upper())
    payload.setdefault("hash", f"{int(time.time())}.{secrets.token_hex(4)}")
    payload.setdefault("private_metadata", "")
    payload.setdefault("callback_id", "")
    payload.setdefault("root_view_id", payload["id"])
    if values is not None:
        payload["state"] = {"values": state_values(values)}
    payload.setdefault("state", {"values": {}})
    return payload


def message_container(message: dict, channel: str) -> dict[str, Any]:
    """The `container` of an action taken on a message."""
    return {
        "type": "message",
        "message_ts": message.get("ts"),
        "channel_id": channel,
        "is_ephemeral": False,
    }
