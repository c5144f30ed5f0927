"""Which period is due when: the latest fire of the schedule covers the last complete week."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from freezegun import freeze_time

from bot.digests.model import Week
from bot.digests.schedule import (
    due_period,
    fire_times,
    last_complete_week,
    latest_fire,
    schedule_trigger,
)
from bot.settings import parse_schedule
from storage.types import utc_now

BERLIN = ZoneInfo("Europe/Berlin")
MONDAY_9 = parse_schedule("mon 09:00")
LONG_AGO = datetime(2020, 1, 1, tzinfo=UTC)


def at(*args: int) -> datetime:
    """A wall-clock time in Berlin."""
    return datetime(*args, tzinfo=BERLIN)


def due(text: str, now: datetime, since: datetime = LONG_AGO):
    return due_period(schedule=parse_schedule(text), zone=BERLIN, now=now, since=since)


def test_monday_at_nine_the_week_that_ended_on_sunday_is_due():
    found = due("mon 09:00", at(2026, 11, 16, 9, 0))

    assert found.week == Week.parse("2026-W46")
    assert found.fire == at(2026, 11, 16, 9, 0).astimezone(UTC)


def test_on_sunday_the_ending_week_is_not_due_yet():
    found = due("mon 09:00", at(2026, 11, 22, 23, 59))

    assert found.week == Week.parse("2026-W46")  # still last Monday's period: nothing new


def test_one_minute_before_the_fire_the_previous_period_is_still_the_due_one():
    assert due("mon 09:00", at(2026, 11, 16, 8, 59)).week == Week.parse("2026-W45")


def test_down_at_nine_and_back_at_eleven_the_same_period_is_due():
    assert due("mon 09:00", at(2026, 11, 16, 11, 0)) == due("mon 09:00", at(2026, 11, 16, 9, 0))


def test_fires_before_the_first_start_are_not_owed():
    installed = at(2026, 11, 16, 8, 30)

    assert due("mon 09:00", at(2026, 11, 16, 8, 45), since=installed) is None
    assert due("mon 09:00", at(2026, 11, 16, 9, 0), since=installed).week.key == "2026-W46"


def test_installed_after_the_fire_waits_for_the_next_one():
    installed = at(2026, 11, 16, 10, 0)

    assert due("mon 09:00", at(2026, 11, 22, 12, 0), since=installed) is None
    assert due("mon 09:00", at(2026, 11, 23, 9, 0), since=installed).week.key == "2026-W47"


def test_a_second_day_in_the_week_covers_the_same_week_so_sends_nothing_new():
    monday = due("mon,thu 09:00", at(2026, 11, 16, 9, 0))
    thursday = due("mon,thu 09:00", at(2026, 11, 19, 9, 0))

    assert thursday.fire > monday.fire
    assert thursday.week == monday.week


def test_spring_forward_a_fire_in_the_skipped_hour_happens_once_an_hour_late():
    # 2026-03-29: Berlin's clocks jump from 02:00 to 03:00, so 02:30 never shows.
    assert due("sun 02:30", at(2026, 3, 29, 3, 29)).week.key == "2026-W11"
    found = due("sun 02:30", at(2026, 3, 29, 3, 30))

    assert found.week.key == "2026-W12"
    assert found.fire == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)


def test_fall_back_a_fire_in_the_repeated_hour_fires_once_for_one_week():
    # 2026-10-25: 02:00–03:00 happens twice; the first 02:30 fires, the second adds nothing.
    before = due("sun 02:30", datetime(2026, 10, 25, 0, 29, tzinfo=UTC))
    first = due("sun 02:30", datetime(2026, 10, 25, 0, 30, tzinfo=UTC))
    second = due("sun 02:30", datetime(2026, 10, 25, 1, 30, tzinfo=UTC))

    assert before.week.key == "2026-W41"
    assert first == second
    assert first.week.key == "2026-W42"


def test_a_fire_just_after_midnight_is_not_lost_after_the_spring_change():
    # APScheduler 3.11's CronTrigger skips this Monday (agronholm/apscheduler#606).
    found = due("mon 00:30", at(2026, 3, 30, 0, 30))

    assert found.fire == at(2026, 3, 30, 0, 30).astimezone(UTC)
    assert found.week.key == "2026-W13"


def test_fires_are_the_live_cron_triggers_fires_in_an_ordinary_year():
    trigger = schedule_trigger(MONDAY_9, BERLIN)
    expected, fire = [], trigger.get_next_fire_time(None, at(2026, 1, 1))
    while fire < at(2027, 1, 1):
        expected.append(fire.astimezone(UTC))
        fire = trigger.get_next_fire_time(None, fire.astimezone(UTC) + timedelta(seconds=1))

    assert (
        list(fire_times(MONDAY_9, BERLIN, after=at(2026, 1, 1), until=at(2027, 1, 1))) == expected
    )


def test_monday_nine_stays_nine_local_across_both_transitions():
    spring = latest_fire(MONDAY_9, BERLIN, at(2026, 3, 30, 12, 0))
    autumn = latest_fire(MONDAY_9, BERLIN, at(2026, 10, 26, 12, 0))

    assert spring == datetime(2026, 3, 30, 7, 0, tzinfo=UTC)  # CEST, UTC+2
    assert autumn == datetime(2026, 10, 26, 8, 0, tzinfo=UTC)  # CET, UTC+1


def test_a_whole_year_of_fires_covers_every_week_once_even_in_the_odd_hour():
    for text in ("sun 02:30", "mon 09:00", "sun 00:00", "mon 00:30"):
        fires = list(
            fire_times(parse_schedule(text), BERLIN, after=at(2025, 12, 31), until=at(2027, 1, 1))
        )
        weeks = sorted({due(text, fire).week for fire in fires})
        days = {fire.astimezone(BERLIN).date() for fire in fires}

        assert len(days) == len(weeks) == 52, text  # one period per fire day, none skipped
        assert weeks == [weeks[0].shifted(n) for n in range(52)], text


@freeze_time("2026-11-16 08:00:00")  # 09:00 in Berlin
def test_the_frozen_clock_on_monday_morning_makes_last_week_due():
    now = utc_now()

    assert due("mon 09:00", now).week == last_complete_week(now, BERLIN)
    assert due("mon 09:00", now + timedelta(minutes=-1)).week == Week.parse("2026-W45")
