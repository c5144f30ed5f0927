"""A clock tests move by hand, so trigger-id expiry and timestamps need no sleeping."""

from __future__ import annotations

import threading
import time


class ManualClock:
    """Callable like `time.time`; starts at the real time and moves only when told."""

    def __init__(self, start: float | None = None) -> None:
        self._lock = threading.Lock()
        self._now = time.time() if start is None else start

    def __call__(self) -> float:
        with self._lock:
            return self._now

    def advance(self, seconds: float) -> None:
        """Move the clock forward."""
        with self._lock:
            self._now += seconds
