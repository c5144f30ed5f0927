"""The outbox drain: posts queued cards and receipts to Slack once each, paced, retried, kept."""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Collection
from datetime import UTC, datetime, timedelta, tzinfo
from http.client import HTTPException
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import Engine
from sqlmodel import Session

import prompts
from bot.accounts import alerts
from bot.accounts.radar import RADAR
from bot.dialogue.definition import Definition
from bot.discoveries.blocked import NOTICES, note_blocked, note_delivered
from bot.discoveries.loop import STATUS_REPLY
from bot.discoveries.outbox_jobs import (
    BLOCKED_CHANNEL,
    Gone,
    Job,
    NotReady,
    classify,
    is_rate_limited,
)
from bot.discoveries.outbox_render import OutboxRenderer
from bot.discoveries.service import (
    CARD,
    CARD_UPDATE,
    RECEIPT,
    RECEIPT_UPDATE,
    postpone_outbox,
    record_delivery,
)
from bot.domain.themes import ValueNetwork
from bot.effects.dispatch import dispatch_events
from bot.effects.follow_through import FOLLOW_UP_UPDATE
from bot.effects.polling import PollingThread
from bot.effects.webhook import WEBHOOK, WebhookTarget
from bot.effects.webhook_worker import WebhookWorker
from bot.installs.clients import SingleWorkspace, TeamClients
from bot.metrics.meters import count_failed_delivery
from bot.rendering.text import NO_UNFURL
from bot.slack_client import without_retries
from storage.engine import read_scope, session_scope
from storage.queries import (
    any_due_outbox,
    claim_channel_slot,
    claim_due_outbox,
    mark_outbox_failed,
    mark_outbox_retry,
    paced_channels,
    pause_channel,
    release_channel_slot,
)
from storage.queries.installs import discovery_teams
from storage.queries.outbox import DEFAULT_LEASE

logger = logging.getLogger(__name__)
AdminsOf = Callable[[Session, str], Collection[str]]  # a workspace's admins, read in a session
ZoneOf = Callable[[Session, str], tzinfo]  # a workspace's time zone, read in a session

