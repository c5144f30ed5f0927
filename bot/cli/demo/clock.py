"""/wait: the demo's clock moves on, and every job due meanwhile runs, as the scheduler would."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from bot.cli.runtime import run_per_team
from bot.jobs import JOBS, PER_TEAM, run_due_jobs, summaries

if TYPE_CHECKING:
    from bot.cli.demo.session import Demo

DURATION = re.compile(r"(\d+)\s*(m|min|h|d|w)", re.IGNORECASE)
UNITS = {"m": "minutes", "min": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def duration(text: str) -> timedelta | None:
    """`30m`, `2h`, `7d` or `1w` as a timedelta; None for anything else (or nothing)."""
    match = DURATION.fullmatch(text.strip())
    if match is None or int(match[1]) == 0:
        return None
    return timedelta(**{UNITS[match[2].lower()]: int(match[1])})


def wait(demo: Demo, rest: str) -> None:
    """/wait 2h: move the clock, run the due jobs through the registry, say what they did."""
    delta = duration(rest)
    if delta is None:
        demo.screen.say("wait how long? e.g. /wait 30m, /wait 2h, /wait 7d")
        return
    demo.skipped += delta
    now = demo.now()
    zone = demo.settings_here().zone  # the clock of the workspace you are in
    local = now.astimezone(zone)
    when = f"{local:%a} {local.day} {local:%b %H:%M} ({zone})"
    demo.screen.say(f"⏩ {rest.strip()} later: it is {when}; what fell due in between happens now")
    lines = _run_jobs(demo, now)
    demo.wait_until_quiet()
    for line in lines:
        demo.screen.say(f"({line})")


def _run_jobs(demo: Demo, now: datetime) -> list[str]:
    """Every job due at `now`, as the scheduler runs them: installed by OAuth, those that call
    Slack once per workspace, with its token."""
    parts = demo.parts
    if not demo.oauth:
        return summaries(run_due_jobs(
            engine=parts.engine, client=parts.client, settings=demo.settings,
            network=demo.network, now=now,
        ))  # fmt: skip
    lines = []
    for entry in JOBS:
        if entry.name in PER_TEAM:
            done = run_per_team(parts, entry, network=demo.network, now=now)
            lines += [f"{entry.name} in {team}: {entry.summary(r)}" for team, r in done.items()]
        else:
            result = entry.run(engine=parts.engine, client=parts.client, settings=demo.settings,
                               network=demo.network, now=now)  # fmt: skip
            lines.append(f"{entry.name}: {entry.summary(result)}")
    return lines
