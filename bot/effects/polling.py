"""The thread a delivery worker drains in: started once, woken early, stopped cleanly."""

from __future__ import annotations

import threading
from collections.abc import Callable


class PollingThread:
    """A daemon thread running `target` until stop(); `target` waits on `wakeup` between
    drains and checks `stopping`, so a wake() or stop() never waits out a whole poll."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.wakeup, self.stopping = threading.Event(), threading.Event()
        self._thread: threading.Thread | None = None

    def start(self, target: Callable[[], None]) -> None:
        """Start the thread, unless it runs already."""
        if self._thread is not None and self._thread.is_alive():
            return
        self.stopping.clear()
        self._thread = threading.Thread(target=target, name=self.name, daemon=True)
        self._thread.start()

    def wake(self) -> None:
        """Drain now rather than at the next poll."""
        self.wakeup.set()

    def stop(self, timeout: float) -> None:
        """Ask the thread to stop and wait for it (after its current message)."""
        self.stopping.set()
        self.wakeup.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
