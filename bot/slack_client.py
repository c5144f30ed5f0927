"""The Slack Web API client: one WebClient with a base URL and bounded retries."""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from bot.settings import Settings

# Bounded: a delivery that keeps failing goes back to the outbox rather than
# holding a worker thread for minutes.
MAX_RETRIES = 3


def build_web_client(settings: Settings, *, timeout: int = 10) -> WebClient:
    """A WebClient for the configured API URL that retries 429 (Retry-After), 5xx and resets."""
    token = settings.bot_token.get_secret_value() if settings.bot_token else None
    return WebClient(
        token=token,
        base_url=settings.api_url,
        timeout=timeout,
        retry_handlers=[
            ConnectionErrorRetryHandler(max_retry_count=MAX_RETRIES),
            RateLimitErrorRetryHandler(max_retry_count=MAX_RETRIES),
            ServerErrorRetryHandler(max_retry_count=MAX_RETRIES),
        ],
    )
