"""Send one digest exactly once: claim its run, post the parent and its thread, upload the chart.

A run's progress (the channel, the parent's ts, how many thread parts, the chart) is saved
after every post, so a run resumed after a crash or a Slack error carries on where it
stopped and never posts anything twice. The claim's time is its lease: each save renews
it, and a sender that finds it taken over (its claim had gone stale) stops at once.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from http.client import HTTPException
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackClientError
from sqlalchemy import Engine

from bot.digests.model import Digest, DigestKind, Message
from bot.rendering.text import NO_UNFURL
from storage.engine import session_scope
from storage.enums import DigestRunStatus
from storage.queries.digests import (
    claim_digest_run,
    digest_run,
    mark_digest_failed,
    mark_digest_sent,
    record_digest_progress,
)

log = logging.getLogger(__name__)
# Slack refused, or the network failed: the run is given back and retried later.
SEND_ERRORS = (SlackClientError, OSError, HTTPException)


class Outcome(StrEnum):
    """What became of one attempt to send a digest."""

    SENT = "sent"
    ALREADY_SENT = "already sent"
    BUSY = "being sent by another process"
    FAILED = "failed, will be retried"


class _LeaseLost(Exception):
    """Another sender took the run over (ours had looked stale): stop posting."""


@dataclass
class _Run:
    """A claimed run: its key, the lease we hold and how far sending got."""

    digest: str
    channel_id: str
    period: str
    lease: datetime
    progress: dict[str, Any]
    now: datetime
    team_id: str = ""  # the workspace whose run it is ("": single-workspace mode's)
    started: float = field(default_factory=time.monotonic)

    @property
    def key(self) -> dict[str, str]:
        """What names the run in the log: the digest, its channel and its period."""
        return {"digest": self.digest, "channel_id": self.channel_id, "period": self.period}

    @property
    def row(self) -> dict[str, str]:
        """The run's row: its key in its workspace."""
        return {**self.key, "team_id": self.team_id}

    def clock(self) -> datetime:
        """The time on the caller's clock: `now` plus what has passed since."""
        return self.now + timedelta(seconds=time.monotonic() - self.started)


def forced_period(period: str, now: datetime) -> str:
    """The run key of a forced send: the week plus the moment, e.g. '2026-W47+20261116T090000'."""
    # A forced send is a run of its own: the scheduled run stays as it was (sent or not),
    # and the forced one is exactly-once too (the same command retried in the same second
    # sends once). Resetting the scheduled run instead would race the scheduler.
    return f"{period}+{now:%Y%m%dT%H%M%S}"


def send_digest(
    *, engine: Engine, client: WebClient, digest: Digest, now: datetime, force: bool = False,
    team_id: str = "",
) -> Outcome:
    """Send a digest once per name, channel, period and workspace; `force` sends it again, as
    its own run."""
    period = forced_period(digest.period, now) if force else digest.period
    run = _claim(engine, digest, period, now, team_id)
    if isinstance(run, Outcome):
        return run
    try:
        channel, parent_ts = _post_text(engine, client, digest, run)
        _post_chart(engine, client, digest, run, channel=channel, parent_ts=parent_ts)
    except _LeaseLost:
        log.warning("digest %s for %s (%s) was taken over by another sender", *run.key.values())
        return Outcome.BUSY
    except SEND_ERRORS as error:
        with session_scope(engine) as session:
            mark_digest_failed(session=session, lease=run.lease, **run.row)
        log.error("digest %s for %s (%s) failed: %s", *run.key.values(), _reason(error))
        return Outcome.FAILED
    return _finish(engine, run)


def _claim(
    engine: Engine, digest: Digest, period: str, now: datetime, team_id: str
) -> _Run | Outcome:
    """Claim the run (new, failed or stale), or say why not."""
    key = {"digest": digest.name, "channel_id": digest.channel_id, "period": period,
           "team_id": team_id}  # fmt: skip
    with session_scope(engine) as session:
        claimed = claim_digest_run(session=session, now=now, **key)
        row = digest_run(session=session, **key)
    if not claimed or row is None:
        sent = row is not None and row.status == DigestRunStatus.SENT
        return Outcome.ALREADY_SENT if sent else Outcome.BUSY
    return _Run(lease=row.claimed_at, progress=dict(row.progress or {}), now=now, **key)


def _post_text(engine: Engine, client: WebClient, digest: Digest, run: _Run) -> tuple[str, str]:
    """Post what is not posted yet: the parent, then each thread part in its thread."""
    channel = run.progress.get("channel") or _open_channel(client, digest)
    if "parent_ts" not in run.progress:
        parent_ts = _post(client, channel, digest.parent)
        _save(engine, run, channel=channel, parent_ts=parent_ts, parts=0)
    parent_ts, done = run.progress["parent_ts"], int(run.progress.get("parts", 0))
    for number, message in enumerate(digest.thread[done:], start=done + 1):
        _post(client, channel, message, thread_ts=parent_ts)
        _save(engine, run, parts=number)
    return channel, parent_ts


def _open_channel(client: WebClient, digest: Digest) -> str:
    """The channel to post in: a scout's digest goes to their DM with the bot."""
    if digest.kind != DigestKind.SCOUT:
        return digest.channel_id
    return client.conversations_open(users=digest.channel_id)["channel"]["id"]


def _post(client: WebClient, channel: str, message: Message, thread_ts: str | None = None) -> str:
    """Post one message without link previews; return its ts."""
    response = client.chat_postMessage(
        channel=channel,
        text=message.text,
        blocks=message.blocks or None,
        thread_ts=thread_ts,
        **NO_UNFURL,
    )
    return response["ts"]


def _post_chart(
    engine: Engine, client: WebClient, digest: Digest, run: _Run, *, channel: str, parent_ts: str
) -> None:
    """Upload the chart into the thread; if that fails the text stands and the log says why."""
    chart = digest.chart
    if chart is None or run.progress.get("chart"):
        return
    try:
        client.files_upload_v2(
            channel=channel, thread_ts=parent_ts, file=chart.png, filename=chart.filename,
            title=chart.title, alt_txt=chart.alt_text,
        )  # fmt: skip
    except SEND_ERRORS as error:
        # Not retried: the upload may have half-happened, and the digest is readable without it.
        log.error(
            "the chart of digest %s for %s (%s) was not uploaded: %s",
            *run.key.values(), _reason(error),
        )  # fmt: skip
        _save(engine, run, chart="failed")
        return
    _save(engine, run, chart="uploaded")


def _save(engine: Engine, run: _Run, **progress: Any) -> None:
    """Record progress and renew the lease; raise _LeaseLost if the run is no longer ours."""
    run.progress |= progress
    renewed = run.clock()
    with session_scope(engine) as session:
        held = record_digest_progress(
            session=session, lease=run.lease, progress=run.progress, now=renewed, **run.row
        )
    if not held:
        raise _LeaseLost
    run.lease = renewed


def _finish(engine: Engine, run: _Run) -> Outcome:
    """Mark the run sent, unless another sender took it over meanwhile."""
    with session_scope(engine) as session:
        held = mark_digest_sent(session=session, now=run.clock(), lease=run.lease, **run.row)
    if not held:
        log.warning("digest %s for %s (%s) was taken over by another sender", *run.key.values())
        return Outcome.BUSY
    log.info("digest %s for %s (%s) sent", *run.key.values())
    return Outcome.SENT


def _reason(error: Exception) -> str:
    """Slack's error code, or the exception, for the log."""
    response = getattr(error, "response", None)
    code = response.get("error") if response is not None and hasattr(response, "get") else None
    return str(code or error)
