"""The outbox drain: posts queued cards and receipts to Slack once each, paced, retried, kept."""

from __future__ import annotations

import logging
import math
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from http.client import HTTPException
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import Engine

from bot.dialogue.definition import Definition
from bot.discoveries.loop import STATUS_REPLY, load_cards, load_status_reply
from bot.discoveries.service import (
    CARD,
    CARD_UPDATE,
    RECEIPT,
    load_receipt,
    postpone_outbox,
    record_delivery,
)
from bot.discoveries.similar import find_related
from bot.discoveries.themes import ValueNetwork
from bot.rendering.cards import discovery_card, receipt_message
from bot.rendering.status import status_reply_message
from storage.engine import session_scope
from storage.models import DiscoveryRoute
from storage.queries import claim_due_outbox, mark_outbox_failed, mark_outbox_retry
from storage.queries.outbox import DEFAULT_LEASE

logger = logging.getLogger(__name__)

EVENT_TYPE = "value_scout_outbox"  # message metadata that lets a restarted worker find its posts
HISTORY_WINDOW = 100  # newest messages searched for a post whose recording was lost
BACKOFF_BASE, BACKOFF_CAP = 2.0, 900.0  # seconds: 2, 4, 8 … 15 minutes
PERMANENT_DELAY = 900.0  # channel gone, bot not invited…: an admin can fix it, so keep trying
RECEIPT_WAIT = (2.0, 60.0)  # a receipt waiting for its cards looks again within these bounds
# Cards first, then receipts, then the replies threaded under them: claimed together, a
# later kind then finds what it waits for already posted.
ORDER = {CARD: 0, RECEIPT: 1, STATUS_REPLY: 2, CARD_UPDATE: 3}
# chat.update answers these when the card is gone for good: retrying cannot help.
CARD_GONE = {"message_not_found", "cant_update_message", "channel_not_found", "is_archived"}
TRANSIENT_CODES = {"internal_error", "fatal_error", "service_unavailable", "request_timeout"}


@dataclass(frozen=True)
class _Job:
    """A claimed outbox row, detached from its session."""

    id: int
    kind: str
    channel_id: str
    thread_ts: str | None
    payload: dict[str, Any]
    attempts: int
    created_at: datetime

    @property
    def discovery_id(self) -> int:
        return int(self.payload["discovery_id"])


class _NotReady(Exception):
    """A receipt whose cards are not all posted yet: look again at `until` (epoch seconds)."""

    def __init__(self, until: float) -> None:
        super().__init__(until)
        self.until = until


class _Gone(Exception):
    """The discovery was deleted: there is nothing left to post."""


