"""Gather one week's figures for a route channel, the coaches and the scouts from the database."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.digests.model import OPEN_COUNTED, Week
from bot.digests.quality import ScoutQuality, ScoutRow, Tip, missing_of, scout_quality, tips
from bot.domain.decline import current_reasons
from bot.domain.opener.quality import completeness_parts
from bot.routes import Route, current_routes
from bot.working_days import WEEKDAYS, WorkingCalendar
from storage.enums import DiscoveryStatus
from storage.queries.digest_figures import (
    REACHED,
    DiscoveryLine,
    LoopLine,
    ScoutCount,
    ThemeGroup,
    action_scouts,
    logged_per_route,
    oldest_open,
    open_per_route,
)
from storage.queries.digest_follow_through import RealisedWeek, realised_weeks
from storage.queries.digest_kept import kept_weeks
from storage.queries.digest_loops import Funnel, trend_loops
from storage.queries.digest_routes import (
    changes_per_route,
    closed_per_route,
    largest_per_route,
    thanked_per_route,
)
from storage.queries.digest_scouts import (
    LoopWeek,
    decline_reasons,
    scout_rows,
)
from storage.queries.digest_trends import (
    Completeness,
    LoopTiming,
    ThemeTrend,
    participation,
    scout_changes,
    theme_trends,
)
from storage.queries.digest_value import ThemeValue, value_by_theme_per_route
from storage.queries.digest_week import WeekRow, theme_groups, week_rows

# How much a digest lists; figures above these are counted, not listed.
PER_THEME = 5
LARGEST = 5
OLDEST = 5
CLOSED = 10
THANKS = 10
FIRST_TIMERS = 10
PER_SCOUT = 10
TREND_WEEKS = 12
BASELINE_WEEKS = 4  # rising themes: this week against the mean of the 4 before
COHORT_WEEKS = 4  # loop closure: the discoveries of the 4 weeks before this one
VALUE_WEEKS = 4  # value by theme: the week against an average week of the four before
SATURDAY = 5


@dataclass(frozen=True)
class RouteFigures:
    """What a route channel's digest reports for a week."""

    route: Route
    week: Week
    logged: int
    logged_before: int  # the week before
    changes: Mapping[DiscoveryStatus, int]
    themes: tuple[ThemeGroup, ...]
    largest: tuple[DiscoveryLine, ...]
    open_after_days: int
    open_count: int
    open_oldest: tuple[DiscoveryLine, ...]
    closed_count: int
    closed: tuple[LoopLine, ...]
    thanked_count: int
    thanked: tuple[ScoutCount, ...]
    # Value by theme of the week, against an average week of the four before.
    theme_values: tuple[ThemeValue, ...] = ()


@dataclass(frozen=True)
class CoachFigures:
    """What the coaches' digest reports for a week."""

    week: Week
    weeks: tuple[Week, ...]  # the trend's weeks, oldest first, this one last
    series: Mapping[Route, tuple[int, ...]]  # per route: a discovery counts on each team
    active_scouts: int
    first_timer_count: int
    first_timers: tuple[str, ...]
    completeness: Completeness
    timing: LoopTiming
    themes: tuple[ThemeTrend, ...]
    recognised_count: int
    recognised: tuple[ScoutCount, ...]
    baseline_weeks: int = BASELINE_WEEKS  # `themes[…].before` counts this many weeks
    cohort_weeks: int = COHORT_WEEKS  # `timing` is of the discoveries of this many weeks
    totals: tuple[int, ...] = ()  # discoveries per trend week, each counted once
    scouts: tuple[ScoutQuality, ...] = ()  # everyone who logged this week, best first
    declines: Mapping[str, int] = field(default_factory=dict)  # this week's, per reason key
    # The chart's trend weeks: completeness, and loops as they stand (at the week's end, or now).
    completeness_trend: tuple[Completeness, ...] = ()
    loop_trend: tuple[LoopWeek, ...] = ()
    funnel: Funnel | None = None  # the trend weeks' discoveries, logged to now: how far they got


@dataclass(frozen=True)
class ScoutNews:
    """What happened this week to one scout's discoveries, and what they logged."""

    user_id: str
    week: Week
    logged_count: int = 0
    logged: tuple[DiscoveryLine, ...] = ()
    answered_count: int = 0
    answered: tuple[LoopLine, ...] = ()
    tip: Tip | None = None  # the part they most often left out this week, if they logged


