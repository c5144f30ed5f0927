"""Demand that adds up (pure): when a new discovery is the same outcome at another account, and
what a discovery with supporters adds up to (accounts, value in the base currency)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from bot.domain.similarity import account_key, wording_similarity

# "Same outcome": at least this share of the two outcomes' content words in common (and at
# least two of them, as wording_similarity requires). Stricter than a related-card link
# (which also matches the gap): joining another discovery is a bigger step than a link.
LOOKALIKE_THRESHOLD = 0.5


@dataclass(frozen=True)
class Candidate:
    """An open discovery the new one may join: its id, account(s), outcome and where its card is."""

    discovery_id: int
    account: str
    outcome: str
    accounts: tuple[str, ...] = ()  # its supporters' accounts
    channel_id: str | None = None


@dataclass(frozen=True)
class Backing:
    """What a discovery adds up to with its supporters: accounts, and their value in the base
    currency (None when none of them has one); approximate when a band counted at its midpoint."""

    accounts: int
    value: Decimal | None
    approximate: bool = False

    def __bool__(self) -> bool:
        return self.accounts > 1


def lookalike(*, account: str, outcome: str, candidates: Sequence[Candidate]) -> Candidate | None:
    """The open discovery with the same outcome at another account, closest first (the newest
    of equals); None when none is close enough or the account is already among its accounts."""
    found = lookalikes(account=account, outcome=outcome, candidates=candidates)
    return found[0] if found else None


def lookalikes(
    *, account: str, outcome: str, candidates: Sequence[Candidate], limit: int = 5
) -> list[Candidate]:
    """The open discoveries with the same outcome at other accounts, closest first."""
    key = account_key(account)
    scored = [
        (score, candidate.discovery_id, candidate)
        for candidate in candidates
        if key not in {account_key(a) for a in (candidate.account, *candidate.accounts)}
        and (score := wording_similarity(outcome, candidate.outcome)) >= LOOKALIKE_THRESHOLD
    ]
    scored.sort(key=lambda item: (-item[0], -item[1]))
    return [candidate for _score, _id, candidate in scored[:limit]]


def backing(
    *, account: str, value: Decimal | None, banded: bool,
    supporters: Iterable[tuple[str, Decimal | None, bool]],
) -> Backing:  # fmt: skip
    """The discovery's own account and value plus each supporter's (account, value, banded):
    accounts counted once by name; values summed (a missing one counts for nothing)."""
    names = {account_key(account)}
    values = [value] if value is not None else []
    approximate = banded and value is not None
    for name, amount, is_band in supporters:
        names.add(account_key(name))
        if amount is not None:
            values.append(amount)
            approximate = approximate or is_band
    return Backing(len(names), sum(values, Decimal(0)) if values else None, approximate)


@dataclass(frozen=True)
class Support:
    """What a card says about a discovery's supporters, or where it was merged to."""

    backing: Backing
    accounts: tuple[str, ...] = ()  # the supporters' accounts, oldest first
    merged_from: tuple[int, ...] = ()  # discoveries merged into this one
    merged_into: int | None = None  # this discovery was merged into that one
    merged_into_channel: str | None = None

    def __bool__(self) -> bool:
        return bool(self.backing) or self.merged_into is not None