class DeliveryWorker:
    """Drains the outbox into Slack; safe to run in several processes at once."""

    def __init__(
        self,
        *,
        engine: Engine,
        client: WebClient,
        definition: Definition,
        network: ValueNetwork | None = None,
        clock: Callable[[], float] = time.time,
        per_channel_interval: float = 1.0,
        poll_interval: float = 1.0,
        batch_size: int = 10,
        lease: timedelta = DEFAULT_LEASE,
    ) -> None:
        self._engine, self._client, self._definition = engine, client, definition
        self._network = network
        self._clock, self._interval, self._poll = clock, per_channel_interval, poll_interval
        self._batch, self._lease = batch_size, lease
        self._next_free: dict[str, float] = {}  # channel → when it may take the next post
        self._soonest: float | None = None
        self._random = random.Random()
        self._wakeup, self._stopping = threading.Event(), threading.Event()
        self._thread: threading.Thread | None = None

    # -- running ----------------------------------------------------------------------

    def drain_once(self) -> int:
        """Post every message that is due now; return how many were sent."""
        jobs = self._claim()
        self._soonest = self._clock() if len(jobs) == self._batch else None
        jobs.sort(key=lambda job: ORDER.get(job.kind, 0))
        reserved: dict[str, float] = {}
        return sum(self._deliver(job, reserved) for job in jobs)

    def start(self) -> None:
        """Drain in a daemon thread until stop(), every poll_interval or when woken."""
        if self._thread is not None and self._thread.is_alive():
            return
        self._stopping.clear()
        self._thread = threading.Thread(target=self._run, name="outbox-delivery", daemon=True)
        self._thread.start()

    def wake(self) -> None:
        """Drain now rather than at the next poll (e.g. right after a submit)."""
        self._wakeup.set()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop the thread after its current message; rows it holds are leased, never lost."""
        self._stopping.set()
        self._wakeup.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _run(self) -> None:
        while not self._stopping.is_set():
            self._wakeup.clear()  # before draining: a wake() during the drain is not lost
            try:
                self.drain_once()
            except Exception:  # the database may be down: keep the thread, try again later
                logger.exception("outbox drain failed; trying again in %.1f s", self._poll)
            pause = self._poll
            if self._soonest is not None:
                pause = min(pause, max(self._soonest - self._clock(), 0.0))
            paced = [free for free in self._next_free.values() if free > self._clock()]
            if paced:  # a channel frees up before the next poll: its rows go out then
                pause = min(pause, max(min(paced) - self._clock(), 0.0))
            self._wakeup.wait(pause)

    # -- one message ------------------------------------------------------------------

    def _claim(self) -> list[_Job]:
        """Lease due rows in a short transaction (no Slack call holds a database lock)."""
        with session_scope(self._engine) as session:
            rows = claim_due_outbox(
                session=session, now=self._now(), limit=self._batch, lease=self._lease,
                skip_channels=self._paced_channels(),
            )  # fmt: skip
            return [
                _Job(r.id, r.kind, r.channel_id, r.thread_ts, r.payload, r.attempts, r.created_at)
                for r in rows
            ]

    def _deliver(self, job: _Job, reserved: dict[str, float]) -> bool:
        """Send one row and record the outcome; True if it was sent."""
        slot = self._pace(job.channel_id, reserved)
        if slot is not None:
            self._postpone(job, slot)
            return False
        try:
            ts, channel = self._send(job)
        except _NotReady as waiting:
            self._postpone(job, waiting.until)
            return False
        except _Gone as gone:
            with session_scope(self._engine) as session:
                reason = str(gone) or "discovery deleted"
                mark_outbox_failed(session=session, message_id=job.id, error=reason)
            return False
        except Exception as error:  # Slack, the network, or a bug: one row never blocks the rest
            self._retry_later(job, error)
            return False
        self._next_free[job.channel_id] = self._clock() + self._interval
        self._record(job, ts, channel)
        return True

    def _paced_channels(self) -> list[str]:
        """Channels that had a post less than the interval ago: their rows can wait unclaimed."""
        now = self._clock()
        return [channel for channel, free in self._next_free.items() if free > now]

    def _pace(self, channel: str, reserved: dict[str, float]) -> float | None:
        """None to post now, or the slot (epoch seconds) this channel's next post must wait for."""
        free = max(self._next_free.get(channel, -math.inf), reserved.get(channel, -math.inf))
        if free <= self._clock():
            return None
        reserved[channel] = free + self._interval  # the next row for it takes the slot after
        return free

    def _send(self, job: _Job) -> tuple[str, str]:
        """Post the row's message, unless an earlier attempt did; return (ts, channel)."""
        job, message = self._render(job)
        if job.kind == CARD_UPDATE:
            return self._redraw(job, message)
        # A worker that died after Slack took its post but before recording it leaves the row
        # to expire; only rows that old or already failed can have been posted before.
        if job.attempts > 0 or job.created_at <= self._now() - self._lease:
            found = self._look_for_earlier_post(job)
            if found is not None:
                logger.info("outbox %s was already posted as %s; recording it", job.id, found[0])
                return found
        metadata = {"event_type": EVENT_TYPE, "event_payload": {"outbox_id": job.id}}
        response = self._client.chat_postMessage(
            channel=job.channel_id, thread_ts=job.thread_ts, metadata=metadata, **message
        )
        return response["ts"], response["channel"]

    def _redraw(self, job: _Job, message: dict[str, Any]) -> tuple[str, str]:
        """chat.update a posted card (doing it twice is harmless); a card Slack lost is let go."""
        ts = job.payload["ts"]
        try:
            self._client.chat_update(
                channel=job.channel_id, ts=ts, text=message["text"], blocks=message["blocks"]
            )
        except SlackApiError as error:
            code = error.response.get("error")
            if code in CARD_GONE:
                raise _Gone(f"card not updated: {code}") from None
            raise
        return ts, job.channel_id

    def _render(self, job: _Job) -> tuple[_Job, dict[str, Any]]:
        """The message as the database has it now (edits and status changes included)."""
        if job.kind == RECEIPT:
            return job, self._receipt(job)
        if job.kind == STATUS_REPLY:
            return self._status_reply(job)
        with session_scope(self._engine) as session:
            found = load_cards(session=session, discovery_id=job.discovery_id)
            # Same short read: the related facts match the discovery as loaded.
            now = self._now()
            related = find_related(session=session, discovery=found[0], now=now) if found else None
        route = found and next((r for r in found[1] if r.route == job.payload["route"]), None)
        if found is None or route is None:
            raise _Gone
        discovery, routes, history = found
        card = discovery_card(
            discovery=discovery, route=route, definition=self._definition, network=self._network,
            history=history, related=related, routes=routes,
        )  # fmt: skip
        return job, card

    def _status_reply(self, job: _Job) -> tuple[_Job, dict[str, Any]]:
        """A status change for the scout, threaded under the receipt once that is posted."""
        with session_scope(self._engine) as session:
            state = load_status_reply(
                session=session, discovery_id=job.discovery_id,
                change_id=int(job.payload["status_change_id"]), message_id=job.id,
            )  # fmt: skip
        if state is None:
            raise _Gone
        # Replies keep their order in the thread: each waits for the receipt and earlier ones.
        waiting_since = state.earlier_due_at
        if waiting_since is None and state.thread is None and state.receipt_pending:
            waiting_since = datetime.fromtimestamp(self._clock(), UTC)
        if waiting_since is not None:
            low, high = self._clock() + RECEIPT_WAIT[0], self._clock() + RECEIPT_WAIT[1]
            raise _NotReady(min(max(waiting_since.timestamp(), low), high))
        if state.thread is not None:  # without a receipt (it failed for good) it goes unthreaded
            job = replace(job, channel_id=state.thread[0], thread_ts=state.thread[1])
        message = status_reply_message(
            change=state.change, channel_id=job.payload["channel_id"],
            to_channel_id=job.payload.get("to_channel_id"),
        )  # fmt: skip
        return job, message

    def _receipt(self, job: _Job) -> dict[str, Any]:
        """The scout's receipt, once every card of the discovery is posted."""
        with session_scope(self._engine) as session:
            state = load_receipt(session=session, discovery_id=job.discovery_id)
        if state is None:
            raise _Gone
        if state.cards_due_at is not None:
            low, high = self._clock() + RECEIPT_WAIT[0], self._clock() + RECEIPT_WAIT[1]
            raise _NotReady(min(max(state.cards_due_at.timestamp(), low), high))
        posts = [(r.route.value, r.channel_id, self._permalink(r)) for r in state.routes]
        return receipt_message(discovery=state.discovery, posts=posts)

    def _permalink(self, route: DiscoveryRoute) -> str | None:
        """A link to a posted card; None (no link) when Slack refuses for good."""
        if not route.message_ts:
            return None
        try:
            response = self._client.chat_getPermalink(
                channel=route.channel_id, message_ts=route.message_ts
            )
        except SlackApiError as error:
            code, _delay, permanent = _classify(error)
            if not permanent:
                raise  # worth retrying the receipt: a link is better than none
            logger.warning("no permalink for %s in %s: %s", route.route, route.channel_id, code)
            return None
        return response["permalink"]

    def _look_for_earlier_post(self, job: _Job) -> tuple[str, str] | None:
        """The earlier post, if any; history Slack won't show (a scope, a private channel)
        must not hold the card back for ever: then it is posted, at worst a second time."""
        try:
            return self._find_posted(job)
        except SlackApiError as error:
            code, _delay, permanent = _classify(error)
            if not permanent:
                raise
            logger.warning(
                "cannot read %s to look for outbox %s (%s)", job.channel_id, job.id, code
            )
            return None

    def _find_posted(self, job: _Job) -> tuple[str, str] | None:
        """Our earlier post of this row, found by its metadata among recent messages."""
        channel = job.channel_id
        if channel[:1] in ("U", "W"):  # posted to a user id: history needs the DM's id
            channel = self._client.conversations_open(users=channel)["channel"]["id"]
        query = {"channel": channel, "limit": HISTORY_WINDOW, "include_all_metadata": True}
        if job.thread_ts:
            response = self._client.conversations_replies(ts=job.thread_ts, **query)
        else:
            response = self._client.conversations_history(**query)
        for message in response.get("messages") or []:
            metadata = message.get("metadata") or {}
            outbox_id = (metadata.get("event_payload") or {}).get("outbox_id")
            if metadata.get("event_type") == EVENT_TYPE and str(outbox_id) == str(job.id):
                return message["ts"], channel
        return None

    # -- recording --------------------------------------------------------------------

    def _record(self, job: _Job, ts: str, channel: str) -> None:
        """Mark the row sent (and the card's ts on its route) in one short transaction."""
        with session_scope(self._engine) as session:
            recorded = record_delivery(
                session=session,
                message_id=job.id,
                payload=job.payload,
                ts=ts,
                channel=channel,
                now=self._now(),
            )
        if not recorded:
            logger.warning("outbox %s was already marked sent (now also %s)", job.id, ts)

    def _postpone(self, job: _Job, until: float) -> None:
        """Move a row's next attempt without counting a failure (pacing, waiting receipts)."""
        with session_scope(self._engine) as session:
            postpone_outbox(
                session=session, message_id=job.id, until=datetime.fromtimestamp(until, UTC)
            )
        self._soonest = until if self._soonest is None else min(self._soonest, until)

    def _retry_later(self, job: _Job, error: Exception) -> None:
        """Keep a failed row pending until its backoff ends; never dropped, always visible."""
        code, delay, permanent = _classify(error, job.attempts, self._random)
        logger.log(
            logging.ERROR if permanent else logging.WARNING,
            "outbox %s (%s of discovery %s to %s) failed with %s; kept pending, retry in %.0f s",
            *(job.id, job.kind, job.payload.get("discovery_id"), job.channel_id, code, delay),
            exc_info=not isinstance(error, (SlackApiError, OSError, HTTPException)),  # a bug
        )
        with session_scope(self._engine) as session:
            retry_at = self._now() + timedelta(seconds=delay)
            mark_outbox_retry(session=session, message_id=job.id, error=code, retry_at=retry_at)

    def _now(self) -> datetime:
        return datetime.fromtimestamp(self._clock(), UTC)


