"""A record of every Web API call the emulator answered, with waiting for calls to arrive."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.emulator.clone import clone


@dataclass(frozen=True)
class Call:
    """One answered call: params never include the token."""

    method: str
    params: dict[str, Any]
    status: int
    response: dict[str, Any]
    at: float

    @property
    def ok(self) -> bool:
        """Whether Slack would have answered `ok: true`."""
        return self.status == 200 and bool(self.response.get("ok"))

    def summary(self) -> str:
        """`method(channel=…) -> ok|error` for failure messages."""
        where = self.params.get("channel") or self.params.get("channel_id") or ""
        outcome = "ok" if self.ok else self.response.get("error", self.status)
        return f"{self.method}({where}) -> {outcome}"


class CallLog:
    """Thread-safe list of calls; `wait_for` blocks on a condition variable."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._calls: list[Call] = []

    def record(self, call: Call) -> None:
        """Append a call and wake every waiter."""
        with self._cond:
            self._calls.append(call)
            self._cond.notify_all()

    def all(self) -> list[Call]:
        """A copy of every call so far, oldest first."""
        with self._cond:
            return list(self._calls)

    def to(self, method: str) -> list[Call]:
        """Calls to one method, oldest first."""
        return [c for c in self.all() if c.method == method]

    def reset(self) -> None:
        """Forget every call recorded so far."""
        with self._cond:
            self._calls.clear()

    def wait_for(
        self,
        method: str,
        predicate: Callable[[Call], bool] | None = None,
        timeout: float = 5.0,
    ) -> Call:
        """The first call to `method` matching `predicate`, waiting up to `timeout` seconds."""
        deadline = time.monotonic() + timeout

        def found() -> Call | None:
            return next(
                (c for c in self._calls if c.method == method and (not predicate or predicate(c))),
                None,
            )

        with self._cond:
            while (call := found()) is None:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise CallTimeout(method, timeout, list(self._calls))
                self._cond.wait(left)
            return call


class CallTimeout(AssertionError):
    """No matching call arrived in time; the message lists what was called instead."""

    def __init__(self, method: str, timeout: float, calls: list[Call]) -> None:
        made = "\n  ".join(c.summary() for c in calls) or "(no calls at all)"
        super().__init__(f"no matching {method} call within {timeout}s; calls made:\n  {made}")


def redact(params: dict[str, Any]) -> dict[str, Any]:
    """A deep copy of params without the token, safe to keep and print."""
    return {k: clone(v) for k, v in params.items() if k != "token"}
