"""The checks that ask Slack: the mode, the token, its scopes, and each route's channel."""

from __future__ import annotations

from dataclasses import dataclass

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.doctor.checks import Check, failed, passed
from bot.manifest import BOT_SCOPES
from bot.settings import Settings, SettingsError


@dataclass(frozen=True)
class TokenFound:
    """The token check, and the scopes Slack named in its answer (None: it named none)."""

    check: Check
    scopes: frozenset[str] | None


def mode_check(settings: Settings) -> Check:
    """Which way the app runs with these secrets; a partial set-up is what is wrong."""
    try:
        return passed("mode", settings.mode)
    except SettingsError as problem:
        return failed("mode", "partial", problem=str(problem))


def token_check(client: WebClient, *, installed: bool = False) -> TokenFound:
    """auth.test: whether Slack accepts the token (SLACK_BOT_TOKEN, or a workspace's own when
    `installed` by OAuth); its answer's x-oauth-scopes header says what it was granted."""
    try:
        answer = client.auth_test()
    except SlackApiError as error:
        refused = ("refused_install", "refused_install_fix") if installed else ("refused", "fix")
        return TokenFound(failed("token", *refused, error=error.response.get("error")), None)
    except OSError as error:
        return TokenFound(failed("token", "unreachable", url=client.base_url, error=error), None)
    headers = {key.lower(): value for key, value in answer.headers.items()}
    granted = headers.get("x-oauth-scopes")
    scopes = None if granted is None else frozenset(s.strip() for s in granted.split(","))
    check = passed("token", bot=answer.get("user"), team=answer.get("team"))
    return TokenFound(check, scopes)


def scope_check(granted: frozenset[str] | None) -> Check:
    """Every scope of the manifest granted (more is not this check's business)."""
    if granted is None:
        return failed("scopes", "unknown")
    missing = [scope for scope in BOT_SCOPES if scope not in granted]
    if missing:
        return failed("scopes", "missing", missing=", ".join(missing))
    return passed("scopes", count=len(BOT_SCOPES))


def channel_checks(client: WebClient, channels: dict[str, str | None]) -> list[Check]:
    """Each route's (and the coaches') channel: mapped, there, not archived, the bot in it."""
    return [_channel_check(client, role, channel) for role, channel in channels.items()]


def _channel_check(client: WebClient, role: str, channel: str | None) -> Check:
    names = {"role": role, "ROLE": role.upper(), "channel": channel}
    if not channel:
        return failed("channel", "unmapped", "unmapped_fix", **names)
    try:
        info = client.conversations_info(channel=channel)["channel"]
    except SlackApiError as error:
        code = error.response.get("error")
        return failed("channel", "not_found", "not_found_fix", **names, error=code)
    names["name"] = info.get("name", channel)
    if info.get("is_archived"):
        return failed("channel", "archived", "archived_fix", **names)
    if not info.get("is_member"):
        return failed("channel", "not_member", "not_member_fix", **names)
    return passed("channel", **names)
