"""The Slack app manifest: the scopes, events, command, shortcut and App Home the app needs."""

from __future__ import annotations

from urllib.parse import urlsplit

import yaml

from bot.rendering.ids import CallbackId, Command
from bot.rendering.text import render, shorten
from bot.routes import current_routes

DESCRIPTION_LIMIT = 140

# Each scope the bot asks for, and what of the code needs it (Web API methods as slack_sdk
# names them, events as the manifest does): a test checks both ways against the code.
SCOPE_USES: dict[str, tuple[str, ...]] = {
    "channels:history": ("conversations_history", "conversations_replies"),  # own post, once
    "channels:join": ("conversations_join",),  # an admin maps a public channel: the bot joins
    # conversations_members: `/scout coach` is for the coach channel's members, and who may
    # re-theme a discovery.
    "channels:read": (
        "conversations_info",
        "conversations_members",
        "member_joined_channel",
        "channel_unarchive",
    ),
    "chat:write": ("chat_postMessage", "chat_update", "chat_postEphemeral"),
    "commands": ("/scout", "log_value_discovery"),
    "files:write": ("files_upload_v2",),  # the coach digest's chart
    "groups:history": ("conversations_history", "conversations_replies"),  # private channels
    "groups:read": ("conversations_info", "conversations_members", "group_unarchive"),
    "im:history": ("message.im", "conversations_replies"),  # DMs, and the receipt's thread
    "im:write": ("conversations_open",),
    "users:read": ("users_info",),  # `valuescout accounts import`: an owner given by user id
    "users:read.email": ("users_lookupByEmail",),  # … or by email
}
BOT_SCOPES = sorted(SCOPE_USES)
# Web API methods the code calls that need no scope.
UNSCOPED_METHODS = ("auth_test", "chat_getPermalink", "views_open", "views_publish")
# The last three tell the app that a route channel takes cards again (see discoveries.blocked).
BOT_EVENTS = [
    "app_home_opened",
    "message.im",
    "member_joined_channel",
    "channel_unarchive",
    "group_unarchive",
]


# Sent to HTTP apps when a workspace uninstalls the app or revokes its token: installs by
# OAuth forget that workspace's token (a single-workspace app acknowledges them).
INSTALL_EVENTS = ["app_uninstalled", "tokens_revoked"]
REDIRECT_PATH = "/slack/oauth_redirect"  # where Slack sends an admin back after installing


class ManifestError(ValueError):
    """The manifest cannot be made as asked (a request URL Slack would refuse)."""


def check_request_url(url: str) -> str:
    """Slack sends events only to https:// URLs with a host; anything else is refused here."""
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname:
        raise ManifestError(
            f"--request-url must be an https:// URL (Slack refuses others), like"
            f" https://scout.example.com, not {url!r}."
        )
    return url


def manifest(*, request_url: str | None = None) -> dict:
    """The manifest for Socket Mode, or for HTTP mode when a request URL is given: then also
    installable by OAuth in any number of workspaces and org-wide on Enterprise Grid."""
    if request_url is not None:
        check_request_url(request_url)
    events_url = f"{request_url.rstrip('/')}/slack/events" if request_url else None
    url = {"request_url": events_url} if events_url else {}
    oauth: dict = {"scopes": {"bot": BOT_SCOPES}}
    if request_url:
        oauth = {"redirect_urls": [request_url.rstrip("/") + REDIRECT_PATH], **oauth}
    events = BOT_EVENTS + (INSTALL_EVENTS if request_url else [])
    return {
        "display_information": {
            "name": "Value Scout",
            "description": _description(),
            "background_color": "#1d4e89",
        },
        "features": _features(events_url),
        "oauth_config": oauth,
        "settings": {
            "event_subscriptions": {"bot_events": events, **url},
            "interactivity": {"is_enabled": True, **url},
            "org_deploy_enabled": request_url is not None,
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
