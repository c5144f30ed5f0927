"""An HTTP reply before it is written, and the bearer-token check of the non-Slack paths."""

from __future__ import annotations

import hmac
import json
from dataclasses import dataclass


@dataclass(frozen=True)
class Reply:
    """An HTTP response before it is written."""

    status: int
    body: bytes = b""
    content_type: str = "application/json"
    headers: tuple[tuple[str, str], ...] = ()

    @classmethod
    def json(cls, status: int, payload: dict, **headers: str) -> Reply:
        """A JSON reply (extra headers as keyword arguments, `_` for `-`)."""
        extra = tuple((name.replace("_", "-"), value) for name, value in headers.items())
        return cls(status, json.dumps(payload).encode(), headers=extra)


def bearer_token_matches(environ: dict, token: str) -> bool:
    """Whether the request says `Authorization: Bearer <token>`, compared in constant time."""
    scheme, _, given = environ.get("HTTP_AUTHORIZATION", "").strip().partition(" ")
    if scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(given.strip().encode(), token.encode())


def unauthorized() -> Reply:
    """401, saying which scheme to use."""
    return Reply.json(401, {"error": "unauthorized"}, WWW_Authenticate='Bearer realm="valuescout"')
