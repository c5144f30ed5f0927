"""The Slack app manifest: the scopes, events, command, shortcut and App Home the app needs."""

from __future__ import annotations

import yaml

from bot.rendering.ids import CallbackId, Command
from bot.rendering.text import render, shorten
from bot.routes import current_routes

DESCRIPTION_LIMIT = 140

BOT_SCOPES = [
    "app_mentions:read",
    "channels:history",  # delivery checks a route channel for its own post before re-posting
    "channels:join",  # an admin maps a public channel: the bot joins it to post cards there
    "channels:read",
    "chat:write",
    "commands",
    "files:write",
    "groups:history",
    "groups:read",
    "im:history",
    "im:read",
    "im:write",
    "reactions:write",
    "users:read",
    "users:read.email",  # `valuescout accounts import` finds an account owner by email
]
# The last three tell the app that a route channel takes cards again (see discoveries.blocked).
BOT_EVENTS = [
    "app_home_opened",
    "message.im",
    "member_joined_channel",
    "channel_unarchive",
    "group_unarchive",
]


def manifest(*, request_url: str | None = None) -> dict:
    """The manifest for Socket Mode, or for HTTP mode when a request URL is given."""
    events_url = f"{request_url.rstrip('/')}/slack/events" if request_url else None
    url = {"request_url": events_url} if events_url else {}
    return {
        "display_information": {
            "name": "Value Scout",
            "description": _description(),
            "background_color": "#1d4e89",
        },
        "features": _features(events_url),
        "oauth_config": {"scopes": {"bot": BOT_SCOPES}},
        "settings": {
            "event_subscriptions": {"bot_events": BOT_EVENTS, **url},
            "interactivity": {"is_enabled": True, **url},
            "org_deploy_enabled": False,
            "socket_mode_enabled": request_url is None,
            "token_rotation_enabled": False,
        },
    }


def _description() -> str:
    """What the app does, naming the routes (Slack takes up to 140 characters)."""
    teams = [route.label for route in current_routes()]
    return shorten(render("manifest_description.txt.j2", teams=teams), DESCRIPTION_LIMIT)


def _features(events_url: str | None) -> dict:
    """The Home tab, the bot user, /scout and the message shortcut."""
    command = {"command": Command.SCOUT.value, "description": "Log a value-gap discovery"}
    command |= {"usage_hint": "[help | config]", "should_escape": False}
    if events_url:
        command["url"] = events_url
    shortcut = {
        "name": "Log value discovery",
        "type": "message",
        "callback_id": CallbackId.LOG_DISCOVERY_SHORTCUT.value,
        "description": "Log what this customer said as a value-gap discovery",
    }
    home = {"home_tab_enabled": True, "messages_tab_enabled": True}
    home["messages_tab_read_only_enabled"] = False
    return {
        "app_home": home,
        "bot_user": {"display_name": "Value Scout", "always_online": True},
        "slash_commands": [command],
        "shortcuts": [shortcut],
    }


def manifest_yaml(*, request_url: str | None = None) -> str:
    """The manifest as YAML, ready to paste into api.slack.com/apps."""
    header = "# Slack app manifest for Value Scout (Socket Mode). For HTTP mode run:\n"
    header += "#   valuescout manifest --request-url https://your-host\n"
    if request_url:
        header = "# Slack app manifest for Value Scout (HTTP mode).\n"
    body = yaml.safe_dump(manifest(request_url=request_url), sort_keys=False, allow_unicode=True)
    return header + body
