"""The webhook check: a signed ping to VALUESCOUT_WEBHOOK_URL, as `valuescout webhook test`
sends it; the receiver must answer 2xx (it may ignore events of type `ping`)."""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import urlsplit

from sqlalchemy import Engine

from bot.doctor.checks import Check, failed, passed
from bot.effects.webhook import WebhookTarget, ping, team_target, webhook_target
from bot.settings import Settings
from storage.engine import read_scope

PING_TIMEOUT = 5.0  # seconds: App Home waits for the checks (deliveries allow 10)
REFUSED = (401, 403)  # the receiver's signature check said no


def webhook_check(
    settings: Settings, engine: Engine | None = None, *, team_id: str = ""
) -> Check | None:
    """✓ when the receiver answers the ping with a 2xx; None when no webhook is configured.
    Of a workspace with its own target (installed by OAuth), that one is pinged."""
    target = _own_target(engine, team_id) if settings.oauth_configured else None
    target = target or webhook_target(settings)
    if target is None:
        return None
    _event_id, answer = ping(replace(target, timeout=PING_TIMEOUT))
    # Scheme and host only: a receiver's path often holds a secret of its own.
    parts = urlsplit(target.url)
    names = {"host": f"{parts.scheme}://{parts.netloc}", "answer": answer.describe()}
    if answer.ok:
        return passed("webhook", **names)
    if answer.status is None:
        return failed("webhook", "no_answer", "no_answer_fix", **names)
    outcome = "refused" if answer.status in REFUSED else "status"
    return failed("webhook", outcome, f"{outcome}_fix", **names)


def _own_target(engine: Engine | None, team_id: str) -> WebhookTarget | None:
    if engine is None or not team_id:
        return None
    with read_scope(engine) as session:
        return team_target(session=session, team_id=team_id)
