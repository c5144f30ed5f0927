"""What each process counts: requests and their ack time, failed deliveries, digest runs,
webhook failures. Under Gunicorn every worker writes its own files and a scrape sums them
(bot/metrics/multiprocess.py)."""

from __future__ import annotations

import functools
import logging
import os
from dataclasses import dataclass

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, values

from bot.metrics.multiprocess import MULTIPROC_VARIABLE

log = logging.getLogger(__name__)

# Slack wants an answer within 3 s: the buckets are finest where an ack should land.
ACK_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0)
# Slack's payload types, by the kind the metrics name them.
KINDS = {
    "event_callback": "event",
    "block_actions": "action",
    "interactive_message": "action",
    "view_submission": "view_submission",
    "view_closed": "view_closed",
    "shortcut": "shortcut",
    "message_action": "shortcut",
    "block_suggestion": "options",
    "dialog_suggestion": "options",
}


# Each counter: its name (Prometheus adds _total), what it counts, its labels.
COUNTERS = {
    "http_requests": (
        "valuescout_http_requests",
        "HTTP requests to the web process, by path and status.",
        ["path", "status"],
    ),
    "deliveries_failed": (
        "valuescout_deliveries_failed",
        "Outbox deliveries that failed, by outbox kind and Slack's error code (each is kept"
        " and retried).",
        ["kind", "error"],
    ),
    "digest_runs": (
        "valuescout_digest_runs",
        "Attempts to send a digest, by kind and outcome.",
        ["kind", "outcome"],
    ),
    "webhook_failures": (
        "valuescout_webhook_failures",
        "Webhook POSTs not answered with a 2xx, by answer (http_4xx, http_5xx, no_answer) and"
        " what followed (retry, given_up).",
        ["answer", "outcome"],
    ),
}


@dataclass(frozen=True)
class Meters:
    """This process's counters and histograms, in a registry of their own."""

    registry: CollectorRegistry
    processes: Gauge
    ack_seconds: Histogram
    http_requests: Counter
    deliveries_failed: Counter
    digest_runs: Counter
    webhook_failures: Counter


def multiprocess_mode() -> bool:
    """Whether several processes share the counters (PROMETHEUS_MULTIPROC_DIR is set)."""
    return bool(os.environ.get(MULTIPROC_VARIABLE))


@functools.cache
def meters() -> Meters:
    """The process's meters, made on first use (never at import time)."""
    if multiprocess_mode() and values.ValueClass is values.MutexValue:
        # prometheus_client picks its value store when first imported, and `valuescout web`
        # sets the folder later (before the fork): pick again, before the first metric.
        values.ValueClass = values.get_value_class()
    registry = CollectorRegistry(auto_describe=True)
    ack = "Seconds from a Slack request to its ack, by kind."
    # livesum: under Gunicorn, the workers alive now (a worker that ends is let go in child_exit).
    processes = Gauge(
        "valuescout_processes", "Processes running the app.", registry=registry,
        multiprocess_mode="livesum",
    )  # fmt: skip
    return Meters(
        registry=registry,
        processes=processes,
        ack_seconds=Histogram(
            "valuescout_slack_ack_seconds", ack, ["kind"], buckets=ACK_BUCKETS, registry=registry
        ),
        http_requests=Counter(*COUNTERS["http_requests"], registry=registry),
        deliveries_failed=Counter(*COUNTERS["deliveries_failed"], registry=registry),
        digest_runs=Counter(*COUNTERS["digest_runs"], registry=registry),
        webhook_failures=Counter(*COUNTERS["webhook_failures"], registry=registry),
    )


def count_process() -> None:
    """This process runs the app (a web worker, the Socket Mode worker, the clock). Best
    effort: a worker that boots while Gunicorn shuts down may find the shared folder gone,
    and metrics must never stop the app from serving."""
    try:
        meters().processes.set(1)
    except OSError as error:
        log.warning("process not counted in the metrics: %s", error)


def request_kind(body: dict) -> str:
    """The kind of a Slack request, from its parsed body."""
    if body.get("command"):
        return "command"
    return KINDS.get(str(body.get("type")), "other")


def observe_ack(kind: str, seconds: float) -> None:
    """One Slack request acked after `seconds`."""
    meters().ack_seconds.labels(kind=kind).observe(seconds)


def count_http_request(path: str, status: int) -> None:
    """One HTTP request answered."""
    meters().http_requests.labels(path=path, status=str(status)).inc()


def count_failed_delivery(kind: str, error: str) -> None:
    """One outbox delivery that failed with `error` (Slack's code, or the exception's name)."""
    meters().deliveries_failed.labels(kind=kind, error=error).inc()


def count_digest_run(kind: str, outcome: str) -> None:
    """One attempt to send a digest and what became of it."""
    meters().digest_runs.labels(kind=kind, outcome=outcome).inc()


def count_webhook_failure(status: int | None, *, given_up: bool) -> None:
    """One webhook POST without a 2xx answer."""
    answer = "no_answer" if status is None else f"http_{status // 100}xx"
    meters().webhook_failures.labels(
        answer=answer, outcome="given_up" if given_up else "retry"
    ).inc()
