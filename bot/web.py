"""HTTP mode: the WSGI app (POST /slack/events, GET /healthz, /metrics, the read API), served
by Gunicorn or on loopback."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import re
import threading
import time
from collections.abc import Callable, Iterable
from socketserver import ThreadingMixIn
from typing import Any, NamedTuple
from urllib.parse import parse_qsl
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from slack_bolt import App, BoltContext
from slack_bolt.request import BoltRequest
from slack_bolt.request.internals import build_context
from sqlalchemy import Engine

from bot.api.discoveries import PATH as DISCOVERIES_PATH
from bot.api.discoveries import ReadApi, discoveries_reply
from bot.api.http import Reply, bearer_token_matches, unauthorized
from bot.logs import new_reference
from bot.metrics.exposition import Scrape, metrics_page
from bot.metrics.meters import count_http_request
from storage.engine import database_is_reachable

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
METRICS_PATH = "/metrics"
MAX_BODY_BYTES = 1_000_000  # Slack payloads are far smaller; refuse anything bigger unread.
MAX_AGE_SECONDS = 5 * 60  # Slack's own replay window.
# Context flag: the HTTP layer found no escape in the body that could be a lone surrogate, so
# the guard need not walk every string of it (Socket Mode's requests still get the walk).
SURROGATE_FREE = "valuescout_surrogate_free"
SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")  # a JSON escape of half a UTF-16 pair

StartResponse = Callable[[str, list[tuple[str, str]]], object]
WSGIApp = Callable[[dict, StartResponse], Iterable[bytes]]


def refusal_reason(body: bytes, headers: dict[str, str], secret: str, now: float) -> str | None:
    """Why a request is not a fresh one signed by Slack, or None when it is."""
    timestamp = headers.get("x-slack-request-timestamp", "")
    signature = headers.get("x-slack-signature", "")
    if not signature or not timestamp:
        return "unsigned"
    if not (timestamp.isascii() and timestamp.isdigit()):  # "²" is a digit to isdigit()
        return "timestamp is not a number"
    if abs(now - int(timestamp)) > MAX_AGE_SECONDS:
        return "stale timestamp"
    if not _signed(body, timestamp, signature, secret):
        return "bad signature"
    return None


class SlackBody(NamedTuple):
    """A signed body as text, parsed, and whether it may hold a lone surrogate."""

    text: str
    parsed: dict
    may_hold_surrogate: bool


def read_slack_body(body: bytes, headers: dict[str, str]) -> SlackBody | str:
    """A signed body parsed as Bolt parses it (a JSON body, or a form with or without
    payload=), with whether it may hold a lone surrogate; or why Slack would never send it."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return "the body is not UTF-8"
    try:
        parsed, json_text = _parse(text, headers.get("content-type", "").split(";")[0] or None)
    except (ValueError, RecursionError):
        return "the body or its payload is not JSON"
    if not isinstance(parsed, dict):
        return "the body or its payload is not a JSON object"
    # Valid UTF-8 holds no surrogate and a form's values are decoded with errors="replace":
    # only a JSON \uD800-\uDFFF escape can make one (a pair decodes to one character).
    return SlackBody(text, parsed, bool(json_text and SURROGATE_ESCAPE.search(json_text)))


def _parse(text: str, content_type: str | None) -> tuple[Any, str | None]:
    """Bolt's parse_body, also returning the JSON text it read (None for a plain form)."""
    if not text:
        return {}, None
    if content_type == "application/json" or text.startswith("{"):
        return json.loads(text), text
    params = dict(parse_qsl(text, keep_blank_values=True))
    if "payload" not in text:
        return params, None
    payload = params.get("payload")
    return (json.loads(payload), payload) if payload is not None else ({}, None)


class ParsedRequest(BoltRequest):
    """A BoltRequest for a body the HTTP layer has already parsed: Bolt's constructor would
    parse it again (percent-decoding a click's whole message is most of the ack's CPU). The
    raw body stays, so Bolt still verifies its signature."""

    def __init__(self, *, raw_body: str, body: dict, query: str | None, headers: dict,
                 context: dict) -> None:  # fmt: skip
        super().__init__(body="", query=query, headers=headers)
        self.raw_body, self.body = raw_body, body
        self.context = build_context(BoltContext(context), body)


def _signed(body: bytes, timestamp: str, signature: str, secret: str) -> bool:
    """Slack's v0 signature over the raw bytes (whatever their encoding)."""
    base = b"v0:" + timestamp.encode() + b":" + body
    expected = "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature)


