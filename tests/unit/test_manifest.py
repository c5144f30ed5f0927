"""The Slack app manifest: what the app needs, in both modes, and the checked-in copy."""

import re
from pathlib import Path

import pytest
import yaml

from bot.manifest import (
    BOT_EVENTS,
    SCOPE_USES,
    UNSCOPED_METHODS,
    ManifestError,
    manifest,
    manifest_yaml,
)
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


def test_http_manifest_is_installable_by_oauth_and_org_wide():
    app = manifest(request_url="https://scout.example.com/")

    assert app["oauth_config"]["redirect_urls"] == [
        "https://scout.example.com/slack/oauth_redirect"
    ]
    assert app["settings"]["org_deploy_enabled"] is True
    assert {"app_uninstalled", "tokens_revoked"} <= set(
        app["settings"]["event_subscriptions"]["bot_events"]
    )
    socket_mode = manifest()
    assert "redirect_urls" not in socket_mode["oauth_config"]
    assert socket_mode["settings"]["org_deploy_enabled"] is False


def test_the_checked_in_manifest_is_what_the_command_prints():
    checked_in = (ROOT / "manifest.yaml").read_text()
    assert checked_in == manifest_yaml()
    assert yaml.safe_load(checked_in) == manifest()


METHOD = r"(?:auth|chat|conversations|files|views|users|reactions|team)_\w+"


def web_api_methods_the_code_calls() -> set[str]:
    """Every `client.<family>_<method>(` in bot/, the emulator (which answers them) aside."""
    call = re.compile(rf"\.({METHOD})\(")
    sources = (path for path in (ROOT / "bot").rglob("*.py") if "emulator" not in path.parts)
    return {method for path in sources for method in call.findall(path.read_text())}


def test_every_method_the_code_calls_has_its_scope_and_every_scope_a_use():
    needed = {use for uses in SCOPE_USES.values() for use in uses}
    called = web_api_methods_the_code_calls()
    assert called - set(UNSCOPED_METHODS) == {use for use in needed if re.fullmatch(METHOD, use)}
    surfaces = {Command.SCOUT.value, CallbackId.LOG_DISCOVERY_SHORTCUT.value, "message.im"}
    for scope, uses in SCOPE_USES.items():
        assert set(uses) & (called | set(BOT_EVENTS) | surfaces), f"{scope} is used by nothing"
    assert set(BOT_EVENTS) - {"app_home_opened"} <= needed  # each event has the scope it needs


def test_the_manifest_asks_for_no_scope_the_code_does_not_use():
    scopes = set(manifest()["oauth_config"]["scopes"]["bot"])
    assert not scopes & {"app_mentions:read", "reactions:write", "im:read"}
    assert scopes == set(SCOPE_USES)  # users:read only since `accounts import` looks owners up


@pytest.mark.parametrize("url", ["http://scout.example.com", "scout.example.com", "https://"])
def test_a_request_url_slack_would_refuse_is_refused(url):
    with pytest.raises(ManifestError, match="must be an https:// URL"):
        manifest(request_url=url)
