"""How alike two discoveries are and when scouts converge on one account: pure scoring, and
the plain values a card shows about related discoveries."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache

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


# Each card and summary scores up to 500 recent discoveries, mostly the same ones as the last
# card's: stemming them again was most of the delivery thread's CPU at 1,000,000 discoveries,
# taken from the same process's scouts (GIL) while they waited for their replies.
@lru_cache(maxsize=8192)
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
