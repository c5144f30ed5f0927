"""The Slack Web API client: one WebClient with a base URL, bounded retries and kept-alive
connections."""

from __future__ import annotations

import copy
import io
from http.client import HTTPMessage
from typing import Any
from urllib.error import HTTPError, URLError
from urllib.request import Request

import urllib3
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
# Idle connections kept per host: enough for a web worker's threads and its delivery thread
# (more calls at once still go through, on connections closed after use).
POOL_SIZE = 16


class KeepAliveWebClient(WebClient):
    """A WebClient whose calls reuse kept-alive connections (slack_sdk's own opens one per
    call: urllib sends `Connection: close`, so every call paid a TCP and TLS handshake).

    Only the transport differs: slack_sdk still builds the request, runs its retry handlers
    and reads the answer, so this sends what it would have sent and raises what urllib
    would have raised (HTTPError for a non-2xx status, URLError when no connection is made).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # urllib3 checks that a pooled connection is still open before reusing it.
        self._pool = urllib3.PoolManager(maxsize=POOL_SIZE, ssl_context=self.ssl, retries=False)

    def __deepcopy__(self, memo: dict) -> KeepAliveWebClient:
        """Bolt deep-copies each request for its lazy listeners: the copy shares the pool."""
        return copy.copy(self)

    def _perform_urllib_http_request_internal(self, url: str, req: Request) -> dict[str, Any]:
        if self.proxy or not url.lower().startswith("http"):
            return super()._perform_urllib_http_request_internal(url, req)  # as slack_sdk does
        response = self._send(url, req)
        headers = _message(response.headers)
        if not 200 <= response.status < 300:
            raise HTTPError(
                url, response.status, response.reason or "", headers, io.BytesIO(response.data)
            )
        if headers.get_content_type() == "application/gzip":
            return {"status": response.status, "headers": headers, "body": response.data}
        body = response.data.decode(headers.get_content_charset() or "utf-8")
        return {"status": response.status, "headers": headers, "body": body}

    def _send(self, url: str, req: Request) -> urllib3.BaseHTTPResponse:
        """POST on a pooled connection; errors as urllib raises them (retry handlers know those)."""
        try:
            return self._pool.request(
                "POST", url, body=req.data, headers=dict(req.header_items()), timeout=self.timeout
            )
        except urllib3.exceptions.ReadTimeoutError as error:
            raise TimeoutError(str(error)) from None  # sent, maybe acted on: never retried blindly
        except urllib3.exceptions.ProtocolError as error:  # reset or closed mid-call
            cause = error.args[1] if len(error.args) > 1 else error
            raise (cause if isinstance(cause, OSError) else URLError(cause)) from None
        except urllib3.exceptions.HTTPError as error:  # no connection made (refused, DNS, TLS)
            raise URLError(error) from None


def _message(headers: urllib3.HTTPHeaderDict) -> HTTPMessage:
    """Headers as urllib hands them over (slack_sdk reads the charset and Retry-After there)."""
    message = HTTPMessage()
    for name, value in headers.items():
        message[name] = value
    return message


def build_web_client(settings: Settings, *, timeout: int = 10) -> WebClient:
    """A WebClient for the configured API URL that retries 429 (Retry-After), 5xx and resets."""
    token = settings.bot_token.get_secret_value() if settings.bot_token else None
    return KeepAliveWebClient(
        token=token,
        base_url=settings.api_url,
        timeout=timeout,
        retry_handlers=[
            ConnectionErrorRetryHandler(max_retry_count=MAX_RETRIES),
            RateLimitErrorRetryHandler(max_retry_count=MAX_RETRIES),
            ServerErrorRetryHandler(max_retry_count=MAX_RETRIES),
        ],
    )


def without_retries(client: WebClient) -> WebClient:
    """The same client (its connections shared) that retries nothing itself: for callers
    that retry on their own terms, such as the outbox, paced per channel."""
    bare = copy.copy(client)
    bare.retry_handlers = []
    return bare
