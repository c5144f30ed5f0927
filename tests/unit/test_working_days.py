"""Working days: Monday to Friday, counted in the workspace's time zone."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.discoveries.nudges import add_working_days

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
