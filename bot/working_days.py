"""Working days: Monday to Friday, without the public holidays of a configured country
(VALUESCOUT_HOLIDAYS, from the `holidays` package); without one, every weekday works."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

import holidays

SATURDAY = 5  # date.weekday(): Monday is 0, so 5 and 6 are the weekend


def known_country(code: str) -> bool:
    """Whether the holidays package has public holidays for this country code (e.g. DE)."""
    return code.upper() in holidays.list_supported_countries()


@dataclass(frozen=True)
class WorkingCalendar:
    """Which days count as working days; `country` None means weekdays only."""

    country: str | None = None

    def is_working(self, day: date) -> bool:
        """A weekday that is no public holiday of the country."""
        return day.weekday() < SATURDAY and day not in _holidays(self.country, day.year)

    def next_working(self, day: date) -> date:
        """day itself if it is a working day, else the first one after it."""
        while not self.is_working(day):
            day += timedelta(days=1)
        return day

    def previous_working(self, day: date) -> date:
        """day itself if it is a working day, else the last one before it."""
        while not self.is_working(day):
            day -= timedelta(days=1)
        return day


WEEKDAYS = WorkingCalendar()


@cache
def _holidays(country: str | None, year: int) -> frozenset[date]:
    """The country's public holidays in a year (read once per process and year)."""
    if country is None:
        return frozenset()
    return frozenset(holidays.country_holidays(country.upper(), years=year))
