"""Counters summed over Gunicorn's workers: each writes its values to files in one folder
(PROMETHEUS_MULTIPROC_DIR), and a scrape in any worker reads them all.

`valuescout web` sets the folder up in the master, before Gunicorn forks the workers; each
worker's first metric then goes to a file there (bot.metrics.meters.meters)."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

MULTIPROC_VARIABLE = "PROMETHEUS_MULTIPROC_DIR"


@contextlib.contextmanager
def shared_metrics_dir() -> Iterator[Path]:
    """The folder of the workers' values: the one PROMETHEUS_MULTIPROC_DIR names, emptied
    (values of an earlier run would be counted again), or a temporary one, removed after."""
    named = os.environ.get(MULTIPROC_VARIABLE)
    if named:
        folder = Path(named)
        folder.mkdir(parents=True, exist_ok=True)
        for stale in folder.glob("*.db"):
            stale.unlink()
        yield folder
        return
    folder = Path(tempfile.mkdtemp(prefix="valuescout-metrics-"))
    os.environ[MULTIPROC_VARIABLE] = str(folder)
    try:
        yield folder
    finally:
        os.environ.pop(MULTIPROC_VARIABLE, None)
        shutil.rmtree(folder, ignore_errors=True)


def child_exit(server: object, worker: object) -> None:
    """Gunicorn's hook when a worker ends: its live gauges no longer count (its counters do)."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)  # type: ignore[attr-defined]
