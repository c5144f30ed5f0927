"""A claimed outbox row, the two ways it can wait or end, and what a failed Slack call means."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime
from http.client import HTTPException
from typing import Any

from slack_sdk.errors import SlackApiError

BACKOFF_BASE, BACKOFF_CAP = 2.0, 900.0  # seconds: 2, 4, 8 … 15 minutes
PERMANENT_DELAY = 900.0  # channel gone, bot not invited…: an admin can fix it, so keep trying
TRANSIENT_CODES = {"internal_error", "fatal_error", "service_unavailable", "request_timeout"}
# The channel refuses the bot (gone or private, bot not a member, archived): a person must
# act, so the scout and the admins are told, and the card waits until it can be posted.
BLOCKED_CHANNEL = frozenset({"channel_not_found", "not_in_channel", "is_archived"})


@dataclass(frozen=True)
class Job:
    """A claimed outbox row, detached from its session."""

    id: int
    kind: str
    channel_id: str
    thread_ts: str | None
    payload: dict[str, Any]
    attempts: int
    created_at: datetime
    team_id: str | None = None  # the discovery's workspace: its token posts the row

    @property
    def discovery_id(self) -> int:
        """The discovery the row is about."""
        return int(self.payload["discovery_id"])


class NotReady(Exception):
    """A receipt whose cards are not all posted yet: look again at `until` (epoch seconds)."""

    def __init__(self, until: float) -> None:
        super().__init__(until)
        self.until = until


class Gone(Exception):
    """The discovery was deleted, or Slack lost the card to redraw: nothing left to send."""


def classify(
    error: Exception, attempts: int = 0, rng: random.Random | None = None
) -> tuple[str, float, bool]:
    """(error code, seconds to wait, whether retrying soon is pointless) for a failed call."""
    jitter = (rng or random).uniform(1.0, 1.25)  # spreads the retries of many rows and workers
    backoff = min(BACKOFF_CAP, BACKOFF_BASE * 2 ** min(attempts, 20) * jitter)
    if isinstance(error, (OSError, HTTPException)):  # timeouts, refused or reset connections
        return type(error).__name__, backoff, False
    if not isinstance(error, SlackApiError):  # a bug: retrying soon would fail the same way
        return type(error).__name__, PERMANENT_DELAY, True
    status = error.response.status_code
    code = str(error.response.get("error") or f"http_{status}")
    if is_rate_limited(error):
        return code, retry_after(error.response.headers), False
    if status >= 500 or code in TRANSIENT_CODES:
        return code, backoff, False
    return code, PERMANENT_DELAY, True


def is_rate_limited(error: Exception) -> bool:
    """Whether Slack refused the call for its rate limit (HTTP 429, or `ratelimited`)."""
    if not isinstance(error, SlackApiError):
        return False
    return error.response.status_code == 429 or error.response.get("error") == "ratelimited"


def retry_after(headers: dict[str, Any]) -> float:
    """Seconds from a Retry-After header (1 when absent or unreadable)."""
    value = next((v for k, v in (headers or {}).items() if k.lower() == "retry-after"), None)
    try:
        return max(float(value), 0.0)
    except (TypeError, ValueError):
        return 1.0
