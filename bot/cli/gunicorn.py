"""Serve the WSGI app with Gunicorn (several workers, each with its own app and pool)."""

from __future__ import annotations

from collections.abc import Callable

from gunicorn.app.base import BaseApplication

from bot.metrics.multiprocess import child_exit
from bot.web import WSGIApp


class _Server(BaseApplication):
    """Gunicorn with our options, loading the app in each worker after the fork."""

    def __init__(self, factory: Callable[[], WSGIApp], options: dict[str, object]) -> None:
        self._factory, self._options = factory, options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self._options.items():
            self.cfg.set(key, value)

    def load(self) -> WSGIApp:
        return self._factory()


def serve(
    factory: Callable[[], WSGIApp], *, host: str, port: int, workers: int, threads: int
) -> None:
    """Run Gunicorn in the foreground until SIGTERM; threads let acked work finish beside new requests."""
    options = {
        "bind": f"{host}:{port}",
        "workers": workers,
        "threads": threads,
        "worker_class": "gthread",
        "timeout": 30,
        "graceful_timeout": 20,
        "accesslog": None,  # access lines would add nothing the app does not log
        "errorlog": "-",
        "preload_app": False,
        "child_exit": child_exit,  # the metrics of a worker that ended (bot/metrics/multiprocess.py)
    }
    _Server(factory, options).run()
