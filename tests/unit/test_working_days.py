"""Working days: Monday to Friday, counted in the workspace's time zone, without the public
holidays of the configured country."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.digests.figures import open_loop_cutoff
from bot.discoveries.nudges import add_working_days
from bot.working_days import WEEKDAYS, WorkingCalendar

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")


def berlin(*args: int) -> datetime:
    return datetime(*args, tzinfo=BERLIN)


def test_three_working_days_from_a_monday_is_the_thursday():
    assert add_working_days(berlin(2026, 11, 2, 10), 3, BERLIN) == berlin(2026, 11, 5, 10)


def test_a_friday_plus_three_working_days_skips_the_weekend_to_wednesday():
    assert add_working_days(berlin(2026, 11, 6, 10), 3, BERLIN) == berlin(2026, 11, 11, 10)


def test_a_friday_plus_one_working_day_is_monday():
    assert add_working_days(berlin(2026, 11, 6, 17), 1, BERLIN) == berlin(2026, 11, 9, 17)


@pytest.mark.parametrize("day", [7, 8])
def test_a_discovery_logged_at_the_weekend_starts_its_clock_on_monday_morning(day):
    assert add_working_days(berlin(2026, 11, day, 15), 3, BERLIN) == berlin(2026, 11, 12)


def test_the_wall_clock_time_holds_across_the_autumn_dst_change():
    due = add_working_days(berlin(2026, 10, 23, 10), 3, BERLIN)  # CEST; clocks go back on the 25th
    assert due == berlin(2026, 10, 28, 10)
    assert due.astimezone(UTC) == datetime(2026, 10, 28, 9, tzinfo=UTC)  # CET is UTC+1


def test_the_wall_clock_time_holds_across_the_spring_dst_change():
    due = add_working_days(berlin(2026, 3, 27, 10), 1, BERLIN)  # CET; clocks go forward on the 29th
    assert due.astimezone(UTC) == datetime(2026, 3, 30, 8, tzinfo=UTC)  # CEST is UTC+2


def test_the_weekend_is_the_workspace_s_weekend_not_utc_s():
    # Friday 23:30 in New York is already Saturday in UTC: still a Friday discovery.
    friday_night = datetime(2026, 11, 7, 4, 30, tzinfo=UTC)
    due = add_working_days(friday_night, 1, NEW_YORK)
    assert due.astimezone(NEW_YORK) == datetime(2026, 11, 9, 23, 30, tzinfo=NEW_YORK)


def test_the_result_is_in_utc():
    assert add_working_days(berlin(2026, 11, 2, 10), 1, BERLIN).tzinfo is UTC


# -- public holidays (VALUESCOUT_HOLIDAYS) --------------------------------------------------

GERMANY = WorkingCalendar("DE")


def test_25_december_is_a_working_day_only_without_a_country():
    christmas = date(2026, 12, 25)  # a Friday
    assert WEEKDAYS.is_working(christmas)
    assert not GERMANY.is_working(christmas) and not GERMANY.is_working(date(2026, 12, 26))


def test_a_nudge_due_over_christmas_skips_germany_s_holidays():
    # Wednesday 23 December + 3 working days: 24th (Thursday, a working day in Germany),
    # then not the 25th (holiday) nor the weekend: Monday 28th and Tuesday 29th.
    start = berlin(2026, 12, 23, 10)
    assert add_working_days(start, 3, BERLIN, GERMANY) == berlin(2026, 12, 29, 10)
    assert add_working_days(start, 3, BERLIN) == berlin(2026, 12, 28, 10)


def test_a_discovery_logged_on_a_holiday_starts_its_clock_the_next_working_morning():
    assert add_working_days(berlin(2026, 12, 25, 15), 1, BERLIN, GERMANY) == berlin(2026, 12, 29, 0)


def test_the_digest_cutoff_is_the_inverse_of_the_nudge_over_holidays():
    due = add_working_days(berlin(2026, 12, 23, 10), 3, BERLIN, GERMANY)
    cutoff = open_loop_cutoff(as_of=due, days=3, zone=BERLIN, calendar=GERMANY)
    assert cutoff == berlin(2026, 12, 23, 10)
    on_the_holiday = open_loop_cutoff(
        as_of=berlin(2026, 12, 25, 12), days=1, zone=BERLIN, calendar=GERMANY
    )
    assert on_the_holiday.date() == date(2026, 12, 23)  # as at the end of the 24th: 1 day back
