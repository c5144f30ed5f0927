"""Why a team declines a discovery: the reasons of prompts/decline_reasons.yaml (pure)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import prompts
from prompts import load_list

DEFAULT_FILE = "decline_reasons.yaml"
OTHER = "other"  # declines without a reason (from before reasons existed) count as this one
KEY = re.compile(r"[a-z][a-z0-9_]{0,49}")  # stored in status_changes.outcome_kind (50)
LABEL_LIMIT = 75  # a static select option's text


class DeclineError(Exception):
    """The reasons file is wrong; the message names the file and the key."""


@dataclass(frozen=True)
class DeclineReason:
    """One reason a team may give: its stored key, its label, whether a note must go with it."""

    key: str
    label: str
    note_required: bool = False


@dataclass(frozen=True)
class DeclineReasons:
    """The reasons in the modal's order; "other" is always one of them."""

    reasons: tuple[DeclineReason, ...]

    def __iter__(self) -> Iterator[DeclineReason]:
        return iter(self.reasons)

    def __contains__(self, key: object) -> bool:
        return any(reason.key == key for reason in self.reasons)

    def get(self, key: str | None) -> DeclineReason:
        """The reason stored as `key`; an unknown or missing key is "other"."""
        found = {reason.key: reason for reason in self.reasons}
        return found.get(key or OTHER, found[OTHER])

    def counted(self, key: str | None) -> str:
        """The key a decline counts under: its own if still listed, else "other"."""
        return self.get(key).key


def current_reasons() -> DeclineReasons:
    """The reasons of the prompts in use."""
    return _cached(prompts.location())


@cache
def _cached(_location: Path | None) -> DeclineReasons:
    return load_reasons()


def load_reasons(path: Path | None = None) -> DeclineReasons:
    """Read and check prompts/decline_reasons.yaml (or the file at path)."""
    items, source = load_list(DEFAULT_FILE, "reasons", path=path, error=DeclineError)
    reasons = tuple(_reason(item, f"{source}: reasons[{n}]") for n, item in enumerate(items))
    keys = [reason.key for reason in reasons]
    for key in keys:
        if keys.count(key) > 1:
            raise DeclineError(f"{source}: reasons: {key!r} appears twice")
    if OTHER not in keys:
        raise DeclineError(f"{source}: reasons: needs a reason with key {OTHER!r}")
    return DeclineReasons(reasons)


def _reason(item: object, where: str) -> DeclineReason:
    if not isinstance(item, dict):
        raise DeclineError(f"{where}: expected key and label")
    key, label, note = item.get("key"), item.get("label"), item.get("note", "optional")
    if not isinstance(key, str) or not KEY.fullmatch(key):
        raise DeclineError(f"{where}.key: {key!r} is not a key like not_now")
    if not isinstance(label, str) or not label.strip() or len(label) > LABEL_LIMIT:
        raise DeclineError(f"{where} ({key}).label: needs a label of 1 to {LABEL_LIMIT} characters")
    if note not in ("required", "optional"):
        raise DeclineError(f"{where} ({key}).note: {note!r} is not required or optional")
    return DeclineReason(key, label.strip(), note == "required")
