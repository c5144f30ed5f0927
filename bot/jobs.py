"""Every scheduled job in one registry, run by the scheduler, `valuescout jobs run`, the demo's
/wait and the tests alike: each takes (*, engine, client, settings, network, now, team_id).
team_id None: every workspace's rows with the one client (single-workspace mode); installed
by OAuth, the scheduler runs the jobs of PER_TEAM once per installed workspace, with its client.
Each job reads its workspace's time zone (the deployment's when team_id is None): what day it
is, which days are working days and when a digest is due are that workspace's.

Each job decides in the database what is due at `now` and claims it there, so running one
twice at the same moment, or in several processes, does its work once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from slack_sdk import WebClient
from sqlalchemy import Engine

from bot.accounts.radar import remind_compelling_events
from bot.config import workspace_settings
from bot.digests.jobs import Sent, run_due_digests
from bot.discoveries.follow_ups import ask_due_follow_ups
from bot.discoveries.nudges import nudge_open_loops
from bot.discoveries.reminders import nudge_idle_dialogues
from bot.domain.themes import ValueNetwork
from bot.settings import Settings
from storage.engine import read_scope


class JobFunction(Protocol):
    """What a scheduled job is: the work due at `now`, returning what it did."""

    def __call__(
        self,
        *,
        engine: Engine,
        client: WebClient,
        settings: Settings,
        network: ValueNetwork,
        now: datetime,
        team_id: str | None = None,
    ) -> Any: ...


@dataclass(frozen=True)
class Job:
    """A scheduled job: its name, its function, and how to say what one run did."""

    name: str
    run: JobFunction
    summary: Callable[[Any], str]


def remind_idle_dialogues(
    *, engine: Engine, client: WebClient, settings: Settings, network: ValueNetwork, now: datetime,
    team_id: str | None = None,
) -> tuple[int, int]:
    """Remind scouts of dialogues idle for an hour; keep a day's silence as a draft."""
    return nudge_idle_dialogues(engine=engine, client=client, now=now, team_id=team_id)


def nudge_unacknowledged_cards(
    *, engine: Engine, client: WebClient, settings: Settings, network: ValueNetwork, now: datetime,
    team_id: str | None = None,
) -> int:
    """Nudge, once, each card nobody acknowledged for N working days."""
    settings = in_workspace_zone(engine=engine, settings=settings, team_id=team_id)
    return nudge_open_loops(
        engine=engine, client=client, zone=settings.zone, now=now, calendar=settings.calendar,
        team_id=team_id,
    )  # fmt: skip


def remind_near_events(
    *, engine: Engine, client: WebClient, settings: Settings, network: ValueNetwork, now: datetime,
    team_id: str | None = None,
) -> int:
    """Remind, once, the owner (or #sales) of each compelling event within 30 days not acted on."""
    settings = in_workspace_zone(engine=engine, settings=settings, team_id=team_id)
    return remind_compelling_events(
        engine=engine, zone=settings.zone, now=now, calendar=settings.calendar, team_id=team_id
    )


def follow_up_actioned_routes(
    *, engine: Engine, client: WebClient, settings: Settings, network: ValueNetwork, now: datetime,
    team_id: str | None = None,
) -> int:
    """Ask, once per due date (and once more 7 days on), how an actioned route went on."""
    settings = in_workspace_zone(engine=engine, settings=settings, team_id=team_id)
    return ask_due_follow_ups(
        engine=engine, zone=settings.zone, now=now, calendar=settings.calendar, team_id=team_id
    )


def send_due_digests(
    *, engine: Engine, client: WebClient, settings: Settings, network: ValueNetwork, now: datetime,
    team_id: str | None = None,
) -> Sent:
    """Send the digests of the period due at `now` that were not sent yet (one workspace's,
    with its client, when team_id is given), on its clock."""
    settings = in_workspace_zone(engine=engine, settings=settings, team_id=team_id)
    return run_due_digests(
        engine=engine, client=client, settings=settings, network=network, now=now, team_id=team_id
    )


def in_workspace_zone(*, engine: Engine, settings: Settings, team_id: str | None) -> Settings:
    """The settings with the workspace's time zone (the deployment's stored one for None)."""
    with read_scope(engine) as session:
        return workspace_settings(session=session, settings=settings, team_id=team_id or "")


def _dialogues_summary(result: tuple[int, int]) -> str:
    reminded, parked = result
    return f"{reminded} reminded, {parked} kept as drafts"


def _digests_summary(sent: Sent) -> str:
    if not sent:
        return "none due"
    outcomes = [str(outcome) for _digest, outcome in sent]
    return ", ".join(f"{outcomes.count(o)} {o}" for o in dict.fromkeys(outcomes))


JOBS: tuple[Job, ...] = (
    Job("idle_dialogues", remind_idle_dialogues, _dialogues_summary),
    Job("open_loops", nudge_unacknowledged_cards, lambda nudged: f"{nudged} nudged"),
    Job("event_radar", remind_near_events, lambda queued: f"{queued} reminded"),
    Job("follow_ups", follow_up_actioned_routes, lambda asked: f"{asked} asked"),
    Job("digests", send_due_digests, _digests_summary),
)


# Installed by OAuth, every job runs once per installed workspace: those that call Slack with
# that workspace's client, and all of them on that workspace's clock (its day, its Monday).
PER_TEAM = frozenset(entry.name for entry in JOBS)


def job(name: str) -> Job:
    """The registered job called `name` (KeyError if there is none)."""
    return {entry.name: entry for entry in JOBS}[name]


def run_due_jobs(
    *, engine: Engine, client: WebClient, settings: Settings, network: ValueNetwork, now: datetime
) -> list[tuple[str, Any]]:
    """Run every job once as due at `now`, in order; return (name, result) of each."""
    return [
        (
            entry.name,
            entry.run(engine=engine, client=client, settings=settings, network=network, now=now),
        )
        for entry in JOBS
    ]


def summaries(results: list[tuple[str, Any]]) -> list[str]:
    """One line per job run: `idle_dialogues: 1 reminded, 0 kept as drafts`."""
    return [f"{name}: {job(name).summary(result)}" for name, result in results]
