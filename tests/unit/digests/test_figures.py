"""Open loops' cut-off is the exact inverse of the nudges' working-day clock, DST included."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.digests.figures import open_loop_cutoff
from bot.discoveries.nudges import add_working_days

BERLIN = ZoneInfo("Europe/Berlin")


def _local(*args: int) -> datetime:
    return datetime(*args, tzinfo=BERLIN)


def test_at_the_weeks_end_three_working_days_reach_back_to_wednesday_midnight():
    cutoff = open_loop_cutoff(as_of=_local(2026, 11, 23), days=3, zone=BERLIN)

    assert cutoff == _local(2026, 11, 18)


def test_logged_at_a_weekend_waits_from_monday():
    # Due Friday 00:00 for four days from the Monday: not due on Thursday night.
    cutoff = open_loop_cutoff(as_of=_local(2026, 11, 19, 23, 30), days=4, zone=BERLIN)

    assert cutoff == _local(2026, 11, 13, 23, 30)  # Friday before; the weekend's are not due


@pytest.mark.parametrize("seed", range(3))
def test_logged_by_the_cutoff_is_exactly_due_by_then(seed):
    rng = random.Random(seed)
    base = datetime(2026, 1, 1, tzinfo=UTC)  # a year: both DST changes
    for _ in range(3000):
        days = rng.randint(1, 6)
        as_of = base + timedelta(minutes=rng.randint(0, 60 * 24 * 365))
        if rng.random() < 0.3:  # week ends are midnights
            as_of = datetime.combine(as_of.astimezone(BERLIN).date(), datetime.min.time(), BERLIN)
        logged = as_of - timedelta(minutes=rng.randint(0, 60 * 24 * 14))
        cutoff = open_loop_cutoff(as_of=as_of, days=days, zone=BERLIN)

        assert (logged <= cutoff) == (add_working_days(logged, days, BERLIN) <= as_of)
