"""`valuescout webhook test|set|unset`: what a receiver sees, to check its URL and signature
check; and a workspace's own target (installed by OAuth), which its events go to instead of
VALUESCOUT_WEBHOOK_URL. The secret is read from standard input, never from the command line
(which other users of the machine can see)."""

from __future__ import annotations

import argparse
from typing import TextIO
from urllib.parse import urlsplit

from bot.cli.arguments import UsageError
from bot.cli.runtime import prepare_database
from bot.effects.webhook import WebhookTarget, ping, set_team_target, team_target, webhook_target
from bot.settings import Settings, SettingsError
from storage.engine import session_scope
from storage.types import utc_now

MIN_SECRET = 16  # characters: a secret a receiver can trust


def run_webhook(args: argparse.Namespace, settings: Settings, *, stdin: TextIO, out: TextIO) -> int:
    """Run one action; 0 when it worked."""
    if args.action == "test":
        return run_webhook_test(settings, out=out, team=args.team)
    if not settings.oauth_configured:
        raise UsageError(
            "a workspace's own webhook is for installs by OAuth: with SLACK_BOT_TOKEN, set "
            "VALUESCOUT_WEBHOOK_URL and VALUESCOUT_WEBHOOK_SECRET"
        )
    target = None
    if args.action == "set":
        target = WebhookTarget(_checked_url(args.url), _checked_secret(stdin.readline().strip()))
    engine = prepare_database(settings)
    try:
        with session_scope(engine) as session:
            set_team_target(session=session, team_id=args.team, target=target, now=utc_now())
    finally:
        engine.dispose()
    where = target.url if target else "VALUESCOUT_WEBHOOK_URL (if set)"
    out.write(f"{args.team}: its events go to {where}\n")
    return 0


def run_webhook_test(settings: Settings, *, out: TextIO, team: str | None = None) -> int:
    """POST a signed `ping` and print the answer; 0 when the receiver answered 2xx."""
    target = _target(settings, team)
    if target is None:
        raise SettingsError(
            f"{team or 'VALUESCOUT_WEBHOOK_URL'} has no webhook target: there is nowhere to "
            "send a ping."
        )
    event_id, answer = ping(target)
    out.write(f"ping {event_id} to {target.url}: {answer.describe()}\n")
    return 0 if answer.ok else 1


def _target(settings: Settings, team: str | None) -> WebhookTarget | None:
    if team is None:
        return webhook_target(settings)
    engine = prepare_database(settings)
    try:
        with session_scope(engine) as session:
            return team_target(session=session, team_id=team)
    finally:
        engine.dispose()


def _checked_url(url: str) -> str:
    if urlsplit(url).scheme not in ("https", "http") or not urlsplit(url).hostname:
        raise UsageError(f"--url {url!r}: an http(s) address, like https://example.com/hooks")
    return url


def _checked_secret(secret: str) -> str:
    if len(secret) < MIN_SECRET:
        raise UsageError(f"the secret (on standard input) must be at least {MIN_SECRET} characters")
    return secret
