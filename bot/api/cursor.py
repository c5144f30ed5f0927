"""The read API's opaque cursor: the last id of a page and the window it pages through."""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass


class BadParameter(ValueError):
    """A query parameter the API cannot use; the message says why, `name` which it is."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(message)
        self.name = name


@dataclass(frozen=True)
class Cursor:
    """Where the next page starts (after this discovery id), within since/until as given."""

    after: int
    since: str | None = None
    until: str | None = None

    def encode(self) -> str:
        """URL-safe text a client passes back as it is."""
        data = json.dumps([self.after, self.since, self.until], separators=(",", ":"))
        return base64.urlsafe_b64encode(data.encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, text: str) -> Cursor:
        """The cursor a page gave; BadParameter for anything else."""
        try:
            padded = text + "=" * (-len(text) % 4)
            after, since, until = json.loads(base64.urlsafe_b64decode(padded.encode()))
        except (ValueError, TypeError, binascii.Error):
            raise BadParameter("cursor", "cursor is not one this API gave") from None
        if not isinstance(after, int) or isinstance(after, bool) or after < 0:
            raise BadParameter("cursor", "cursor is not one this API gave")
        if not all(value is None or isinstance(value, str) for value in (since, until)):
            raise BadParameter("cursor", "cursor is not one this API gave")
        return cls(after, since, until)
