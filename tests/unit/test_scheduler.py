"""The digest trigger fires at the configured local time, across daylight-saving changes."""

from datetime import UTC, datetime

from bot.bootstrap import load_settings
from bot.digests.schedule import schedule_trigger


def digest_trigger(settings):
    return schedule_trigger(settings.schedule, settings.zone)


def next_fires(trigger, after: datetime, count: int) -> list[datetime]:
    fires, previous, now = [], None, after
    for _ in range(count):
        fire = trigger.get_next_fire_time(previous, now)
        fires.append(fire)
        previous, now = fire, fire
    return fires


def test_monday_nine_oclock_stays_nine_oclock_local_across_both_dst_changes():
    settings = load_settings(VALUESCOUT_TIMEZONE="Europe/Berlin")
    fires = next_fires(digest_trigger(settings), datetime(2026, 3, 20, tzinfo=UTC), 34)
    assert all((f.weekday(), f.hour, f.minute) == (0, 9, 0) for f in fires)
    offsets = {f.utcoffset().total_seconds() / 3600 for f in fires}
    assert offsets == {1.0, 2.0}  # both winter (CET) and summer (CEST) Mondays were crossed


def test_the_schedule_setting_decides_the_day_and_time():
    settings = load_settings(VALUESCOUT_DIGEST_SCHEDULE="fri 16:45", VALUESCOUT_TIMEZONE="UTC")
    fires = next_fires(digest_trigger(settings), datetime(2026, 11, 23, tzinfo=UTC), 2)
    assert [(f.strftime("%a %d"), f.hour, f.minute) for f in fires] == [
        ("Fri 27", 16, 45),
        ("Fri 04", 16, 45),
    ]
