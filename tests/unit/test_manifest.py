"""The Slack app manifest: what the app needs, in both modes, and the checked-in copy."""

from pathlib import Path

import yaml

from bot.manifest import manifest, manifest_yaml
from bot.rendering.ids import CallbackId, Command

ROOT = Path(__file__).resolve().parents[2]


def test_socket_mode_manifest_has_the_command_shortcut_home_and_events():
    app = manifest()
    assert app["settings"]["socket_mode_enabled"] is True
    assert app["features"]["slash_commands"][0]["command"] == Command.SCOUT
    assert app["features"]["shortcuts"][0]["callback_id"] == CallbackId.LOG_DISCOVERY_SHORTCUT
    assert app["features"]["app_home"]["home_tab_enabled"] is True
    assert {"app_home_opened", "message.im"} <= set(
        app["settings"]["event_subscriptions"]["bot_events"]
    )
    assert {"chat:write", "commands", "im:history", "files:write"} <= set(
        app["oauth_config"]["scopes"]["bot"]
    )


def test_http_manifest_points_every_request_url_at_slack_events():
    app = manifest(request_url="https://scout.example.com/")
    url = "https://scout.example.com/slack/events"
    assert app["settings"]["socket_mode_enabled"] is False
    assert app["settings"]["event_subscriptions"]["request_url"] == url
    assert app["settings"]["interactivity"]["request_url"] == url
    assert app["features"]["slash_commands"][0]["url"] == url


def test_the_checked_in_manifest_is_what_the_command_prints():
    checked_in = (ROOT / "manifest.yaml").read_text()
    assert checked_in == manifest_yaml()
    assert yaml.safe_load(checked_in) == manifest()
