"""What a scrape shows (this process's meters, or every worker's, and the database's
gauges) on the web process's /metrics or on a port of its own in the other processes."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from wsgiref.simple_server import WSGIServer

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest, start_http_server
from prometheus_client.core import Metric
from prometheus_client.multiprocess import MultiProcessCollector

from bot.metrics.database import DatabaseCollector
from bot.metrics.meters import meters, multiprocess_mode


class Scrape:
    """A collector of everything /metrics shows."""

    def __init__(self, *, database: DatabaseCollector | None = None) -> None:
        self._database = database

    def collect(self) -> Iterator[Metric]:
        """The meters (summed over every worker's files under Gunicorn), then the gauges."""
        source = MultiProcessCollector(None) if multiprocess_mode() else meters().registry
        yield from source.collect()
        if self._database is not None:
            yield from self._database.collect()


def metrics_page(scrape: Scrape) -> tuple[bytes, str]:
    """The Prometheus text format of a scrape, and its content type."""
    return generate_latest(scrape), CONTENT_TYPE_LATEST


class MetricsPort:
    """The scrape on a port of its own (the Socket Mode worker, the clock)."""

    def __init__(self, scrape: Scrape, *, port: int, host: str = "0.0.0.0") -> None:
        self._server: WSGIServer
        self._thread: threading.Thread
        self._server, self._thread = start_http_server(port, addr=host, registry=scrape)

    @property
    def port(self) -> int:
        """The port it listens on (the one asked for, or the one given for port 0)."""
        return self._server.server_address[1]

    def stop(self) -> None:
        """Stop serving and close the socket."""
        self._server.shutdown()
        self._server.server_close()