@dataclass(frozen=True)
class RouteCounts:
    """What every route digest of a week needs, each figure found for all routes in one query."""

    logged: Mapping[Route, int]
    logged_before: Mapping[Route, int]
    open: Mapping[Route, int]
    open_cutoff: datetime  # logged by then and still new: an open loop
    changes: Mapping[Route, Mapping[DiscoveryStatus, int]]
    themes: Mapping[Route, list[ThemeGroup]]
    largest: Mapping[Route, list[DiscoveryLine]]
    closed: Mapping[Route, tuple[int, list[LoopLine]]]
    thanked: Mapping[Route, tuple[int, list[ScoutCount]]]
    theme_values: Mapping[Route | None, list[ThemeValue]]


def route_counts(
    *, session: Session, team_id: str | None, week: Week, zone: ZoneInfo, now: datetime, open_after: int,
    calendar: WorkingCalendar = WEEKDAYS,
) -> RouteCounts:  # fmt: skip
    """The week's figures of every route: arrivals this week and last, changes, themes, the
    largest, closed loops, scouts thanked, and open loops (as of the week's end, or now)."""
    start, end = week.bounds(zone)
    last_start, _ = week.previous().bounds(zone)
    cutoff = open_loop_cutoff(as_of=min(end, now), days=open_after, zone=zone, calendar=calendar)
    span = {"session": session, "team_id": team_id, "start": start, "end": end}
    mine = {"session": session, "team_id": team_id}
    routes = current_routes().ids
    # Read once for the themes, the value by theme of every route (the value to now) and
    # the week's arrivals per route.
    week_read = week_rows(**span, until=min(end, now))
    return RouteCounts(
        logged=_per_route_of(week_read, routes),
        logged_before=_logged_before(**mine, start=last_start, end=start, routes=routes),
        open=open_per_route(**mine, before=cutoff, cap=OPEN_COUNTED, routes=routes),
        open_cutoff=cutoff, changes=changes_per_route(**span),
        themes=theme_groups(session=session, rows=week_read, per_theme=PER_THEME),
        largest=largest_per_route(**span, limit=LARGEST),
        closed=closed_per_route(**span, limit=CLOSED), thanked=thanked_per_route(**span, limit=THANKS),
        theme_values=theme_values_per_route(**mine, week=week, zone=zone, now=now, rows=week_read),
    )  # fmt: skip


def _per_route_of(rows: Sequence[WeekRow], routes: Sequence[Route]) -> dict[Route, int]:
    """How many of the week's rows each route holds now (one on two routes counts on both)."""
    counts = Counter(route for row in rows for route in row.routes)
    return {route: counts.get(route, 0) for route in routes}


def _logged_before(
    *, session: Session, team_id: str | None, start: datetime, end: datetime,
    routes: Sequence[Route],
) -> dict[Route, int]:  # fmt: skip
    """The week before's arrivals per route: from its kept tally (its routes now: as of any
    moment), else counted."""
    kept = kept_weeks(session=session, team_id=team_id, edges=(start, end), seconds=False)
    kept = kept.get((start, end))
    if kept is None:
        return logged_per_route(session=session, team_id=team_id, start=start, end=end,
                                routes=routes)  # fmt: skip
    counts = kept.per_route()
    return {route: counts.get(route, 0) for route in routes}


def route_figures(
    *,
    session: Session,
    team_id: str | None,
    week: Week,
    zone: ZoneInfo,
    now: datetime,
    route: Route,
    open_after: int,
    counts: RouteCounts | None = None,
    calendar: WorkingCalendar = WEEKDAYS,
) -> RouteFigures:
    """One route's figures for a week; pass `counts` to share them between routes."""
    counts = counts or route_counts(
        session=session, team_id=team_id, week=week, zone=zone, now=now, open_after=open_after,
        calendar=calendar,
    )  # fmt: skip
    oldest = oldest_open(
        session=session, team_id=team_id, before=counts.open_cutoff, route=route, limit=OLDEST
    )
    values = counts.theme_values.get(route, ())
    (closed_count, closed) = counts.closed.get(route, (0, []))
    (thanked_count, thanked) = counts.thanked.get(route, (0, []))
    return RouteFigures(
        route=route, week=week, logged=counts.logged.get(route, 0),
        logged_before=counts.logged_before.get(route, 0),
        changes=counts.changes.get(route, dict.fromkeys(REACHED, 0)),
        themes=tuple(counts.themes.get(route, ())), largest=tuple(counts.largest.get(route, ())),
        open_after_days=open_after, open_count=counts.open.get(route, 0), open_oldest=tuple(oldest),
        closed_count=closed_count, closed=tuple(closed), thanked_count=thanked_count,
        thanked=tuple(thanked), theme_values=tuple(values),
    )  # fmt: skip


