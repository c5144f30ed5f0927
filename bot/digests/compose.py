"""Decide what a digest says from a week's figures: pure, no database, no Slack.

Figures in, reports out: what is quiet, what recurs, what is rising, what is shown and
how many more there are. Wording and Block Kit are rendering's business.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from bot.digests.model import OPEN_COUNTED
from bot.digests.quality import ScoutQuality, Tip, top_and_bottom
from bot.digests.theme_table import ThemeRow, theme_rows
from bot.domain.decline import current_reasons
from bot.domain.lifecycle import OUTCOME_LABELS, Outcome
from bot.domain.money import current_money
from bot.domain.themes import UNTHEMED, ValueNetwork
from bot.routes import Route
from storage.enums import DiscoveryStatus

if TYPE_CHECKING:
    from bot.digests.figures import CoachFigures, RouteFigures, ScoutNews
    from bot.digests.model import Week
    from storage.queries.digest_figures import DiscoveryLine, LoopLine, ScoutCount, ThemeGroup

T = TypeVar("T")
Status = DiscoveryStatus
THEMES_SHOWN = 8
RISING_SHOWN = 5
RISING_AT_LEAST = 2  # one discovery more than usual is noise, not a rise


@dataclass(frozen=True)
class Listing(Generic[T]):
    """Some items, and how many more there are than shown."""

    items: tuple[T, ...] = ()
    more: int = 0
    at_least: bool = False  # the total was counted only so far: there may be more than `more`

    def __bool__(self) -> bool:
        return bool(self.items or self.more)


@dataclass(frozen=True)
class ThemeEntry:
    """A theme's discoveries this week, with the theme's label."""

    label: str
    count: int
    account_count: int
    discoveries: Listing[DiscoveryLine]
    accounts: Listing[str]


@dataclass(frozen=True)
class Answer:
    """A status change told in a digest: what happened and, if actioned, what came of it."""

    line: LoopLine
    outcome: str | None


@dataclass(frozen=True)
class RouteReport:
    """A route channel's week, decided."""

    route: Route
    week: Week
    quiet: bool
    new: int
    last_week: int
    acknowledged: int
    actioned: int
    declined: int
    themes: Listing[ThemeEntry]
    largest: tuple[DiscoveryLine, ...]
    recurring: Listing[ThemeEntry]
    open_after_days: int
    open_loops: Listing[DiscoveryLine]
    closed: Listing[Answer]
    thanks: Listing[ScoutCount]
    value_by_theme: tuple[ThemeRow, ...] = ()  # four weeks to the week's end, in the base currency


@dataclass(frozen=True)
class TrendRow:
    """One week of the trend: discoveries per route, in the order of the report's `routes`,
    and in all (a discovery sent to two teams counts on each route, once in the total)."""

    week: str
    counts: tuple[int, ...]
    total: int | None = None  # None: not counted apart, the routes' sum stands in


@dataclass(frozen=True)
class Rising:
    """A theme seen more this week than on average in the weeks before."""

    label: str
    this_week: int
    average: float


@dataclass(frozen=True)
class CoachReport:
    """The coaches' week, decided."""

    week: Week
    quiet: bool
    new: int
    last_week: int
    routes: tuple[Route, ...]  # the trend's columns
    trend: tuple[TrendRow, ...]
    active_scouts: int
    first_timers: Listing[str]
    logged: int
    with_value: int | None  # percentages of `logged`; None when nothing was logged
    with_event: int | None
    with_evidence: int | None
    cohort: int
    closed_rate: int | None
    answered: int
    median_answer: str | None
    rising: tuple[Rising, ...]
    recognised: Listing[ScoutCount]
    baseline_weeks: int  # rising themes: this week against the mean of so many weeks before
    cohort_weeks: int  # the loop figures are of the discoveries of so many weeks before
    top_scouts: tuple[ScoutQuality, ...] = ()  # quality per scout: the best few
    bottom_scouts: tuple[ScoutQuality, ...] = ()  # and the weakest few, weakest first
    scout_count: int = 0  # scouts who logged this week (everyone is in `/scout coach`)
    declines: tuple[tuple[str, int], ...] = ()  # (reason label, declines), in the reasons' order
    # The chart's trends, a value per trend week (None: no discoveries that week).
    completeness_trend: Mapping[str, tuple[int | None, ...]] = field(default_factory=dict)
    loop_trend: Mapping[str, tuple[int | None, ...]] = field(default_factory=dict)
    answer_hours: tuple[float | None, ...] = ()


