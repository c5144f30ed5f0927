"""`valuescout webhook test`: what a receiver sees, to check its URL and signature check."""

from __future__ import annotations

from typing import TextIO

from bot.effects.webhook import ping, webhook_target
from bot.settings import Settings, SettingsError


def run_webhook_test(settings: Settings, *, out: TextIO) -> int:
    """POST a signed `ping` and print the answer; 0 when the receiver answered 2xx."""
    target = webhook_target(settings)
    if target is None:
        raise SettingsError("VALUESCOUT_WEBHOOK_URL is not set: there is nowhere to send a ping.")
    event_id, answer = ping(target)
    out.write(f"ping {event_id} to {target.url}: {answer.describe()}\n")
    return 0 if answer.ok else 1
