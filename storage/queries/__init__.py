"""Keyword-only query functions over the storage models, grouped by area."""

from storage.queries.config import (
    get_setting,
    route_channels,
    seed_route_channels,
    set_route_channel,
    set_setting,
)
from storage.queries.digests import claim_digest_run, mark_digest_failed, mark_digest_sent
from storage.queries.discoveries import ScoutFigures, scout_discoveries, scout_figures
from storage.queries.heartbeats import beat, latest_beat
from storage.queries.outbox import (
    claim_due_outbox,
    enqueue_outbox,
    mark_outbox_failed,
    mark_outbox_retry,
    mark_outbox_sent,
    oldest_pending_outbox,
    pending_outbox_count,
    scrub_error,
)
from storage.queries.requests import record_request_once

__all__ = [
    "ScoutFigures",
    "beat",
    "claim_digest_run",
    "claim_due_outbox",
    "enqueue_outbox",
    "get_setting",
    "latest_beat",
    "mark_digest_failed",
    "mark_digest_sent",
    "mark_outbox_failed",
    "mark_outbox_retry",
    "mark_outbox_sent",
    "oldest_pending_outbox",
    "pending_outbox_count",
    "record_request_once",
    "route_channels",
    "scout_discoveries",
    "scout_figures",
    "scrub_error",
    "seed_route_channels",
    "set_route_channel",
    "set_setting",
]