@dataclass(frozen=True)
class ScoutReport:
    """One scout's week, decided."""

    user_id: str
    week: Week
    logged: Listing[DiscoveryLine]
    answered: Listing[Answer]
    tip: Tip | None = None  # the one part that would make their next discovery stronger


def route_report(figures: RouteFigures, network: ValueNetwork) -> RouteReport:
    """What a route channel is told about its week."""
    themes = [_theme_entry(group, network) for group in figures.themes]
    recurring = [t for t, g in zip(themes, figures.themes, strict=True) if _recurs(g)]
    changes = figures.changes
    return RouteReport(
        route=figures.route, week=figures.week, quiet=_route_quiet(figures),
        new=figures.logged, last_week=figures.logged_before,
        acknowledged=changes.get(Status.ACKNOWLEDGED, 0), actioned=changes.get(Status.ACTIONED, 0),
        declined=changes.get(Status.DECLINED, 0), themes=listing(themes, limit=THEMES_SHOWN),
        largest=figures.largest, recurring=listing(recurring, limit=THEMES_SHOWN),
        open_after_days=figures.open_after_days,
        open_loops=listing(
            figures.open_oldest, total=figures.open_count, counted_to=OPEN_COUNTED
        ),
        closed=listing([answer(c) for c in figures.closed], total=figures.closed_count),
        thanks=listing(figures.thanked, total=figures.thanked_count),
        value_by_theme=tuple(theme_rows(figures.theme_values, network, current_money())),
    )  # fmt: skip


def _route_quiet(figures: RouteFigures) -> bool:
    """Nothing new, nothing answered, nothing waiting: a week worth one line."""
    return not (figures.logged or any(figures.changes.values()) or figures.open_count)


def _recurs(group: ThemeGroup) -> bool:
    """A gap recurs when one theme turns up at two accounts or more (unthemed says nothing)."""
    return group.theme != UNTHEMED and group.account_count >= 2


def _theme_entry(group: ThemeGroup, network: ValueNetwork) -> ThemeEntry:
    return ThemeEntry(
        label=network.label(group.theme),
        count=group.count,
        account_count=group.account_count,
        discoveries=listing(group.items, total=group.count),
        accounts=listing(group.accounts, total=group.account_count),
    )


def answer(change: LoopLine) -> Answer:
    """A status change with its outcome's label (actioned) or its reason's (declined), if any."""
    if change.to_status == Status.DECLINED:
        reason = change.outcome_kind and current_reasons().get(change.outcome_kind).label
        return Answer(change, reason or None)
    known = change.outcome_kind in set(Outcome)
    return Answer(change, OUTCOME_LABELS[Outcome(change.outcome_kind)] if known else None)


def listing(
    items: Sequence[T],
    *,
    total: int | None = None,
    limit: int | None = None,
    counted_to: int | None = None,
) -> Listing[T]:
    """The first `limit` items, and how many of `total` (default: all items) are left out;
    a total above `counted_to` was only counted that far (at least so many)."""
    shown = tuple(items[:limit] if limit is not None else items)
    capped = counted_to is not None and total is not None and total > counted_to
    total = counted_to if capped else total
    more = max((len(items) if total is None else total) - len(shown), 0)
    return Listing(shown, more, at_least=capped)


def _total(row: TrendRow) -> int:
    """A week's discoveries, each once (the routes' sum only where no total was counted)."""
    return sum(row.counts) if row.total is None else row.total


