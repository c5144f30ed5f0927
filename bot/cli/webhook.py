"""`valuescout webhook test`: what a receiver sees, to check its URL and signature check."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime
from typing import TextIO

from bot.effects.webhook import encode, post_signed, webhook_target
from bot.settings import Settings, SettingsError


def run_webhook_test(settings: Settings, *, out: TextIO) -> int:
    """POST a signed `ping` and print the answer; 0 when the receiver answered 2xx."""
    target = webhook_target(settings)
    if target is None:
        raise SettingsError("VALUESCOUT_WEBHOOK_URL is not set: there is nowhere to send a ping.")
    now = time.time()
    body = {
        "id": str(uuid.uuid4()),
        "type": "ping",
        "occurred_at": datetime.fromtimestamp(now, UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    answer = post_signed(target, event_id=body["id"], body=encode(body), timestamp=int(now))
    out.write(f"ping {body['id']} to {target.url}: {answer.describe()}\n")
    return 0 if answer.ok else 1
