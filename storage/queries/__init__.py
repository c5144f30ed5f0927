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
from storage.queries.events import (
    any_undispatched_events,
    claim_undispatched_events,
    mark_event_dispatched,
    mark_event_retry,
    record_event,
)
from storage.queries.heartbeats import beat, latest_beat
from storage.queries.outbox import (
    any_due_outbox,
    claim_due_outbox,
    earlier_pending,
    enqueue_outbox,
    mark_outbox_failed,
    mark_outbox_retry,
    mark_outbox_sent,
    oldest_pending_outbox,
    pending_outbox_count,
    postpone_outbox,
    scrub_error,
)
from storage.queries.pacing import (
    claim_channel_slot,
    paced_channels,
    pause_channel,
    release_channel_slot,
)
from storage.queries.requests import record_request_once

__all__ = [
    "ScoutFigures",
    "any_due_outbox",
    "any_undispatched_events",
    "beat",
    "claim_channel_slot",
    "claim_digest_run",
    "claim_due_outbox",
    "claim_undispatched_events",
    "earlier_pending",
    "enqueue_outbox",
    "get_setting",
    "latest_beat",
    "mark_digest_failed",
    "mark_digest_sent",
    "mark_event_dispatched",
    "mark_event_retry",
    "mark_outbox_failed",
    "mark_outbox_retry",
    "mark_outbox_sent",
    "oldest_pending_outbox",
    "paced_channels",
    "pause_channel",
    "pending_outbox_count",
    "postpone_outbox",
    "record_event",
    "record_request_once",
    "release_channel_slot",
    "route_channels",
    "scout_discoveries",
    "scout_figures",
    "scrub_error",
    "seed_route_channels",
    "set_route_channel",
    "set_setting",
]