def coach_report(figures: CoachFigures, network: ValueNetwork) -> CoachReport:
    """What the coaches are told about the week and the twelve before it."""
    routes = tuple(figures.series)
    totals = figures.totals or tuple(None for _ in figures.weeks)
    trend = tuple(
        TrendRow(week.key, tuple(figures.series[route][index] for route in routes), total)
        for (index, week), total in zip(enumerate(figures.weeks), totals, strict=True)
    )
    done, timing = figures.completeness, figures.timing
    top, bottom = top_and_bottom(figures.scouts)
    return CoachReport(
        week=figures.week, quiet=_coach_quiet(figures, trend), new=_total(trend[-1]),
        last_week=_total(trend[-2]) if len(trend) > 1 else 0, routes=routes, trend=trend,
        active_scouts=figures.active_scouts,
        first_timers=listing(figures.first_timers, total=figures.first_timer_count),
        logged=done.total, with_value=percent(done.valued, done.total),
        with_event=percent(done.with_event, done.total),
        with_evidence=percent(done.with_evidence, done.total), cohort=timing.cohort,
        closed_rate=percent(timing.closed, timing.cohort), answered=timing.answered,
        median_answer=duration(timing.median_seconds), rising=rising(figures, network),
        recognised=listing(figures.recognised, total=figures.recognised_count),
        baseline_weeks=figures.baseline_weeks, cohort_weeks=figures.cohort_weeks,
        top_scouts=top, bottom_scouts=bottom, scout_count=len(figures.scouts),
        declines=decline_counts(figures.declines), **_chart_trends(figures),
    )  # fmt: skip


def _chart_trends(figures: CoachFigures) -> dict[str, Any]:
    """Per trend week: the shares with value, event, evidence; acknowledged, actioned and realised
    (of the week's discoveries, as their loops stand); median hours to the first answer."""
    done, loops = figures.completeness_trend, figures.loop_trend
    return {
        "completeness_trend": {
            part: tuple(percent(getattr(week, part), week.total) for week in done)
            for part in ("valued", "with_event", "with_evidence")
        },
        "loop_trend": {
            part: tuple(percent(getattr(week, part), week.logged) for week in loops)
            for part in ("answered", "actioned", "realised")
        },
        "answer_hours": tuple(
            None if w.median_seconds is None else w.median_seconds / 3600 for w in loops
        ),
    }


def decline_counts(declines: Mapping[str, int]) -> tuple[tuple[str, int], ...]:
    """Declines per reason as people read them, in the order the modal offers the reasons."""
    return tuple((r.label, declines[r.key]) for r in current_reasons() if declines.get(r.key))


def _coach_quiet(figures: CoachFigures, trend: tuple[TrendRow, ...]) -> bool:
    """Nothing logged in twelve weeks, nothing to time, nobody to recognise."""
    logged = any(sum(row.counts) for row in trend)
    return not (logged or figures.timing.cohort or figures.recognised_count)


def rising(figures: CoachFigures, network: ValueNetwork) -> tuple[Rising, ...]:
    """Themes seen at least twice this week and more often than their recent weekly average."""
    weeks = figures.baseline_weeks
    found = [
        Rising(network.label(t.theme), t.this_week, t.before / weeks)
        for t in figures.themes
        if t.theme != UNTHEMED and t.this_week >= RISING_AT_LEAST and t.this_week > t.before / weeks
    ]
    found.sort(key=lambda r: (r.average - r.this_week, r.label))
    return tuple(found[:RISING_SHOWN])


def scout_report(news: ScoutNews) -> ScoutReport:
    """What a scout is told about their own discoveries this week."""
    return ScoutReport(
        user_id=news.user_id,
        week=news.week,
        logged=listing(news.logged, total=news.logged_count),
        answered=listing([answer(change) for change in news.answered], total=news.answered_count),
        tip=news.tip,
    )


def percent(part: int, whole: int) -> int | None:
    """part of whole in whole percent, rounded; None when there is no whole."""
    return round(100 * part / whole) if whole else None


def duration(seconds: float | None) -> str | None:
    """A duration as people say it: '45 min', '5 h', '2.5 days'."""
    if seconds is None:
        return None
    minutes = seconds / 60
    if minutes < 90:
        return f"{max(round(minutes), 1)} min"
    if minutes < 48 * 60:
        return f"{round(minutes / 60)} h"
    days = f"{minutes / 1440:.1f}".removesuffix(".0")
    return f"{days} days"
