"""The life of a discovery as plain rules: which status each change may start from, what came
of an actioned one, and why a change or a re-route changed nothing."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum

from bot.domain.views import ChangeView
from bot.wording import say
from storage.enums import DiscoveryStatus, Outcome

NOTE_LIMIT = 1000
Status = DiscoveryStatus
# Which statuses each change may start from; actioned, declined and withdrawn are final.
ALLOWED_FROM: dict[DiscoveryStatus, tuple[DiscoveryStatus, ...]] = {
    Status.ACKNOWLEDGED: (Status.NEW,),
    Status.ACTIONED: (Status.NEW, Status.ACKNOWLEDGED),
    Status.DECLINED: (Status.NEW, Status.ACKNOWLEDGED),
    Status.WITHDRAWN: (Status.NEW, Status.ACKNOWLEDGED),
}

MOVABLE = (DiscoveryStatus.NEW, DiscoveryStatus.ACKNOWLEDGED)
OPEN = MOVABLE  # a team still owes an answer


def overall(statuses: Iterable[DiscoveryStatus]) -> DiscoveryStatus:
    """The discovery's one status, from its current routes' own: withdrawn if the scout took it
    back; while any team still owes an answer, new until someone answers, then acknowledged;
    once every team answered, actioned if anyone acted on it, else declined."""
    seen = set(statuses)
    if Status.WITHDRAWN in seen or not seen:
        return Status.WITHDRAWN if seen else Status.NEW
    if seen & set(OPEN):
        return Status.NEW if seen == {Status.NEW} else Status.ACKNOWLEDGED
    return Status.ACTIONED if Status.ACTIONED in seen else Status.DECLINED


class Why(StrEnum):
    """Why a re-route changed nothing."""

    GONE = "gone"  # the discovery was deleted
    CLOSED = "closed"  # actioned, declined or withdrawn: nothing left to pass on
    MOVED = "moved"  # this card was re-routed already
    THERE = "there"  # the discovery is (or was) at that route already
    UNMAPPED = "unmapped"  # no channel serves that route
    EVERYWHERE = "everywhere"  # every route has had it: nowhere left to send it



class _OutcomeLabels(Mapping[Outcome, str]):
    """Each outcome's label, as prompts/texts.yaml words it (outcome_<kind>), read when shown."""

    def __getitem__(self, kind: Outcome | str) -> str:
        if kind not in self:
            raise KeyError(kind)
        return say(f"outcome_{Outcome(kind).value}")

    def __iter__(self) -> Iterator[Outcome]:
        return iter(Outcome)

    def __len__(self) -> int:
        return len(Outcome)

    def __contains__(self, kind: object) -> bool:
        return kind in {o.value for o in Outcome}


OUTCOME_LABELS = _OutcomeLabels()


@dataclass(frozen=True)
class ChangeResult:
    """The status now; the new change's id when this call made it, else the latest change."""

    status: DiscoveryStatus | None  # None: the discovery is gone
    change_id: int | None = None
    latest: ChangeView | None = None
    repeated: bool = False  # the same person's same change arrived again (double click, retry)
    moved: bool = False  # clicked on a card that was re-routed away: the new team decides

    @property
    def done(self) -> bool:
        """True when the status is what was asked for (now or by this very person before)."""
        return self.change_id is not None or self.repeated


class RerouteRefused(Exception):
    """Nothing changed; raised inside the transaction so that it rolls back whole."""

    def __init__(self, why: Why, *, status: DiscoveryStatus | None = None,
                 latest: ChangeView | None = None, account: str | None = None) -> None:  # fmt: skip
        super().__init__(why.value)
        self.why, self.status, self.latest, self.account = why, status, latest, account
