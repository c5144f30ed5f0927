"""HTTP mode: the WSGI app (POST /slack/events, GET /healthz), served by Gunicorn or on loopback."""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from slack_bolt import App
from slack_bolt.request import BoltRequest
from slack_sdk.signature import SignatureVerifier
from sqlalchemy import Engine

from storage.engine import database_is_reachable

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
MAX_BODY_BYTES = 1_000_000  # Slack payloads are far smaller; refuse anything bigger unread.
MAX_AGE_SECONDS = 5 * 60  # Slack's own replay window.

StartResponse = Callable[[str, list[tuple[str, str]]], object]
WSGIApp = Callable[[dict, StartResponse], Iterable[bytes]]


@dataclass(frozen=True)
class Reply:
    """An HTTP response before it is written."""

    status: int
    body: bytes = b""
    content_type: str = "application/json"

    @classmethod
    def json(cls, status: int, payload: dict) -> Reply:
        """A JSON reply."""
        return cls(status, json.dumps(payload).encode())


def refusal_reason(body: bytes, headers: dict[str, str], secret: str, now: float) -> str | None:
    """Why a request is not a fresh one signed by Slack, or None when it is."""
    timestamp = headers.get("x-slack-request-timestamp", "")
    signature = headers.get("x-slack-signature", "")
    if not signature or not timestamp:
        return "unsigned"
    if not timestamp.isdigit():
        return "timestamp is not a number"
    if abs(now - int(timestamp)) > MAX_AGE_SECONDS:
        return "stale timestamp"
    if not SignatureVerifier(secret).is_valid(body, timestamp, signature):
        return "bad signature"
    return None


def build_wsgi_app(*, bolt_app: App, engine: Engine, signing_secret: str) -> WSGIApp:
    """The whole HTTP surface: Slack's requests, the health check, 404 for the rest."""

    def application(environ: dict, start_response: StartResponse) -> Iterable[bytes]:
        method, path = environ["REQUEST_METHOD"], environ.get("PATH_INFO", "")
        if path == EVENTS_PATH and method == "POST":
            reply = _slack_request(environ, bolt_app, signing_secret)
        elif path == HEALTH_PATH and method in ("GET", "HEAD"):
            reply = _health(engine)
        else:
            reply = Reply.json(404, {"error": "not found"})
        start_response(f"{reply.status} {_REASONS.get(reply.status, '')}", _headers(reply))
        return [reply.body]

    return application


def _slack_request(environ: dict, bolt_app: App, secret: str) -> Reply:
    """Refuse what Slack did not sign; hand the rest to Bolt (which verifies again)."""
    length = int(environ.get("CONTENT_LENGTH") or 0)
    if length > MAX_BODY_BYTES:
        return Reply.json(413, {"error": "payload too large"})
    body = environ["wsgi.input"].read(length) if length else b""
    headers = _request_headers(environ)
    reason = refusal_reason(body, headers, secret, time.time())
    if reason:
        # Never the body or the headers: they may hold user text or tokens.
        log.warning("refused a Slack request from %s: %s", environ.get("REMOTE_ADDR"), reason)
        return Reply.json(401, {"error": "invalid request"})
    request = BoltRequest(
        body=body.decode("utf-8"), query=environ.get("QUERY_STRING"), headers=headers
    )
    response = bolt_app.dispatch(request)
    content_type = response.headers.get("content-type", ["application/json"])[0]
    return Reply(response.status, (response.body or "").encode("utf-8"), content_type)


def _health(engine: Engine) -> Reply:
    """200 when the database answers, 503 when it does not."""
    if database_is_reachable(engine):
        return Reply.json(200, {"status": "ok", "database": "reachable"})
    return Reply.json(503, {"status": "unavailable", "database": "unreachable"})


def _request_headers(environ: dict) -> dict[str, str]:
    """Lower-cased request headers from a WSGI environ."""
    headers = {
        key[5:].replace("_", "-").lower(): value
        for key, value in environ.items()
        if key.startswith("HTTP_")
    }
    if environ.get("CONTENT_TYPE"):
        headers["content-type"] = environ["CONTENT_TYPE"]
    return headers


def _headers(reply: Reply) -> list[tuple[str, str]]:
    return [("Content-Type", reply.content_type), ("Content-Length", str(len(reply.body)))]


_REASONS = {200: "OK", 401: "Unauthorized", 404: "Not Found", 413: "Payload Too Large"}
_REASONS |= {500: "Internal Server Error", 503: "Service Unavailable"}


class _ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    request_queue_size = 128  # socketserver's default of 5 drops connections under a burst


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        """Access logs would repeat every request line; the app logs what matters."""


class LocalServer:
    """A threaded WSGI server on loopback, port 0: for the demo and the tests."""

    def __init__(self, app: WSGIApp, *, host: str = "127.0.0.1", port: int = 0) -> None:
        self._server = make_server(
            host, port, app, server_class=_ThreadingWSGIServer, handler_class=_QuietHandler
        )
        # stop() waits for the serve loop's next poll: every 0.05 s rather than the default 0.5 s.
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), daemon=True
        )

    @property
    def url(self) -> str:
        """The Slack request URL of this server."""
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}{EVENTS_PATH}"

    def start(self) -> LocalServer:
        """Serve in a background thread."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the socket."""
        self._server.shutdown()
        self._server.server_close()
