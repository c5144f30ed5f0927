"""The workspace configuration an admin sees and changes, as a plain value (no storage)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from bot.settings import DigestSchedule

MAX_NUDGE_DAYS = 30
# The zones offered to admins: IANA's canonical place names (not its legacy aliases like
# US/Pacific, nor Etc/GMT+5, whose sign reads backwards), and UTC.
ZONE_REGIONS = frozenset(
    {"Africa", "America", "Antarctica", "Arctic", "Asia", "Atlantic", "Australia", "Europe",
     "Indian", "Pacific"}
)  # fmt: skip


@dataclass(frozen=True)
class WorkspaceConfig:
    """The settings an admin sees and changes: channels per role, digest time, nudge delay."""

    channels: dict[str, str]  # a route id or "coach" → channel id
    schedule: DigestSchedule
    nudge_days: int
    # User ids. None: left as they are (unchanged, they keep following the environment).
    admins: frozenset[str] | None = None
    coaches: frozenset[str] | None = None  # besides the coach channel's members
    # An IANA zone name: the workspace's digests, working days and dates. None: left as it is.
    timezone: str | None = None
    # The country whose public holidays are not working days ("": weekdays only). None: as is.
    holidays: str | None = None


def may_change_settings(user_id: str, admins: frozenset[str]) -> bool:
    """Admins (the workspace's, VALUESCOUT_ADMINS by default) change the workspace's settings; nobody else, whatever
    surface the request came from (the Home button, `/scout config`, a forged submit)."""
    return user_id in admins


def known_zone(name: str) -> bool:
    """Whether `name` is an IANA time zone this machine knows (Europe/Berlin, UTC)."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


@cache
def offered_zones() -> tuple[str, ...]:
    """The zones an admin picks from, sorted: every canonical place name, and UTC."""
    places = (name for name in available_timezones() if name.split("/")[0] in ZONE_REGIONS)
    return ("UTC", *sorted(places))
