"""One check's result, and its words from prompts/doctor.yaml."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import yaml

import prompts


@dataclass(frozen=True)
class Check:
    """What one check found: its title, whether all is well, what it says and the fix."""

    title: str
    ok: bool
    says: str
    fix: str | None = None

    def line(self) -> str:
        """`✓ Title: what it found` or `✗ Title: what is wrong — fix: what to do`."""
        if self.ok:
            return f"✓ {self.title}: {self.says}"
        return f"✗ {self.title}: {self.says}" + (f" — fix: {self.fix}" if self.fix else "")


@functools.cache
def texts() -> dict[str, dict[str, str]]:
    """The checks' words, as an admin may have reworded them."""
    return yaml.safe_load(prompts.read("doctor.yaml"))["checks"]


def passed(check: str, outcome: str = "ok", **values: Any) -> Check:
    """A check that found all well."""
    words = texts()[check]
    return Check(_fill(words["title"], values), True, _fill(words[outcome], values))


def failed(check: str, outcome: str, fix: str = "fix", **values: Any) -> Check:
    """A check that found something wrong, with the fix."""
    words = texts()[check]
    title, says = _fill(words["title"], values), _fill(words[outcome], values)
    return Check(title, False, says, _fill(words[fix], values))


def _fill(text: str, values: dict[str, Any]) -> str:
    return text.format_map(values)


def ago(span: timedelta) -> str:
    """A span of time as a person says it: 40 s, 12 min, 3 h, 2 days."""
    seconds = max(int(span.total_seconds()), 0)
    for unit, size in (("days", 86400), ("h", 3600), ("min", 60)):
        if seconds >= 2 * size or (unit != "days" and seconds >= size):
            return f"{seconds // size} {unit}"
    return f"{seconds} s"
