"""Delivers queued webhooks: signed per attempt, one discovery's events in order, retried 24 h."""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine
from sqlmodel import Session

from bot.effects.polling import PollingThread
from bot.effects.webhook import (
    GIVE_UP_AFTER,
    WEBHOOK,
    Answer,
    WebhookTarget,
    destination_team,
    encode,
    post_signed,
    retry_delay,
    team_target,
)
from bot.metrics.meters import count_webhook_failure
from storage.engine import session_scope
from storage.models import OutboxMessage
from storage.queries import (
    claim_due_outbox,
    earlier_pending,
    mark_outbox_failed,
    mark_outbox_retry,
    mark_outbox_sent,
    postpone_outbox,
)
from storage.queries.outbox import DEFAULT_LEASE

logger = logging.getLogger(__name__)
ORDER_WAIT = (1.0, 30.0)  # a later event of a discovery looks again within these bounds


class WebhookWorker:
    """Drains webhook rows of the outbox; safe to run in several processes at once. `target`
    is the deployment's; a row for a workspace's own target finds it when it is sent (so a
    changed URL or secret applies to what is still queued)."""

    def __init__(
        self,
        *,
        engine: Engine,
        target: WebhookTarget | None,
        clock: Callable[[], float] = time.time,
        poll_interval: float = 1.0,
        batch_size: int = 10,
        lease: timedelta = DEFAULT_LEASE,
    ) -> None:
        self._engine, self._target, self._clock = engine, target, clock
        self._poll, self._batch, self._lease = poll_interval, batch_size, lease
        self._random = random.Random()
        self._loop = PollingThread("webhook-delivery")

    def drain_once(self) -> int:
        """Send every webhook that is due now; return how many the receiver took."""
        with session_scope(self._engine) as session:
            rows = claim_due_outbox(
                session=session, now=self._now(), limit=self._batch, lease=self._lease,
                kinds=(WEBHOOK,),
            )  # fmt: skip
            jobs = [
                (row.id, row.discovery_id, row.payload["body"], row.created_at,
                 self._target_of(session, row.channel_id))
                for row in rows
            ]  # fmt: skip
        return sum(self._deliver(*job) for job in jobs)

    def _target_of(self, session: Session, channel_id: str) -> WebhookTarget | None:
        """Where a row goes: its workspace's own target, or the deployment's."""
        team = destination_team(channel_id)
        return self._target if team is None else team_target(session=session, team_id=team)

    def start(self) -> None:
        """Drain in a daemon thread until stop(): a slow receiver never holds up Slack posts."""
        self._loop.start(self._run)

    def wake(self) -> None:
        """Drain now rather than at the next poll."""
        self._loop.wake()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop after the current POST; rows it holds are leased, never lost."""
        self._loop.stop(timeout)

    def _run(self) -> None:
        while not self._loop.stopping.is_set():
            self._loop.wakeup.clear()
            try:
                while self.drain_once() and not self._loop.stopping.is_set():
                    pass  # a full batch went out: more may be due
            except Exception:  # the database may be down: keep the thread, try again later
                logger.exception("webhook drain failed; trying again in %.1f s", self._poll)
            self._loop.wakeup.wait(self._poll)

    def _deliver(
        self, message_id: int, discovery_id: int | None, body: dict, created: datetime,
        target: WebhookTarget | None,
    ) -> bool:  # fmt: skip
        """POST one event unless an earlier one of its discovery is still pending; True if taken."""
        if discovery_id is not None and self._wait_for_earlier(message_id, discovery_id):
            return False
        timestamp = int(self._clock())
        answer = (
            post_signed(target, event_id=body["id"], body=encode(body), timestamp=timestamp)
            if target is not None
            else Answer(None, "no webhook target any more: set one, or it is given up in 24 h")
        )
        with session_scope(self._engine) as session:
            if answer.ok:
                mark_outbox_sent(session=session, message_id=message_id, ts=None, channel=None,
                                 now=self._now())  # fmt: skip
                return True
            self._failed(session, message_id, body, answer, created)
        return False

    def _wait_for_earlier(self, message_id: int, discovery_id: int) -> bool:
        """Events of one discovery arrive in order: wait while an earlier one is pending."""
        with session_scope(self._engine) as session:
            due = earlier_pending(
                session=session, kind=WEBHOOK, discovery_id=discovery_id, message_id=message_id
            )
            if due is None:
                return False
            low, high = self._clock() + ORDER_WAIT[0], self._clock() + ORDER_WAIT[1]
            until = min(max(due.timestamp(), low), high)
            postpone_outbox(
                session=session, message_id=message_id, until=datetime.fromtimestamp(until, UTC)
            )
        return True

    def _failed(
        self, session, message_id: int, body: dict, answer: Answer, created: datetime
    ) -> None:
        """Retry with backoff until a day has passed, then keep the row as failed."""
        error = answer.describe()
        given_up = self._now() - created >= GIVE_UP_AFTER
        count_webhook_failure(answer.status, given_up=given_up)
        if given_up:
            logger.error("webhook %s (%s) given up after 24 h: %s", body["id"], body["type"], error)
            mark_outbox_failed(session=session, message_id=message_id, error=error)
            return
        attempts = session.get(OutboxMessage, message_id).attempts
        delay = retry_delay(attempts, answer, self._random.uniform(1.0, 1.25))
        logger.warning(
            "webhook %s (%s) failed: %s; retry in %.0f s", body["id"], body["type"], error, delay
        )
        retry_at = self._now() + timedelta(seconds=delay)
        mark_outbox_retry(session=session, message_id=message_id, error=error, retry_at=retry_at)

    def _now(self) -> datetime:
        return datetime.fromtimestamp(self._clock(), UTC)
