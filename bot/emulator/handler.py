"""The HTTP side of the emulator: routes, body decoding and JSON answers."""

from __future__ import annotations

import json
import logging
import secrets
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

from bot.emulator.installs import basic_credentials

if TYPE_CHECKING:
    from bot.emulator.server import SlackEmulator

logger = logging.getLogger(__name__)


class EmulatorRequestHandler(BaseHTTPRequestHandler):
    """Routes /api/<method>, /upload/<file_id> and /response_url/<id> to the emulator."""

    server_version = "SlackEmulator/1.0"
    # HTTP/1.1 keeps a connection open for the next call unless the client says close, as
    # Slack does: a client that reuses connections is tested as it runs against Slack.
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes: with Nagle's algorithm on a kept-alive
    # connection the body would wait for the client's delayed ACK (~40 ms a call).
    disable_nagle_algorithm = True
    emulator: SlackEmulator  # set on a per-emulator subclass

    def do_GET(self) -> None:
        """Web API calls with every param in the query string."""
        self._route()

    def do_POST(self) -> None:
        """Web API calls, file uploads and response URL posts."""
        self._route()

    def _route(self) -> None:
        url = urlsplit(self.path)
        kind, _, name = url.path.strip("/").partition("/")
        body = self._read_body()
        try:
            status, headers, answer = self._answer(kind, name, url.query, body)
        except ValueError:
            status, headers, answer = 200, {}, {"ok": False, "error": "invalid_json"}
        self._send(status, headers, answer)

    def _answer(self, kind: str, name: str, query: str, body: bytes) -> tuple[int, dict, Any]:
        if kind == "api" and name:
            params = {**basic_credentials(self.headers.get("Authorization")), **_form(query)}
            params |= self._decode(body)
            token = self._bearer() or params.get("token")
            params.pop("token", None)
            return self.emulator.answer_api(name, params, token)
        if kind == "upload" and name:
            return self.emulator.answer_upload(name, self._file_bytes(body))
        if kind == "oauth" and name == "v2/authorize":
            return self.emulator.answer_authorize(_form(query))
        if kind == "response_url" and name:
            return self.emulator.answer_response_url(name, _json(body))
        return 404, {}, {"ok": False, "error": "not_found"}

    def _read_body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _bearer(self) -> str | None:
        auth = self.headers.get("Authorization") or ""
        return auth[7:].strip() or None if auth.lower().startswith("bearer ") else None

    def _decode(self, body: bytes) -> dict[str, Any]:
        ctype = (self.headers.get("Content-Type") or "").lower()
        if not body:
            return {}
        if ctype.startswith("multipart/form-data"):
            return {k: v.decode("utf-8", "replace") for k, v in self._parts(body).items()}
        if ctype.startswith("application/json"):
            decoded = _json(body)
            return decoded if isinstance(decoded, dict) else {}
        return _form(body.decode("utf-8", "replace"))

    def _file_bytes(self, body: bytes) -> bytes:
        # slack_sdk sends raw bytes; browsers and other clients send multipart.
        ctype = (self.headers.get("Content-Type") or "").lower()
        if ctype.startswith("multipart/form-data"):
            parts = self._parts(body)
            return parts.get("file", next(iter(parts.values()), b""))
        return body

    def _parts(self, body: bytes) -> dict[str, bytes]:
        head = f"Content-Type: {self.headers.get('Content-Type')}\r\n\r\n".encode()
        message = BytesParser(policy=HTTP).parsebytes(head + body)
        parts: dict[str, bytes] = {}
        for part in message.iter_parts():  # type: ignore[attr-defined]
            name = part.get_param("name", header="content-disposition") or ""
            parts[str(name)] = part.get_payload(decode=True) or b""
        return parts

    def _send(self, status: int, headers: dict[str, str], answer: Any) -> None:
        if isinstance(answer, str):
            data, ctype = answer.encode(), "text/plain; charset=utf-8"
        else:
            data, ctype = json.dumps(answer).encode(), "application/json; charset=utf-8"
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("X-Slack-Req-Id", secrets.token_hex(16))
        for key, value in headers.items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        """Log at debug level, without the query string: it may carry a token."""
        logger.debug("emulator %s %s", self.command, urlsplit(self.path).path)


def _form(text: str) -> dict[str, Any]:
    return {k: v[0] for k, v in parse_qs(text, keep_blank_values=True).items()}


def _json(body: bytes) -> Any:
    # UnicodeDecodeError and JSONDecodeError are both ValueErrors: answered as invalid_json.
    return json.loads(body.decode("utf-8")) if body else {}