def _classify(
    error: Exception, attempts: int = 0, rng: random.Random | None = None
) -> tuple[str, float, bool]:
    """(error code, seconds to wait, whether retrying soon is pointless) for a failed call."""
    jitter = (rng or random).uniform(1.0, 1.25)  # spreads the retries of many rows and workers
    backoff = min(BACKOFF_CAP, BACKOFF_BASE * 2 ** min(attempts, 20) * jitter)
    if isinstance(error, (OSError, HTTPException)):  # timeouts, refused or reset connections
        return type(error).__name__, backoff, False
    if not isinstance(error, SlackApiError):  # a bug: retrying soon would fail the same way
        return type(error).__name__, PERMANENT_DELAY, True
    status = error.response.status_code
    code = str(error.response.get("error") or f"http_{status}")
    if status == 429 or code == "ratelimited":
        return code, _retry_after(error.response.headers), False
    if status >= 500 or code in TRANSIENT_CODES:
        return code, backoff, False
    return code, PERMANENT_DELAY, True


def _retry_after(headers: dict[str, Any]) -> float:
    """Seconds from a Retry-After header (1 when absent or unreadable)."""
    value = next((v for k, v in (headers or {}).items() if k.lower() == "retry-after"), None)
    try:
        return max(float(value), 0.0)
    except (TypeError, ValueError):
        return 1.0
