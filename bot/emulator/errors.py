"""The error an emulated Web API method raises to answer `ok: false`."""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    """A Slack Web API error: `error` code plus any extra top-level fields."""

    def __init__(self, error: str, **extra: Any) -> None:
        super().__init__(error)
        self.error = error
        self.extra = extra

    def body(self) -> dict[str, Any]:
        """The JSON body Slack answers with (HTTP 200, `ok: false`)."""
        return {"ok": False, "error": self.error, **self.extra}
