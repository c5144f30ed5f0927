"""Figures made by hand for the pure digest tests: a week's worth, any size, any text."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from bot.digests.figures import CoachFigures, RouteFigures, ScoutNews
from bot.digests.model import Week
from storage.enums import DiscoveryStatus
from storage.queries.digest_figures import DiscoveryLine, LoopLine, ScoutCount, ThemeGroup
from storage.queries.digest_trends import Completeness, LoopTiming, ThemeTrend

WEEK = Week.parse("2026-W47")
MONDAY = datetime(2026, 11, 16, 9, tzinfo=UTC)


def line(n: int, account: str = "Acme", outcome: str = "Onboard stores in a day", **kw: Any):
    """A discovery line; n sets its id and time."""
    values = {"value_amount": None, "value_currency": None, "value_band": None} | kw
    return DiscoveryLine(n, account, outcome, f"U{n:03d}", MONDAY + timedelta(minutes=n), **values)


def loop(n: int, status: str = "actioned", **kw: Any) -> LoopLine:
    """A closing status change of discovery n."""
    values = {"account": f"Account {n}", "outcome_kind": "content", "note": "Made a deck"} | kw
    return LoopLine(n, values.pop("account"), f"U{n:03d}", status, "U0PM", MONDAY, **values)


def route_figures(**kw: Any) -> RouteFigures:
    """A sales week with a bit of everything; keywords replace any field."""
    values: dict[str, Any] = {
        "route": "sales", "week": WEEK, "logged": 3, "logged_before": 2,
        "changes": {DiscoveryStatus.ACKNOWLEDGED: 1, DiscoveryStatus.ACTIONED: 1},
        "themes": (
            ThemeGroup("onboarding", 2, 2, (line(1), line(2, "Globex")), ("Acme", "Globex")),
            ThemeGroup("unthemed", 2, 2, (line(3, "Initech"), line(4, "Hooli"))),
        ),
        "largest": (line(1, value_amount=Decimal("50000"), value_currency="EUR",
                         value_base=Decimal("53000")),),
        "open_after_days": 3, "open_count": 1, "open_oldest": (line(9, "Umbrella"),),
        "closed_count": 1, "closed": (loop(1),), "thanked_count": 1,
        "thanked": (ScoutCount("U001", 1),),
    }  # fmt: skip
    return RouteFigures(**(values | kw))


def quiet_route_figures() -> RouteFigures:
    """Nothing logged, nothing answered, nothing waiting."""
    return route_figures(
        logged=0, changes={}, themes=(), largest=(), open_count=0, open_oldest=(),
        closed_count=0, closed=(), thanked_count=0, thanked=(),
    )  # fmt: skip


def coach_figures(**kw: Any) -> CoachFigures:
    """A coach's week: twelve weeks of trend, some loops, some themes."""
    weeks = tuple(WEEK.shifted(n) for n in range(-11, 1))
    values: dict[str, Any] = {
        "week": WEEK, "weeks": weeks,
        "series": {"sales": tuple(range(12)), "marketing": (1,) * 12,
                   "product": (0,) * 12},
        "active_scouts": 7, "first_timer_count": 2, "first_timers": ("U1", "U2"),
        "completeness": Completeness(total=12, valued=6, with_event=3, with_evidence=4),
        "timing": LoopTiming(cohort=40, closed=10, answered=30, median_seconds=5400),
        "themes": (ThemeTrend("onboarding", 6, 4), ThemeTrend("pricing", 2, 12),
                   ThemeTrend("reporting", 2, 0), ThemeTrend("unthemed", 9, 0)),
        "recognised_count": 1, "recognised": (ScoutCount("U1", 2),),
    }  # fmt: skip
    return CoachFigures(**(values | kw))


def scout_news(**kw: Any) -> ScoutNews:
    """A scout whose discovery was actioned and who logged two more."""
    values: dict[str, Any] = {
        "user_id": "U001", "week": WEEK, "logged_count": 2, "logged": (line(1), line(2)),
        "answered_count": 1, "answered": (loop(1),),
    }  # fmt: skip
    return ScoutNews(**(values | kw))
