"""Earlier discoveries that resemble a new one, and how many scouts converge on its account
(the scoring is pure, in bot.domain.similarity; this is the query)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, select

from bot.domain.similarity import (
    CONVERGENCE_WINDOW,
    Related,
    RelatedDiscovery,
    convergence,
    resemblance,
)
from bot.domain.views import DiscoveryView
from storage.enums import DiscoveryStatus
from storage.models import Discovery, DiscoveryRoute

LOOKBACK = timedelta(days=180)  # older discoveries are history, not a pattern worth a link
MAX_CANDIDATES = 500  # newest first: bounds the work per card however big the team gets


@dataclass(frozen=True)
class _Candidate:
    """The columns of an earlier discovery that the scoring needs."""

    id: int
    account: str
    outcome: str
    gap: str
    scout_user_id: str
    created_at: datetime
    account_id: int | None


# -- the query ----------------------------------------------------------------------


def find_related(
    *, session: Session, discovery: DiscoveryView, now: datetime, limit: int = 3
) -> Related:
    """Earlier, resembling discoveries of the same team (closest first) and the convergence."""
    candidates = _candidates(session=session, discovery=discovery, now=now)
    scored = [
        (score, candidate)
        for candidate in candidates
        if (score := _score(discovery, candidate)) is not None
    ]
    scored.sort(key=lambda pair: (-pair[0], -pair[1].created_at.timestamp(), -pair[1].id))
    chosen = scored[:limit]
    channels = _channels(session=session, ids=[candidate.id for _score, candidate in chosen])
    related = tuple(
        RelatedDiscovery(c.id, c.account, c.outcome, channels.get(c.id), score)
        for score, c in chosen
    )
    since = discovery.created_at - CONVERGENCE_WINDOW
    # On the account entity: discoveries at one of its aliases converge too.
    account_id = session.exec(select(Discovery.account_id).where(Discovery.id == discovery.id))
    same = _same_account(discovery.account, account_id.first())
    recent = [(same(c), c.scout_user_id) for c in candidates if c.created_at >= since]
    together = convergence(account=discovery.account, scout=discovery.scout_user_id, earlier=recent)
    return Related(related, together)


def _same_account(account: str, account_id: int | None) -> Callable[[_Candidate], str]:
    """A candidate's account as convergence compares it: this account's name when it is the
    same entity (whatever alias the scout typed), else its own name."""

    def name(candidate: _Candidate) -> str:
        if account_id is not None and candidate.account_id is not None:
            return account if candidate.account_id == account_id else ""
        return candidate.account

    return name


def _score(discovery: DiscoveryView, candidate: _Candidate) -> float | None:
    other = (candidate.account, candidate.outcome, candidate.gap)
    return resemblance(
        account=discovery.account, outcome=discovery.outcome, gap=discovery.gap, other=other
    )


def _candidates(*, session: Session, discovery: DiscoveryView, now: datetime) -> list[_Candidate]:
    """The team's discoveries made before this one within LOOKBACK, newest first, bounded."""
    # Anchored on the discovery, not the send time, so a retried card says the same thing;
    # a send-time clock behind the stored one (host skew) widens the window, never hides one.
    until = discovery.created_at
    since = min(until, now) - LOOKBACK
    columns = (
        Discovery.id, Discovery.account, Discovery.outcome, Discovery.gap,
        Discovery.scout_user_id, Discovery.created_at, Discovery.account_id,
    )  # fmt: skip
    query = (
        select(*columns)
        .where(
            Discovery.team_id == discovery.team_id,
            Discovery.created_at >= since,  # ix_discoveries_created_at_status bounds it
            Discovery.created_at <= until,
            # Same instant: the lower id came first, so two cards never both claim "earlier".
            sa.or_(Discovery.created_at < until, Discovery.id < discovery.id),
            Discovery.id != discovery.id,
            Discovery.status != DiscoveryStatus.WITHDRAWN,
        )
        .order_by(Discovery.created_at.desc(), Discovery.id.desc())
        .limit(MAX_CANDIDATES)
    )
    return [_Candidate(*row) for row in session.exec(query).all()]


def _channels(*, session: Session, ids: list[int]) -> dict[int, str]:
    """For each discovery, the first channel its card was posted in (none until posted)."""
    if not ids:
        return {}
    routes = session.exec(
        select(DiscoveryRoute.discovery_id, DiscoveryRoute.channel_id)
        .where(DiscoveryRoute.discovery_id.in_(ids), DiscoveryRoute.message_ts.is_not(None))
        .order_by(DiscoveryRoute.id)
    ).all()
    channels: dict[int, str] = {}
    for discovery_id, channel_id in routes:
        channels.setdefault(discovery_id, channel_id)
    return channels
