"""Earlier discoveries that resemble a new one, and how many scouts converge on its account."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, select

from storage.enums import DiscoveryStatus
from storage.models import Discovery, DiscoveryRoute

LOOKBACK = timedelta(days=180)  # older discoveries are history, not a pattern worth a link
MAX_CANDIDATES = 500  # newest first: bounds the work per card however big the team gets
CONVERGENCE_WINDOW = timedelta(days=30)
# Jaccard over word stems rather than difflib: rewording ("set up by hand" / "by hand they
# set up") keeps the same content words, while difflib's character ratio is order-sensitive
# and lets long shared phrases like "in one day" outweigh the words that matter.
THRESHOLD = 0.5  # at least half of all the content words the two texts use are shared
MIN_SHARED = 2  # one common word ("onboarding") is a coincidence, not a resemblance
SAME_ACCOUNT_BONUS = 0.5  # a discovery at the same account outranks one merely worded alike
_WORD = re.compile(r"[^\W_]+")
_SUFFIXES = ("ingly", "edly", "ings", "ing", "ies", "ed", "es", "ly", "s")
STOPWORDS = frozenset({
    "a", "an", "and", "are", "as", "at", "be", "by", "can", "for", "from", "has", "have", "in",
    "into", "is", "it", "its", "of", "on", "or", "our", "so", "that", "the", "their", "them",
    "they", "this", "to", "too", "was", "we", "were", "will", "with", "without",
})  # fmt: skip


@dataclass(frozen=True)
class RelatedDiscovery:
    """An earlier discovery worth a look, and the channel where its card was posted."""

    discovery_id: int
    account: str
    outcome: str
    channel_id: str | None
    score: float


@dataclass(frozen=True)
class Convergence:
    """Discoveries at one account within the window (this one included), and their scouts."""

    account: str
    count: int
    scouts: int


@dataclass(frozen=True)
class Related:
    """What a card says about other discoveries; falsy when there is nothing to say."""

    discoveries: tuple[RelatedDiscovery, ...] = ()
    convergence: Convergence | None = None

    def __bool__(self) -> bool:
        return bool(self.discoveries) or self.convergence is not None


@dataclass(frozen=True)
class _Candidate:
    """The columns of an earlier discovery that the scoring needs."""

    id: int
    account: str
    outcome: str
    gap: str
    scout_user_id: str
    created_at: datetime


# -- pure scoring -------------------------------------------------------------------


def account_key(account: str) -> str:
    """The account as compared: trimmed, case-folded, inner spaces collapsed."""
    return " ".join(account.split()).casefold()


def stem(word: str) -> str:
    """A crude English stem: enough to match stores/store and onboarding/onboarded."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("ss"):
            word = word[: -len(suffix)] + ("y" if suffix == "ies" else "")
            break
    return word[:-1] if word.endswith("e") and len(word) > 3 else word


def stems(text: str) -> frozenset[str]:
    """The content words of text, stemmed, without stop words."""
    words = _WORD.findall(text.casefold())
    return frozenset(stem(word) for word in words if word not in STOPWORDS)


def wording_similarity(first: str, second: str) -> float:
    """Jaccard similarity of the two texts' stems; 0 when they share fewer than MIN_SHARED."""
    a, b = stems(first), stems(second)
    shared = len(a & b)
    if not a or not b or (shared < MIN_SHARED and a != b):
        return 0.0
    return shared / len(a | b)


def resemblance(
    *, account: str, outcome: str, gap: str, other: tuple[str, str, str]
) -> float | None:
    """How alike two discoveries are (higher is closer), or None when they are not related."""
    other_account, other_outcome, other_gap = other
    wording = max(wording_similarity(outcome, other_outcome), wording_similarity(gap, other_gap))
    same_account = account_key(account) == account_key(other_account)
    if not same_account and wording < THRESHOLD:
        return None
    return wording + (SAME_ACCOUNT_BONUS if same_account else 0.0)


def convergence(
    *, account: str, scout: str, earlier: Sequence[tuple[str, str]]
) -> Convergence | None:
    """The count and scouts at account among earlier (account, scout) pairs plus this one."""
    key = account_key(account)
    scouts = [scout] + [who for where, who in earlier if account_key(where) == key]
    if len(scouts) < 2:
        return None
    return Convergence(account=account.strip(), count=len(scouts), scouts=len(set(scouts)))


# -- the query ----------------------------------------------------------------------


def find_related(
    *, session: Session, discovery: Discovery, now: datetime, limit: int = 3
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
    recent = [(c.account, c.scout_user_id) for c in candidates if c.created_at >= since]
    together = convergence(account=discovery.account, scout=discovery.scout_user_id, earlier=recent)
    return Related(related, together)


def _score(discovery: Discovery, candidate: _Candidate) -> float | None:
    other = (candidate.account, candidate.outcome, candidate.gap)
    return resemblance(
        account=discovery.account, outcome=discovery.outcome, gap=discovery.gap, other=other
    )


def _candidates(*, session: Session, discovery: Discovery, now: datetime) -> list[_Candidate]:
    """The team's discoveries made before this one within LOOKBACK, newest first, bounded."""
    # Anchored on the discovery, not the send time, so a retried card says the same thing;
    # a send-time clock behind the stored one (host skew) widens the window, never hides one.
    until = discovery.created_at
    since = min(until, now) - LOOKBACK
    columns = (
        Discovery.id, Discovery.account, Discovery.outcome, Discovery.gap,
        Discovery.scout_user_id, Discovery.created_at,
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