def build_wsgi_app(
    *,
    bolt_app: App,
    engine: Engine,
    signing_secret: str,
    scrape: Scrape | None = None,
    metrics_token: str | None = None,
    api: ReadApi | None = None,
) -> WSGIApp:
    """The whole HTTP surface: Slack's requests, the health check, the metrics (when given a
    scrape) and the read API (when given one); 404 for the rest."""

    def route(environ: dict) -> tuple[str, Reply]:
        method, path = environ["REQUEST_METHOD"], environ.get("PATH_INFO", "")
        if path == EVENTS_PATH and method == "POST":
            return "events", _slack_request(environ, bolt_app, signing_secret)
        if method == "GET" and _is_install_path(bolt_app, path):
            return "install", _install_request(environ, bolt_app)
        if path == HEALTH_PATH and method in ("GET", "HEAD"):
            return "health", _health(engine)
        if path == METRICS_PATH and method in ("GET", "HEAD") and scrape is not None:
            return "metrics", _metrics(environ, scrape, metrics_token)
        if path == DISCOVERIES_PATH and api is not None:
            return "api", discoveries_reply(environ, api)
        return "other", Reply.json(404, {"error": "not found"})

    def application(environ: dict, start_response: StartResponse) -> Iterable[bytes]:
        name, reply = route(environ)
        count_http_request(name, reply.status)
        start_response(f"{reply.status} {_REASONS.get(reply.status, '')}", _headers(reply))
        return [b"" if environ["REQUEST_METHOD"] == "HEAD" else reply.body]

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
    read = read_slack_body(body, headers)
    if isinstance(read, str):  # 4xx: Slack retries a 5xx, and the same bytes would fail alike
        reference = new_reference()
        log.warning("refused a signed Slack request (ref %s): %s", reference, read)
        return Reply.json(400, {"error": "malformed request", "ref": reference})
    request = ParsedRequest(
        raw_body=read.text, body=read.parsed, query=environ.get("QUERY_STRING"),
        headers=headers, context={} if read.may_hold_surrogate else {SURROGATE_FREE: True},
    )  # fmt: skip
    response = bolt_app.dispatch(request)
    content_type = response.headers.get("content-type", ["application/json"])[0]
    return Reply(response.status, (response.body or "").encode("utf-8"), content_type)


def _is_install_path(bolt_app: App, path: str) -> bool:
    """/slack/install or /slack/oauth_redirect, when workspaces install the app by OAuth."""
    flow = bolt_app.oauth_flow
    return flow is not None and path in (flow.install_path, flow.redirect_uri_path)


def _install_request(environ: dict, bolt_app: App) -> Reply:
    """The install page, or Slack's redirect back to it (Bolt checks the state, trades the code
    for the workspace's token and keeps it), as Bolt's own adapters hand them over."""
    flow = bolt_app.oauth_flow
    assert flow is not None  # _is_install_path checked
    request = BoltRequest(
        body="", query=environ.get("QUERY_STRING"), headers=_request_headers(environ)
    )
    if environ.get("PATH_INFO") == flow.install_path:
        response = flow.handle_installation(request)
    else:
        response = flow.handle_callback(request)
    content_type = response.headers.get("content-type", ["text/html; charset=utf-8"])[0]
    headers = tuple(
        (name.title(), value)
        for name, values in response.headers.items()
        if name.lower() != "content-type"
        for value in values
    )
    body = (response.body or "").encode("utf-8")
    return Reply(response.status, body, content_type, headers)


def _health(engine: Engine) -> Reply:
    """200 when the database answers, 503 when it does not."""
    if database_is_reachable(engine):
        return Reply.json(200, {"status": "ok", "database": "reachable"})
    return Reply.json(503, {"status": "unavailable", "database": "unreachable"})


def _metrics(environ: dict, scrape: Scrape, token: str | None) -> Reply:
    """The Prometheus text format; behind a bearer token when VALUESCOUT_METRICS_TOKEN is set."""
    if token is not None and not bearer_token_matches(environ, token):
        return unauthorized()
    body, content_type = metrics_page(scrape)
    return Reply(200, body, content_type)


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
    length = ("Content-Length", str(len(reply.body)))
    return [("Content-Type", reply.content_type), length, *reply.headers]


_REASONS = {200: "OK", 302: "Found", 400: "Bad Request", 401: "Unauthorized", 404: "Not Found"}
_REASONS |= {405: "Method Not Allowed", 413: "Payload Too Large"}
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
        # A short poll: shutdown() waits for it, and tests start and stop servers often.
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.02,), daemon=True
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
