"""Gauges of shared state, read from the database when scraped, so every process behind a
load balancer answers the same: what waits in the outbox, and where dialogues ended."""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Iterator
from datetime import datetime

from prometheus_client.core import GaugeMetricFamily, Metric
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from storage.engine import read_scope
from storage.queries.dialogue_counts import dialogues_by_status
from storage.queries.outbox import PARKED, outbox_backlog
from storage.queries.workspaces import installed_teams

log = logging.getLogger(__name__)
DIALOGUE_STATUSES = ("open", "draft", "submitted", "cancelled")


class DatabaseCollector:
    """Reads the outbox and the dialogues at each scrape (two grouped queries)."""

    def __init__(
        self, *, engine: Engine, kinds: Collection[str], clock: Callable[[], datetime],
        oauth: bool = False,
    ) -> None:  # fmt: skip
        self._engine, self._kinds, self._clock = engine, tuple(kinds), clock
        self._oauth = oauth  # installed by OAuth: an uninstalled workspace's rows are parked

    def describe(self) -> list[Metric]:
        """Nothing at registration: a scrape, not the registry, reads the database."""
        return []

    def collect(self) -> Iterator[Metric]:
        """The gauges, and whether the database answered."""
        up = GaugeMetricFamily("valuescout_database_up", "1 when the database answered the scrape.")
        try:
            with read_scope(self._engine) as session:
                installed = installed_teams(session=session) if self._oauth else None
                backlog = outbox_backlog(session=session, installed=installed)
                dialogues = dialogues_by_status(session=session)
        except SQLAlchemyError as error:
            log.warning("metrics: the database did not answer (%s)", type(error).__name__)
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        yield from self._outbox(backlog)
        yield _dialogues(dialogues)

    def _outbox(self, backlog: list[tuple[str, str, int, datetime]]) -> Iterator[Metric]:
        """Depth and oldest age of what waits, and what was given up, per outbox kind."""
        pending = GaugeMetricFamily(
            "valuescout_outbox_pending", "Outbox rows waiting for delivery, by kind.",
            labels=["kind"],
        )  # fmt: skip
        oldest = GaugeMetricFamily(
            "valuescout_outbox_oldest_pending_seconds",
            "Age of the oldest outbox row waiting for delivery, by kind (0: none waits).",
            labels=["kind"],
        )
        failed = GaugeMetricFamily(
            "valuescout_outbox_failed", "Outbox rows kept as failed (not retried), by kind.",
            labels=["kind"],
        )  # fmt: skip
        parked = GaugeMetricFamily(
            "valuescout_outbox_parked",
            "Outbox rows kept for a workspace that uninstalled the app (sent if it installs "
            "again), by kind; not counted as pending.",
            labels=["kind"],
        )
        now = self._clock()
        found = {(kind, status): (count, first) for kind, status, count, first in backlog}
        for kind in sorted({*self._kinds, *(kind for kind, _ in found)}):
            count, first = found.get((kind, "pending"), (0, None))
            pending.add_metric([kind], count)
            oldest.add_metric([kind], max((now - first).total_seconds(), 0.0) if first else 0.0)
            failed.add_metric([kind], found.get((kind, "failed"), (0, None))[0])
            parked.add_metric([kind], found.get((kind, PARKED), (0, None))[0])
        yield from (pending, oldest, failed, parked)


def _dialogues(counts: dict[str, int]) -> Metric:
    gauge = GaugeMetricFamily(
        "valuescout_dialogues",
        "Dialogues by status: submitted ones were completed; cancelled ones and drafts (a day"
        " without an answer) were abandoned.",
        labels=["status"],
    )
    for status in sorted({*DIALOGUE_STATUSES, *counts}):
        gauge.add_metric([status], counts.get(status, 0))
    return gauge
