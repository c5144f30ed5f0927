"""Exactly-once digests: one row per (team, digest, channel, period) decides who sends.

Every function takes the workspace as team_id; "" is single-workspace mode's (and the
deployment's) runs and settings."""

from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, select

from storage.enums import DigestRunStatus
from storage.models import AppSetting, DigestRun
from storage.queries._dialect import insert_for, inserted_one_row

# A claim not heard of for this long belongs to a sender that died: another may take it over.
STALE_CLAIM = timedelta(minutes=10)
SINCE_KEY = "digests_since"  # when digests were first scheduled: earlier fires are not owed
# A marker row per period: every digest of the week is out, so the catch-up has nothing to do.
PERIOD_DONE = {"digest": "*all*", "channel_id": "-"}
RUN_KEY = ["team_id", "digest", "channel_id", "period"]


def _run_filter(
    digest: str, channel_id: str, period: str, team_id: str = ""
) -> sa.ColumnElement[bool]:
    """Return the WHERE clause selecting one digest run."""
    return sa.and_(
        DigestRun.team_id == team_id,
        DigestRun.digest == digest,
        DigestRun.channel_id == channel_id,
        DigestRun.period == period,
    )


def claim_digest_run(
    *, session: Session, digest: str, channel_id: str, period: str, now: datetime,
    team_id: str = "",
) -> bool:  # fmt: skip
    """Claim a digest for a channel and period; True only for the first claimer, ever."""
    statement = (
        insert_for(session, DigestRun)
        .values(
            team_id=team_id,
            digest=digest,
            channel_id=channel_id,
            period=period,
            status=DigestRunStatus.CLAIMED,
            claimed_at=now,
        )
        .on_conflict_do_nothing(index_elements=RUN_KEY)
    )
    if inserted_one_row(session, statement):
        return True
    run = _run_filter(digest, channel_id, period, team_id)
    return _reclaim(session, run=run, now=now)


def _reclaim(session: Session, *, run: sa.ColumnElement[bool], now: datetime) -> bool:
    """Take over a failed run or a stale claim; the conditional UPDATE lets only one win."""
    stale = sa.and_(
        DigestRun.status == DigestRunStatus.CLAIMED, DigestRun.claimed_at < now - STALE_CLAIM
    )
    statement = (
        sa.update(DigestRun)
        .where(
            run,
            sa.or_(DigestRun.status == DigestRunStatus.FAILED, stale),
        )
        .values(status=DigestRunStatus.CLAIMED, claimed_at=now)
    )
    return session.exec(statement).rowcount == 1


def digest_run(
    *, session: Session, digest: str, channel_id: str, period: str, team_id: str = ""
) -> DigestRun | None:
    """The run of a digest for a channel and period, if any."""
    run = _run_filter(digest, channel_id, period, team_id)
    return session.exec(select(DigestRun).where(run)).first()


def record_digest_progress(
    *,
    session: Session,
    digest: str,
    channel_id: str,
    period: str,
    lease: datetime,
    progress: dict[str, Any],
    now: datetime,
    team_id: str = "",
) -> bool:
    """Save how far sending got and renew the claim; False if another sender took it over."""
    statement = (
        sa.update(DigestRun)
        .where(_run_filter(digest, channel_id, period, team_id), *_holding(lease))
        .values(progress=dict(progress), claimed_at=now)
    )
    return session.exec(statement).rowcount == 1


def mark_digest_sent(
    *,
    session: Session,
    digest: str,
    channel_id: str,
    period: str,
    now: datetime,
    lease: datetime | None = None,
    team_id: str = "",
) -> bool:
    """Record that the claimed digest was posted (only while holding `lease`, when given)."""
    statement = (
        sa.update(DigestRun)
        .where(_run_filter(digest, channel_id, period, team_id), *_holding(lease))
        .values(status=DigestRunStatus.SENT, sent_at=now)
    )
    return session.exec(statement).rowcount == 1


def mark_digest_failed(
    *, session: Session, digest: str, channel_id: str, period: str, lease: datetime | None = None,
    team_id: str = "",
) -> bool:  # fmt: skip
    """Give a claimed digest back, so the next scheduled attempt may claim it again."""
    statement = (
        sa.update(DigestRun)
        .where(
            _run_filter(digest, channel_id, period, team_id), *_holding(lease, only_claimed=True)
        )
        .values(status=DigestRunStatus.FAILED)
    )
    return session.exec(statement).rowcount == 1


def _holding(lease: datetime | None, *, only_claimed: bool = False) -> list[sa.ColumnElement[bool]]:
    """The condition that the run is claimed and, if the caller names its lease, still theirs."""
    # claimed_at is the lease: whoever took over a stale claim wrote their own time there.
    claimed = DigestRun.status == DigestRunStatus.CLAIMED
    if lease is None:
        return [claimed] if only_claimed else []
    return [claimed, DigestRun.claimed_at == lease]


def digests_since(*, session: Session, now: datetime, team_id: str = "") -> datetime:
    """When digests were first scheduled here; the first call records now, later ones read it."""
    statement = insert_for(session, AppSetting).values(
        team_id=team_id, key=SINCE_KEY, value=now.isoformat(), updated_at=now
    )
    session.exec(statement.on_conflict_do_nothing(index_elements=["team_id", "key"]))
    mine = sa.and_(AppSetting.key == SINCE_KEY, AppSetting.team_id == team_id)
    stored = session.exec(select(AppSetting.value).where(mine)).one()
    try:
        since = datetime.fromisoformat(stored)
    except (TypeError, ValueError):  # a hand-edited row: owe nothing before now
        return now
    return since if since.tzinfo else since.replace(tzinfo=UTC)


def digest_period_done(*, session: Session, period: str, team_id: str = "") -> bool:
    """Tell whether every digest of the period was sent."""
    run = digest_run(session=session, period=period, team_id=team_id, **PERIOD_DONE)
    return run is not None and run.status == DigestRunStatus.SENT


def mark_digest_period_done(
    *, session: Session, period: str, now: datetime, team_id: str = ""
) -> None:
    """Record that every digest of the period was sent."""
    values = {"status": DigestRunStatus.SENT, "claimed_at": now, "sent_at": now}
    row = insert_for(session, DigestRun).values(team_id=team_id, period=period, **PERIOD_DONE)
    statement = row.values(**values)
    session.exec(statement.on_conflict_do_update(index_elements=RUN_KEY, set_=values))