def theme_values_per_route(
    *, session: Session, team_id: str | None, week: Week, zone: ZoneInfo, now: datetime,
    rows: Sequence[WeekRow] | None = None,
) -> dict[str | None, list[ThemeValue]]:  # fmt: skip
    """Value by theme of each route's discoveries: the week (to now, if sooner) against an
    average week of the four before (the week counted from `rows`, if read already)."""
    start, end = week.bounds(zone)
    end, before = min(end, now), start - timedelta(weeks=VALUE_WEEKS)
    return value_by_theme_per_route(
        session=session, team_id=team_id, start=start, end=end, before=before, week=rows
    )


def coach_figures(
    *, session: Session, team_id: str | None, week: Week, zone: ZoneInfo, now: datetime,
    filled: WeekScouts | None = None,
) -> CoachFigures:  # fmt: skip
    """Query the coaches' figures for a week: 12-week trend, participation, loops, themes,
    quality per scout (of `filled`, if the caller has it already)."""
    start, end = week.bounds(zone)
    weeks = trend_weeks(week)
    edges = trend_edges(week, zone)
    mine = {"session": session, "team_id": team_id}
    active, first_count, first = participation(**mine, start=start, end=end, limit=FIRST_TIMERS)
    baseline, _ = week.shifted(-BASELINE_WEEKS).bounds(zone)
    # The counts per route and week, the chart's loops, the cohort's timing and the funnel:
    # one read of the trend's weeks.
    loops = trend_loops(
        **mine, edges=edges, as_of=min(end, now), cohort_weeks=COHORT_WEEKS,
        routes=current_routes().ids,
    )  # fmt: skip
    totals = tuple(loop.logged for loop in loops.weeks)
    # The weeks before this one, and its start: kept weeks are read, not counted.
    baseline_edges = edges[-2 - BASELINE_WEEKS : -1]
    themes = theme_trends(**mine, before=baseline, start=start, end=end, weeks=baseline_edges)
    count, scouts = action_scouts(**mine, start=start, end=end, route=None, limit=THANKS)
    return CoachFigures(
        week=week, weeks=weeks, series={r: tuple(c) for r, c in loops.series.items()},
        active_scouts=active, first_timer_count=first_count, first_timers=tuple(first),
        completeness=loops.completeness[-1], timing=loops.timing,
        themes=tuple(themes),
        recognised_count=count, recognised=tuple(scouts), totals=totals,
        scouts=tuple(week_quality(**mine, week=week, zone=zone, now=now, filled=filled)),
        declines=declines_of_week(**mine, start=start, end=end),
        completeness_trend=loops.completeness,
        loop_trend=loops.weeks, funnel=loops.funnel,
    )  # fmt: skip


def trend_weeks(week: Week) -> tuple[Week, ...]:
    """The coaches' trend: the week and the ones before it, oldest first."""
    return tuple(week.shifted(n) for n in range(1 - TREND_WEEKS, 1))


def trend_edges(week: Week, zone: ZoneInfo) -> list[datetime]:
    """Where the trend's weeks start, and where the last ends."""
    return [w.bounds(zone)[0] for w in trend_weeks(week)] + [week.bounds(zone)[1]]


@dataclass(frozen=True)
class WeekScouts:
    """The week's discoveries as the scouts filled them in, and what each lacks: worked out
    once for both the coaches' quality per scout and the scouts' tips."""

    rows: tuple[ScoutRow, ...]
    missing: Mapping[int, Sequence[str]]
    qualities: tuple[ScoutQuality, ...] = ()  # per scout, best first: the figures and the tips


def week_scouts(
    *, session: Session, team_id: str | None, week: Week, zone: ZoneInfo, now: datetime
) -> WeekScouts:
    """The week's discoveries with their loops as of the week's end (or now, if sooner)."""
    start, end = week.bounds(zone)
    found = scout_rows(session=session, team_id=team_id, start=start, end=end, as_of=min(end, now))
    rows = tuple(ScoutRow(*row) for row in found)  # in ScoutRow's order: SCOUT_ROW_FIELDS
    missing = missing_of(rows)
    return WeekScouts(rows, missing, tuple(scout_quality(rows, missing)))