EVENT_TYPE = "value_scout_outbox"  # message metadata that lets a restarted worker find its posts
HISTORY_WINDOW = 100  # newest messages searched for a post whose recording was lost
# Cards first, then receipts, then the replies threaded under them: claimed together, a
# later kind then finds what it waits for already posted.
ORDER = {CARD: 0, RECEIPT: 1, STATUS_REPLY: 2, CARD_UPDATE: 3, RECEIPT_UPDATE: 3}
ORDER |= dict.fromkeys(NOTICES, 2)
ORDER |= dict.fromkeys((*alerts.KINDS, RADAR), 2)  # they link to the cards: after them
REDRAWS = (CARD_UPDATE, RECEIPT_UPDATE, FOLLOW_UP_UPDATE)  # chat.update of a posted message
# chat.update answers these when the card is gone for good: retrying cannot help.
CARD_GONE = {"message_not_found", "cant_update_message", "channel_not_found", "is_archived"}
# Slack takes about one post a second per channel: the next post to a channel may go this
# long after Slack answered the last (the margin covers clocks and Slack's own measure).
PACING_INTERVAL = 1.1
# How long a channel stays taken by a post in flight at most (a worker that dies mid-call
# never frees it): longer than any call takes to answer or time out.
IN_FLIGHT = timedelta(seconds=30)
# A row of a workspace without a token (uninstalled): kept, and looked at again this often.
PARKED = timedelta(minutes=15)


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
        per_channel_interval: float = PACING_INTERVAL,
        poll_interval: float = 1.0,
        batch_size: int = 10,
        lease: timedelta = DEFAULT_LEASE,
        admins: Collection[str] | AdminsOf = (),
        webhook: WebhookTarget | None = None,
        clients: TeamClients | None = None,
        team_webhooks: bool = False,
        zones: ZoneOf | None = None,
    ) -> None:
        self._engine = engine
        # Who hears that a channel refused a card: the card's workspace's admins.
        self._admins: AdminsOf = admins if callable(admins) else _always(frozenset(admins))
        self._clients = clients or SingleWorkspace(client)
        # Workspaces installed by OAuth may each have their own target (team_webhooks).
        self._default_webhook, self._team_webhooks = webhook is not None, team_webhooks
        self._webhooks = WebhookWorker(
            engine=engine, target=webhook, clock=clock, poll_interval=poll_interval, lease=lease
        ) if webhook or team_webhooks else None  # fmt: skip
        self._renderer = OutboxRenderer(
            engine=engine, client=client, definition=definition, network=network, clock=clock,
            zones=zones,
        )  # fmt: skip
        self._clock, self._poll, self._batch, self._lease = clock, poll_interval, batch_size, lease
        self._interval = timedelta(seconds=per_channel_interval)  # zero: no pacing at all
        self._soonest: float | None = None
        self._random = random.Random()
        self._loop = PollingThread("outbox-delivery")

    # -- running ----------------------------------------------------------------------

    def drain_once(self) -> int:
        """Queue new events' effects, then send everything due now; return how many were sent."""
        sent = self._drain_slack()
        return sent + (self._webhooks.drain_once() if self._webhooks else 0)

    def _drain_slack(self) -> int:
        """Queue new events' effects, then post every Slack message due now."""
        dispatch_events(
            engine=self._engine, now=self._now(), webhook=self._default_webhook,
            team_webhooks=self._team_webhooks,
        )  # fmt: skip
        jobs = self._claim()
        self._soonest = self._clock() if len(jobs) == self._batch else None
        jobs.sort(key=lambda job: ORDER.get(job.kind, 0))
        return sum(self._deliver(job) for job in jobs)

    def start(self) -> None:
        """Drain in a daemon thread until stop(), every poll_interval or when woken."""
        self._loop.start(self._run)
        if self._webhooks:  # in a thread of its own: a slow receiver never delays Slack
            self._webhooks.start()

    def wake(self) -> None:
        """Drain now rather than at the next poll (e.g. right after a submit)."""
        self._loop.wake()
        if self._webhooks:
            self._webhooks.wake()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop the thread after its current message; rows it holds are leased, never lost."""
        self._loop.stop(timeout)
        if self._webhooks:
            self._webhooks.stop(timeout)

    def _run(self) -> None:
        while not self._loop.stopping.is_set():
            self._loop.wakeup.clear()  # before draining: a wake() during the drain is not lost
            try:
                self._drain_slack()
            except Exception:  # the database may be down: keep the thread, try again later
                logger.exception("outbox drain failed; trying again in %.1f s", self._poll)
            pause = self._poll
            if self._soonest is not None:  # a row waits for its channel's slot: go then
                pause = min(pause, max(self._soonest - self._clock(), 0.0))
            self._loop.wakeup.wait(pause)

    # -- one message ------------------------------------------------------------------

    def _claim(self) -> list[Job]:
        """Lease due rows in a short transaction (no Slack call holds a database lock); an
        idle poll only reads, so it never waits for the write lock nor makes steps wait."""
        now = self._now()
        with read_scope(self._engine) as session:
            paced = paced_channels(session=session, now=now) if self._interval else []
            if not any_due_outbox(
                session=session, now=now, skip_channels=paced, skip_kinds=(WEBHOOK,)
            ):
                return []
        with session_scope(self._engine) as session:
            paced = paced_channels(session=session, now=now) if self._interval else []
            rows = claim_due_outbox(
                session=session, now=now, limit=self._batch, lease=self._lease,
                skip_channels=paced, skip_kinds=(WEBHOOK,),
            )  # fmt: skip
            ids = {r.discovery_id for r in rows if r.discovery_id is not None and not r.team_id}
            teams = discovery_teams(session=session, discovery_ids=ids)
            return [
                Job(r.id, r.kind, r.channel_id, r.thread_ts, r.payload, r.attempts, r.created_at,
                    team_id=r.team_id or teams.get(r.discovery_id))  # its own, else its discovery's
                for r in rows
            ]  # fmt: skip

    def _deliver(self, job: Job) -> bool:
        """Send one row with its workspace's client and record the outcome; True if sent."""
        client = self._clients.for_team(job.team_id)
        if client is None:  # uninstalled: the row waits, kept, for a reinstall
            logger.info("outbox %s waits: workspace %s has no token", job.id, job.team_id)
            self._postpone(job, (self._now() + PARKED).timestamp())
            return False
        # Its own retries would post again outside the channel's slot (5xx) or sleep through
        # a 429 that every process must honour: the outbox retries instead, paced. Drawn in the
        # workspace's words (its own copy of prompts/, if it has one).
        with prompts.for_workspace(job.team_id):
            return self._deliver_with(job, client, without_retries(client))

    def _deliver_with(self, job: Job, client: WebClient, posting: WebClient) -> bool:
        try:
            job, message = self._renderer.with_client(client).render(job)
        except Exception as error:
            self._not_sent(job, error)
            return False
        hold = self._now() + IN_FLIGHT
        busy_until = self._take_channel(job.channel_id, hold)
        if busy_until is not None:
            self._postpone(job, busy_until)
            return False
        try:
            ts, channel = self._post(posting, job, message)
        except Exception as error:
            self._free_channel(job.channel_id, hold)
            self._not_sent(job, error)  # after the freeing: a 429's pause outlasts it
            return False
        try:
            self._record(job, ts, channel, hold)  # what Slack shows, the database knows
        except Exception:
            self._free_channel(job.channel_id, hold)  # the channel is not held for IN_FLIGHT
            raise
        return True

    def _not_sent(self, job: Job, error: Exception) -> None:
        """A row that could not go out: wait for its cards, give up, or retry later."""
        if isinstance(error, NotReady):
            self._postpone(job, error.until)
        elif isinstance(error, Gone):
            with session_scope(self._engine) as session:
                reason = str(error) or "discovery deleted"
                mark_outbox_failed(session=session, message_id=job.id, error=reason)
        else:  # Slack, the network, or a bug: one row never blocks the rest
            self._retry_later(job, error)

    def _take_channel(self, channel: str, hold: datetime) -> float | None:
        """None if the channel is ours to post to (until `hold` at most), or when (epoch
        seconds) it is free. Kept in the database, so every process and thread shares it."""
        if not self._interval:
            return None
        with session_scope(self._engine) as session:
            free = claim_channel_slot(
                session=session, channel_id=channel, now=self._now(), hold=hold
            )
        return None if free is None else free.timestamp()

    def _free_channel(self, channel: str, hold: datetime) -> None:
        """Let the channel take its next post (see _release)."""
        if not self._interval:
            return
        with session_scope(self._engine) as session:
            self._release(session, channel, hold)

    def _release(self, session: Session, channel: str, hold: datetime) -> None:
        """Let the channel take its next post one interval after Slack answered this one: it
        received this one by then, so the next arrives at least an interval later, whatever
        the latency or the load of this machine."""
        if self._interval:
            release_channel_slot(
                session=session, channel_id=channel, hold=hold, free_at=self._now() + self._interval
            )

    def _post(self, client: WebClient, job: Job, message: dict[str, Any]) -> tuple[str, str]:
        """Post (or redraw) a rendered row; return (ts, channel)."""
        if job.kind in REDRAWS:
            return self._redraw(client, job, message)
        # A worker that died after Slack took its post but before recording it leaves the row
        # to expire; only rows that old or already failed can have been posted before.
        if job.attempts > 0 or job.created_at <= self._now() - self._lease:
            found = self._look_for_earlier_post(client, job)
            if found is not None:
                logger.info("outbox %s was already posted as %s; recording it", job.id, found[0])
                return found
        metadata = {"event_type": EVENT_TYPE, "event_payload": {"outbox_id": job.id}}
        response = client.chat_postMessage(
            channel=job.channel_id, thread_ts=job.thread_ts, metadata=metadata,
            **(NO_UNFURL | message),
        )  # fmt: skip
        return response["ts"], response["channel"]

    def _redraw(self, client: WebClient, job: Job, message: dict[str, Any]) -> tuple[str, str]:
        """chat.update a posted card or receipt (twice is harmless); one Slack lost is let go."""
        ts = job.payload["ts"]
        try:
            client.chat_update(
                channel=job.channel_id, ts=ts, text=message["text"], blocks=message["blocks"]
            )
        except SlackApiError as error:
            code = error.response.get("error")
            if code in CARD_GONE:
                raise Gone(f"{job.kind} not sent: {code}") from None
            raise
        return ts, job.channel_id

    def _look_for_earlier_post(self, client: WebClient, job: Job) -> tuple[str, str] | None:
        """The earlier post, if any; history Slack won't show (a scope, a private channel)
        must not hold the card back for ever: then it is posted, at worst a second time."""
        try:
            return self._find_posted(client, job)
        except SlackApiError as error:
            code, _delay, permanent = classify(error)
            if not permanent:
                raise
            logger.warning(
                "cannot read %s to look for outbox %s (%s)", job.channel_id, job.id, code
            )
            return None

    def _find_posted(self, client: WebClient, job: Job) -> tuple[str, str] | None:
        """Our earlier post of this row, found by its metadata among recent messages."""
        channel = job.channel_id
        if channel[:1] in ("U", "W"):  # posted to a user id: history needs the DM's id
            channel = client.conversations_open(users=channel)["channel"]["id"]
        query = {"channel": channel, "limit": HISTORY_WINDOW, "include_all_metadata": True}
        if job.thread_ts:
            response = client.conversations_replies(ts=job.thread_ts, **query)
        else:
            response = client.conversations_history(**query)
        for message in response.get("messages") or []:
            metadata = message.get("metadata") or {}
            outbox_id = (metadata.get("event_payload") or {}).get("outbox_id")
            if metadata.get("event_type") == EVENT_TYPE and str(outbox_id) == str(job.id):
                return message["ts"], channel
        return None

    # -- recording --------------------------------------------------------------------

    def _record(self, job: Job, ts: str, channel: str, hold: datetime) -> None:
        """Mark the row sent (and the card's ts on its route) and free its channel, in one
        short transaction: on SQLite every transaction here waits for the write lock."""
        with session_scope(self._engine) as session:
            recorded = record_delivery(
                session=session, message_id=job.id, payload=job.payload, ts=ts, channel=channel,
                now=self._now(),
            )  # fmt: skip
            if recorded and job.kind == CARD:  # one that waited on its channel: say it is there
                note_delivered(
                    session=session, discovery_id=job.discovery_id, route=job.payload["route"],
                    channel_id=channel, now=self._now(),
                )  # fmt: skip
            self._release(session, job.channel_id, hold)
        if not recorded:
            logger.warning("outbox %s was already marked sent (now also %s)", job.id, ts)

    def _postpone(self, job: Job, until: float) -> None:
        """Move a row's next attempt without counting a failure (pacing, waiting receipts)."""
        with session_scope(self._engine) as session:
            postpone_outbox(
                session=session, message_id=job.id, until=datetime.fromtimestamp(until, UTC)
            )
        self._soonest = until if self._soonest is None else min(self._soonest, until)

    def _retry_later(self, job: Job, error: Exception) -> None:
        """Keep a failed row pending until its backoff ends; never dropped, always visible."""
        code, delay, permanent = classify(error, job.attempts, self._random)
        count_failed_delivery(job.kind, code)
        blocked = job.kind == CARD and code in BLOCKED_CHANNEL  # people are told: no ERROR
        logger.log(
            logging.ERROR if permanent and not blocked else logging.WARNING,
            "outbox %s (%s of discovery %s to %s) failed with %s; kept pending, retry in %.0f s",
            *(job.id, job.kind, job.payload.get("discovery_id"), job.channel_id, code, delay),
            exc_info=not isinstance(error, (SlackApiError, OSError, HTTPException)),  # a bug
        )
        with session_scope(self._engine) as session:
            retry_at = self._now() + timedelta(seconds=delay)
            mark_outbox_retry(session=session, message_id=job.id, error=code, retry_at=retry_at)
            if self._interval and is_rate_limited(error):  # the channel waits, in every process
                pause_channel(session=session, channel_id=job.channel_id, until=retry_at)
            if blocked:
                note_blocked(
                    session=session, discovery_id=job.discovery_id, route=job.payload["route"],
                    channel_id=job.channel_id, error=code, admins=self._admins(session, job.team_id or ""), now=self._now(),
                )  # fmt: skip

    def _now(self) -> datetime:
        return datetime.fromtimestamp(self._clock(), UTC)


def _always(admins: frozenset[str]) -> AdminsOf:
    """The same admins in every workspace (one workspace, or a test's)."""
    return lambda _session, _team: admins
