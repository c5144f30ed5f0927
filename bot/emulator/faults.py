"""Fault injection: rate limits, server errors, error codes and latency, per method or "*"."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

ANY = "*"


@dataclass
class Fault:
    """What the emulator answers instead of the real result."""

    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class _Rule:
    method: str
    make: Callable[[], Fault | None]
    remaining: int | None  # None: until cleared

    def matches(self, method: str) -> bool:
        return self.remaining != 0 and self.method in (method, ANY)


@dataclass
class _RateLimit:
    method: str
    interval: float
    per: str
    last: dict[str, float] = field(default_factory=dict)


class Faults:
    """Thread-safe switchboard the server consults before answering each API call."""

    def __init__(self, *, clock: Callable[[], float] = time.monotonic) -> None:
        self._lock = threading.Lock()
        self._clock = clock
        self._rules: list[_Rule] = []
        self._delays: list[_Rule] = []
        self._limits: list[_RateLimit] = []

    def rate_limit(self, method: str, retry_after: int = 1, times: int | None = 1) -> None:
        """Answer HTTP 429 with `Retry-After` and `error: ratelimited`."""
        fault = _ratelimited(retry_after)
        self._add(self._rules, _Rule(method, lambda: fault, times))

    def server_error(self, method: str, status: int = 500, times: int | None = 1) -> None:
        """Answer with a 5xx status, as Slack does during an incident."""
        body = {"ok": False, "error": "fatal_error" if status == 500 else "service_unavailable"}
        fault = Fault(status, body)
        self._add(self._rules, _Rule(method, lambda: fault, times))

    def error(self, method: str, error: str, times: int | None = 1) -> None:
        """Answer HTTP 200 with `ok: false` and the given error code."""
        fault = Fault(200, {"ok": False, "error": error})
        self._add(self._rules, _Rule(method, lambda: fault, times))

    def latency(self, method: str, seconds: float, times: int | None = None) -> None:
        """Sleep `seconds` before answering (every time unless `times` is given)."""
        self._add(self._delays, _Rule(method, lambda: Fault(0, {"delay": seconds}), times))

    def limit_rate(self, method: str, per_second: float = 1.0, per: str = "channel") -> None:
        """Answer 429 when calls for the same channel (or `per="method"`) come too fast."""
        with self._lock:
            self._limits.append(_RateLimit(method, 1.0 / per_second, per))

    def clear(self) -> None:
        """Remove every fault; the emulator answers normally again."""
        with self._lock:
            self._rules.clear()
            self._delays.clear()
            self._limits.clear()

    def delay_for(self, method: str) -> float:
        """Seconds to sleep before answering `method`; consumes one latency use."""
        fault = self._take(self._delays, method)
        return float(fault.body["delay"]) if fault else 0.0

    def fault_for(self, method: str, params: dict[str, Any]) -> Fault | None:
        """The fault to answer `method` with, if any; consumes one use of it."""
        return self._take(self._rules, method) or self._rate_limited(method, params)

    def _add(self, rules: list[_Rule], rule: _Rule) -> None:
        with self._lock:
            rules.append(rule)

    def _take(self, rules: list[_Rule], method: str) -> Fault | None:
        with self._lock:
            rule = next((r for r in rules if r.matches(method)), None)
            if rule is None:
                return None
            if rule.remaining is not None:
                rule.remaining -= 1
            return rule.make()

    def _rate_limited(self, method: str, params: dict[str, Any]) -> Fault | None:
        with self._lock:
            now = self._clock()
            for limit in self._limits:
                if limit.method not in (method, ANY):
                    continue
                key = str(params.get("channel", "")) if limit.per == "channel" else method
                wait = limit.interval - (now - limit.last.get(key, -math.inf))
                if wait > 0:
                    return _ratelimited(max(1, math.ceil(wait)))
                limit.last[key] = now
        return None


def _ratelimited(retry_after: int) -> Fault:
    return Fault(429, {"ok": False, "error": "ratelimited"}, {"Retry-After": str(retry_after)})
