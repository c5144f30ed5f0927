"""The values digests are made of: a week, a message, a chart, and one digest for one channel."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

WEEK_KEY = re.compile(r"^(?P<year>\d{4})-W(?P<number>\d{2})$")
# Open loops are counted this far and no further ("1,000+"): a backlog that grows with the
# history must not make every week's digest slower (bench/scale.py, 10,000,000 rows).
OPEN_COUNTED = 1000


class DigestKind(StrEnum):
    """Who a digest is for."""

    ROUTE = "route"  # one per route channel (the routes of prompts/routing.yaml)
    COACH = "coach"  # the coach channel: trends over 12 weeks, with a chart
    SCOUT = "scout"  # a DM to each scout with something new


@dataclass(frozen=True, order=True)
class Week:
    """An ISO week (Monday to Sunday) in the workspace's time zone; its key names the period."""

    year: int
    number: int

    @classmethod
    def parse(cls, text: str) -> Week:
        """'2026-W47' → Week(2026, 47); ValueError for anything else or a week that doesn't exist."""
        match = WEEK_KEY.match(text.strip().upper())
        if not match:
            raise ValueError(f"{text!r} is not an ISO week like 2026-W47")
        week = cls(int(match["year"]), int(match["number"]))
        try:
            week.monday  # noqa: B018 (W00, W54, or W53 in a 52-week year, raise here)
        except ValueError:
            raise ValueError(f"{week.year} has no week {week.number}") from None
        return week

    @classmethod
    def containing(cls, day: date) -> Week:
        """The week a calendar day belongs to."""
        year, number, _ = day.isocalendar()
        return cls(year, number)

    @classmethod
    def of(cls, moment: datetime, zone: ZoneInfo) -> Week:
        """The week an instant falls in, as the workspace's clock sees it."""
        return cls.containing(moment.astimezone(zone).date())

    @property
    def key(self) -> str:
        """The period key stored with each digest run: '2026-W47'."""
        return f"{self.year}-W{self.number:02d}"

    @property
    def monday(self) -> date:
        """The first day of the week."""
        return date.fromisocalendar(self.year, self.number, 1)

    def shifted(self, weeks: int) -> Week:
        """The week `weeks` later (negative: earlier)."""
        return Week.containing(self.monday + timedelta(weeks=weeks))

    def previous(self) -> Week:
        """The week before."""
        return self.shifted(-1)

    def bounds(self, zone: ZoneInfo) -> tuple[datetime, datetime]:
        """[start, end) in UTC: local Monday 00:00 to the next local Monday 00:00."""
        start = datetime.combine(self.monday, time(), tzinfo=zone)
        end = datetime.combine(self.monday + timedelta(weeks=1), time(), tzinfo=zone)
        return start.astimezone(UTC), end.astimezone(UTC)

    def __str__(self) -> str:
        return self.key


@dataclass(frozen=True)
class Message:
    """One Slack message: the notification text and its Block Kit blocks (as dicts)."""

    text: str
    blocks: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class Chart:
    """A PNG image to upload with a digest."""

    png: bytes
    filename: str
    title: str
    alt_text: str


@dataclass(frozen=True)
class Digest:
    """One digest for one channel and week: a parent message, its thread, maybe a chart.

    `name` is what makes a digest unique with channel and period (the digest_runs row):
    'route:sales', 'route:product', 'coach', 'scout'. For a scout digest `channel_id`
    is the scout's user id (the DM is opened when sending).
    """

    kind: DigestKind
    name: str
    channel_id: str
    week: Week
    parent: Message
    thread: tuple[Message, ...] = ()
    chart: Chart | None = None

    @property
    def period(self) -> str:
        """The period key of this digest's run."""
        return self.week.key
