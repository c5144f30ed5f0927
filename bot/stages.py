"""Follow-through after Actioned: each route's stages (data in prompts/routing.yaml), which of
them can come next and what each asks for.

A route's stages are in order; "Actioned" puts a route at its first stage. From a stage every
later one may follow (so one can be skipped), until a stage that ends it: one marked `ends`,
or the last. A realised stage (won, shipped, published) is what recognition counts.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

STAGE_ID = re.compile(r"[a-z][a-z0-9_]{0,19}")
STAGE_FIELDS = ("id", "label", "asks", "realised", "ends")
ASKS = ("amount", "reason", "link")  # what a stage needs typed in its small modal
LABEL_LIMIT = 40  # a button's text stays readable
MOST_STAGES = 5  # buttons in one DM, and a funnel people can follow
DEFAULT_FOLLOW_UP_DAYS = 30
SECOND_ASK_DAYS = 7


@dataclass(frozen=True)
class Stage:
    """One step after Actioned: its id, label, what it asks for and whether value is realised."""

    id: str
    label: str
    asks: str | None = None  # one of ASKS, or nothing: a click is enough
    realised: bool = False
    ends: bool = False


@dataclass(frozen=True)
class FollowThrough:
    """A route's stages in order; empty: the route simply ends at Actioned. `outcomes`: what
    came of it that starts them (an opportunity, for sales); empty: any outcome does."""

    stages: tuple[Stage, ...] = ()
    outcomes: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.stages)

    @property
    def first(self) -> Stage | None:
        """Where "Actioned" puts the route, for an outcome that starts it."""
        return self.stages[0] if self.stages else None

    def start_for(self, outcome_kind: str | None) -> Stage | None:
        """The first stage, when this outcome starts the follow-through (a roadmap item on a
        sales card does not open an opportunity)."""
        follows = not self.outcomes or outcome_kind in self.outcomes
        return self.first if follows else None

    def get(self, stage_id: str | None) -> Stage | None:
        """The stage with this id, if the route has it."""
        return next((s for s in self.stages if s.id == stage_id), None)

    def ended(self, stage_id: str | None) -> bool:
        """Whether nothing can follow this stage (marked ends, the last, or unknown now)."""
        return not self.later(stage_id)

    def later(self, stage_id: str | None) -> tuple[Stage, ...]:
        """Every stage that may follow this one: those after it, unless it ends the route."""
        index = next((n for n, s in enumerate(self.stages) if s.id == stage_id), None)
        if index is None or self.stages[index].ends:
            return ()
        return self.stages[index + 1 :]

    def may_move(self, from_stage: str | None, to_stage: str) -> bool:
        """Whether to_stage may follow from_stage."""
        return any(stage.id == to_stage for stage in self.later(from_stage))


def follow_through_of(
    raw: Any, where: str, error: Callable[[str], Exception], *, outcomes: Any = None,
    known: tuple[str, ...] = (),
) -> FollowThrough:  # fmt: skip
    """Read a route's `follow_through:` list (absent: none) and the outcomes that start it
    (`follow_through_when`, each one of `known`); `error` builds the one-line error."""
    when = _outcomes(outcomes, where.replace("follow_through", "follow_through_when"), error, known)
    if raw is None:
        if when:
            raise error(f"{where}_when: a route without follow_through stages starts none")
        return FollowThrough()
    if not isinstance(raw, list) or not raw:
        raise error(f"{where}: expected a list of stages (id, label, asks, realised, ends)")
    if len(raw) > MOST_STAGES:
        raise error(f"{where}: {len(raw)} stages; at most {MOST_STAGES}")
    stages = tuple(_stage(item, f"{where}[{n}]", error) for n, item in enumerate(raw))
    seen: set[str] = set()
    for n, stage in enumerate(stages):
        if stage.id in seen:
            raise error(f"{where}[{n}].id: {stage.id!r} is listed twice")
        seen.add(stage.id)
    return FollowThrough(stages, when)


def _outcomes(
    raw: Any, where: str, error: Callable[[str], Exception], known: tuple[str, ...]
) -> tuple[str, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list) or not raw:
        raise error(f"{where}: expected a list of outcomes ({', '.join(known)})")
    unknown = [kind for kind in raw if kind not in known]
    if unknown:
        raise error(f"{where}: {unknown[0]!r} is not an outcome ({', '.join(known)})")
    return tuple(raw)


def _stage(item: Any, where: str, error: Callable[[str], Exception]) -> Stage:
    if not isinstance(item, dict):
        raise error(f"{where}: expected a mapping with id and label")
    unknown = sorted(set(item) - set(STAGE_FIELDS))
    if unknown:
        raise error(f"{where}.{unknown[0]}: unknown field (known: {', '.join(STAGE_FIELDS)})")
    stage_id = item.get("id")
    if not isinstance(stage_id, str) or not STAGE_ID.fullmatch(stage_id):
        raise error(f"{where}.id: {stage_id!r} is not an id: lowercase letters, digits and _")
    label = item.get("label")
    if not isinstance(label, str) or not label.strip() or len(label.strip()) > LABEL_LIMIT:
        raise error(f"{where}.label: expected some text, at most {LABEL_LIMIT} characters")
    asks = item.get("asks")
    if asks is not None and asks not in ASKS:
        raise error(f"{where}.asks: {asks!r}; one of {', '.join(ASKS)} (or leave it out)")
    for flag in ("realised", "ends"):
        if not isinstance(item.get(flag, False), bool):
            raise error(f"{where}.{flag}: expected true or false")
    return Stage(stage_id, label.strip(), asks, bool(item.get("realised")), bool(item.get("ends")))