def week_quality(
    *, session: Session, team_id: str | None, week: Week, zone: ZoneInfo, now: datetime,
    filled: WeekScouts | None = None,
) -> list[ScoutQuality]:  # fmt: skip
    """Quality per scout of the week's discoveries (loops as of the week's end, or now)."""
    filled = filled or week_scouts(session=session, team_id=team_id, week=week, zone=zone, now=now)
    return list(filled.qualities)


def declines_of_week(
    *, session: Session, team_id: str | None, start: datetime, end: datetime
) -> dict[str, int]:
    """The week's declines per reason of prompts/decline_reasons.yaml (unknown or none: other)."""
    reasons, counts = current_reasons(), Counter[str]()
    found = decline_reasons(session=session, team_id=team_id, start=start, end=end)
    for key, count in found.items():
        counts[reasons.counted(key)] += count
    return dict(counts)


def scout_news(
    *, session: Session, team_id: str | None, week: Week, zone: ZoneInfo,
    filled: WeekScouts | None = None,
) -> list[ScoutNews]:  # fmt: skip
    """Every scout with something new this week: discoveries logged, or answered, or both;
    each who logged gets the one part they most often left out, with a colleague's example."""
    start, end = week.bounds(zone)
    span = {"session": session, "team_id": team_id, "start": start, "end": end}
    answered = scout_changes(**span, per_scout=PER_SCOUT)
    filled = filled or week_scouts(session=session, team_id=team_id, week=week, zone=zone, now=end)
    logged = logged_per_scout(filled.rows, PER_SCOUT)
    advice = tips(filled.rows, completeness_parts(), filled.missing, filled.qualities)
    news = []
    for user in sorted(set(logged) | set(answered)):
        logged_count, logged_lines = logged.get(user, (0, []))
        answered_count, answered_lines = answered.get(user, (0, []))
        lines = (tuple(logged_lines), answered_count, tuple(answered_lines))
        news.append(ScoutNews(user, week, logged_count, *lines, advice.get(user)))
    return news


def logged_per_scout(
    rows: Sequence[ScoutRow], per_scout: int
) -> dict[str, tuple[int, list[DiscoveryLine]]]:
    """Per scout who logged: how many, and the first few in the order logged; from the week's
    rows the quality figures read (a query of its own read the week again)."""
    mine: dict[str, list[ScoutRow]] = {}
    for row in sorted(rows, key=lambda row: (row.created_at, row.id)):
        mine.setdefault(row.scout_user_id, []).append(row)
    return {user: (len(logged), [_line(row) for row in logged[:per_scout]])
            for user, logged in mine.items()}  # fmt: skip


def _line(row: ScoutRow) -> DiscoveryLine:
    return DiscoveryLine(
        row.id, row.account, row.outcome, row.scout_user_id, row.created_at, row.value_amount,
        row.value_currency, row.value_band, row.value_base,
    )  # fmt: skip


def open_loop_cutoff(
    *, as_of: datetime, days: int, zone: ZoneInfo, calendar: WorkingCalendar = WEEKDAYS
) -> datetime:
    """The latest moment a discovery may have been logged to be `days` working days old at as_of.

    The inverse of nudges.add_working_days: logged at or before the cutoff ⇔ due by as_of.
    On a day off (a weekend, a public holiday) nothing falls due, so the clock reads as at
    the end of the working day before.
    """
    local = as_of.astimezone(zone)
    day, wall = local.date(), local.time()
    if not calendar.is_working(day):
        day, wall = calendar.previous_working(day), time.max
    return datetime.combine(_working_days_back(day, days, calendar), wall, zone)


def _working_days_back(due: date, days: int, calendar: WorkingCalendar) -> date:
    """The last working day whose `days`-th working day after it is `due` (a working day)."""
    day = due
    while days:
        days -= calendar.is_working(day)
        day -= timedelta(days=1)
    # Logged on a day off, the clock starts on the next working day: those are not due yet.
    return calendar.previous_working(day)


def realised_by_week(
    *, session: Session, team_id: str | None, weeks: Sequence[Week], zone: ZoneInfo
) -> list[RealisedWeek]:
    """Per week (oldest first): discoveries that realised value in it (won, shipped, published,
    each counted once) and the value won in the base currency; for charts and digests."""
    if not weeks:
        return []
    edges = [week.bounds(zone)[0] for week in weeks] + [weeks[-1].bounds(zone)[1]]
    return realised_weeks(session=session, team_id=team_id, edges=edges)
