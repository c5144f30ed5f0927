"""Which digest period is due at a moment: the latest fire of the schedule, and the week it covers."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger

from bot.digests.model import Week
from bot.settings import DAYS, DigestSchedule

# A weekly schedule fires at least once in any 7 days; the 8th day covers a DST shift.
LOOKBACK = timedelta(days=8)


@dataclass(frozen=True)
class Due:
    """A fire of the schedule (UTC) and the week its digests cover."""

    fire: datetime
    week: Week


def schedule_trigger(schedule: DigestSchedule, zone: ZoneInfo) -> CronTrigger:
    """The schedule as a CronTrigger on the workspace's wall clock (DST moves with it)."""
    return CronTrigger(
        day_of_week=schedule.cron_day_of_week,
        hour=schedule.hour,
        minute=schedule.minute,
        timezone=zone,
    )


def fire_times(
    schedule: DigestSchedule, zone: ZoneInfo, *, after: datetime, until: datetime
) -> Iterator[datetime]:
    """The schedule's fires in (after, until], in UTC, oldest first: one per scheduled day."""
    # Not CronTrigger.get_next_fire_time: in APScheduler 3.11 it skips a day after the
    # spring change (agronholm/apscheduler#606, #529: 'mon 00:30' misses the Monday) and
    # can return the same fire again in the repeated autumn hour (#1021). Fires are
    # counted here one per local day, which is also what makes a period: a day's fire.
    day, last = after.astimezone(zone).date(), until.astimezone(zone).date()
    while day <= last:
        fire = _fire_on(day, schedule, zone)
        if DAYS[day.weekday()] in schedule.days and after < fire <= until:
            yield fire
        day += timedelta(days=1)


def _fire_on(day: date, schedule: DigestSchedule, zone: ZoneInfo) -> datetime:
    """The scheduled time on a local day, in UTC."""
    # fold=0: a time the spring jump skips comes an hour later (02:30 → 03:30), as with
    # cron; a time autumn repeats fires at its first occurrence only.
    local = datetime.combine(day, time(schedule.hour, schedule.minute), zone)
    return local.astimezone(UTC)


def latest_fire(schedule: DigestSchedule, zone: ZoneInfo, now: datetime) -> datetime | None:
    """The last fire at or before now (UTC), or None if the schedule never fired in 8 days."""
    fires = list(fire_times(schedule, zone, after=now - LOOKBACK, until=now))
    return fires[-1] if fires else None


def covered_week(fire: datetime, zone: ZoneInfo) -> Week:
    """The last complete week before the fire's local day: Monday 09:00 → the week just ended."""
    return Week.of(fire, zone).previous()


def last_complete_week(now: datetime, zone: ZoneInfo) -> Week:
    """The week before the one now falls in, on the workspace's clock."""
    return Week.of(now, zone).previous()


def due_period(
    *, schedule: DigestSchedule, zone: ZoneInfo, now: datetime, since: datetime
) -> Due | None:
    """The fire due at now and its week; None before the first fire after `since`."""
    fire = latest_fire(schedule, zone, now)
    # Fires before the first start are not owed: a fresh install must not send last week.
    if fire is None or fire < since.astimezone(UTC):
        return None
    return Due(fire, covered_week(fire, zone))
