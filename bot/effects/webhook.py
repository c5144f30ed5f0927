"""Signed outbound webhooks: every domain event POSTed as JSON to the admin's URL, in order.

Each attempt is signed afresh: X-ValueScout-Signature is v1=<hex HMAC-SHA256 of
"v1:" + X-ValueScout-Timestamp + ":" + raw body>, keyed with VALUESCOUT_WEBHOOK_SECRET.
A non-2xx answer, a timeout or a refused connection is retried with backoff (the first
retry within 60 s) for at least 24 hours, then the row is kept as failed, with the answer.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import ssl
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from http.client import HTTPConnection, HTTPException, HTTPSConnection
from typing import TYPE_CHECKING, Any
from urllib.parse import SplitResult, urlsplit

from sqlmodel import Session

from storage.queries import enqueue_outbox, set_setting
from storage.queries.config import workspace_setting

if TYPE_CHECKING:
    from bot.settings import Settings

WEBHOOK = "webhook"  # the outbox kind
WEBHOOK_CHANNEL = "webhook"  # outbox rows name a destination; this one is the configured URL
TEAM_TARGET = "webhook"  # app_settings key: a workspace's own {"url", "secret"}
TIMEOUT = 10.0  # seconds a receiver has to answer
FIRST_RETRY, RETRY_CAP = 15.0, 3600.0  # seconds: 15, 30, 60 … then hourly
GIVE_UP_AFTER = timedelta(hours=24)
ANSWER_LIMIT = 500  # characters of a receiver's answer kept (shown by `webhook test`)
USER_AGENT = "ValueScout-Webhook/1"


def webhook_key(event_id: str) -> str:
    """The outbox dedupe key of one event's webhook."""
    return f"{WEBHOOK}:{event_id}"


def destination(team_id: str | None) -> str:
    """The outbox row's channel: which target it goes to (the deployment's, or a workspace's)."""
    return f"{WEBHOOK_CHANNEL}:{team_id}" if team_id else WEBHOOK_CHANNEL


def destination_team(channel_id: str) -> str | None:
    """The workspace whose own target a row goes to; None for the deployment's."""
    return channel_id.partition(":")[2] or None


def queue_webhook(
    *, session: Session, discovery_id: int, body: dict[str, Any], now: datetime,
    team_id: str | None = None,
) -> None:  # fmt: skip
    """One POST of one event to the deployment's target, or to the workspace's own (team_id);
    its body is fixed now, only the signature changes per attempt."""
    enqueue_outbox(
        session=session, kind=WEBHOOK, dedupe_key=webhook_key(body["id"]),
        channel_id=destination(team_id), payload={"discovery_id": discovery_id, "body": body},
        now=now, discovery_id=discovery_id,
    )  # fmt: skip


def team_target(*, session: Session, team_id: str) -> WebhookTarget | None:
    """A workspace's own target (`valuescout webhook set --team`), if it has one."""
    stored = workspace_setting(session=session, key=TEAM_TARGET, team_id=team_id)
    if not isinstance(stored, dict) or not stored.get("url") or not stored.get("secret"):
        return None
    return WebhookTarget(str(stored["url"]), str(stored["secret"]))


def set_team_target(
    *, session: Session, team_id: str, target: WebhookTarget | None, now: datetime
) -> None:
    """Give a workspace its own target, or (None) send its events to the deployment's again."""
    value = None if target is None else {"url": target.url, "secret": target.secret}
    set_setting(session=session, key=TEAM_TARGET, value=value, changed_by=None, now=now,
                team_id=team_id)  # fmt: skip


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The X-ValueScout-Signature of a body sent at timestamp (Unix seconds)."""
    signed = b"v1:" + str(timestamp).encode() + b":" + body
    return "v1=" + hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def encode(body: dict[str, Any]) -> bytes:
    """The raw body: compact UTF-8 JSON (what the signature covers, byte for byte)."""
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


@dataclass(frozen=True)
class WebhookTarget:
    """Where events go and the secret they are signed with."""

    url: str
    secret: str
    timeout: float = TIMEOUT

    def __repr__(self) -> str:  # never show the secret in a traceback or a log
        return f"WebhookTarget(url={self.url!r})"


def webhook_target(settings: Settings) -> WebhookTarget | None:
    """The configured target, or None when VALUESCOUT_WEBHOOK_URL is not set."""
    if settings.webhook_url is None or settings.webhook_secret is None:
        return None
    return WebhookTarget(settings.webhook_url, settings.webhook_secret.get_secret_value())


@dataclass(frozen=True)
class Answer:
    """What the receiver said: an HTTP status and the start of its body, or why there was none."""

    status: int | None
    text: str
    retry_after: float | None = None

    @property
    def ok(self) -> bool:
        """A 2xx: the receiver has the event."""
        return self.status is not None and 200 <= self.status < 300

    def describe(self) -> str:
        """One line for the outbox's last_error and for `webhook test`."""
        if self.status is None:
            return self.text
        return f"HTTP {self.status}" + (f": {self.text}" if self.text else "")


def post_signed(target: WebhookTarget, *, event_id: str, body: bytes, timestamp: int) -> Answer:
    """POST one signed body; every outcome (2xx, other status, timeout, refusal) is an Answer.

    http.client, not urllib: header names go out exactly as documented, and a redirect is
    an answer like any other non-2xx (a signed POST is never re-sent elsewhere).
    """
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-ValueScout-Event-Id": event_id,
        "X-ValueScout-Timestamp": str(timestamp),
        "X-ValueScout-Signature": signature(target.secret, timestamp, body),
    }
    url = urlsplit(target.url)
    path = (url.path or "/") + (f"?{url.query}" if url.query else "")
    connection = _connection(url, target.timeout)
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        text = " ".join(response.read(ANSWER_LIMIT * 4).decode("utf-8", "replace").split())
        return Answer(
            response.status, text[:ANSWER_LIMIT], _seconds(response.getheader("Retry-After"))
        )
    except (OSError, HTTPException) as error:  # refused, reset, timed out, bad TLS
        return Answer(None, f"no answer: {type(error).__name__}: {error}")
    finally:
        connection.close()


def ping(target: WebhookTarget) -> tuple[str, Answer]:
    """POST a signed event of type `ping` (no discovery in it); its id and the answer."""
    now = time.time()
    body = {
        "id": str(uuid.uuid4()),
        "type": "ping",
        "occurred_at": datetime.fromtimestamp(now, UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    return body["id"], post_signed(
        target, event_id=body["id"], body=encode(body), timestamp=int(now)
    )


def _connection(url: SplitResult, timeout: float) -> HTTPConnection:
    if url.scheme == "https":
        context = ssl.create_default_context()
        return HTTPSConnection(url.hostname or "", url.port, timeout=timeout, context=context)
    return HTTPConnection(url.hostname or "", url.port, timeout=timeout)


def _seconds(value: str | None) -> float | None:
    try:
        return max(float(value), 0.0) if value else None
    except ValueError:
        return None


def retry_delay(attempts: int, answer: Answer, jitter: float) -> float:
    """Seconds until the next attempt: doubling from 15 s, hourly at most, Retry-After heeded."""
    delay = min(RETRY_CAP, FIRST_RETRY * 2 ** min(attempts, 20)) * jitter
    if answer.retry_after is not None:
        delay = max(delay, min(answer.retry_after, RETRY_CAP))
    return delay
