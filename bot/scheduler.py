"""build_scheduler(): APScheduler with an explicit time zone, for the clock, worker and demo."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.base import BaseTrigger

from bot.settings import Settings


@dataclass(frozen=True)
class ScheduledJob:
    """A named function and when it runs."""

    id: str
    func: Callable[[], object]
    trigger: BaseTrigger


def build_scheduler(*, settings: Settings, jobs: Iterable[ScheduledJob]) -> BackgroundScheduler:
    """A scheduler in the workspace's zone; a fire missed while down runs once on start."""
    scheduler = BackgroundScheduler(timezone=settings.zone)
    for job in jobs:
        scheduler.add_job(
            job.func,
            job.trigger,
            id=job.id,
            coalesce=True,  # several missed fires run once, not once each
            max_instances=1,
            misfire_grace_time=None,  # however late, run it: the database decides if it is due
            replace_existing=True,
        )
    return scheduler
