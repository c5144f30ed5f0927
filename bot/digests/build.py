"""Build a week's digests: query the figures, compose what to say, render it. Sends nothing."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.digests.chart import CoachChartData, coach_chart
from bot.digests.compose import CoachReport, coach_report, route_report, scout_report
from bot.digests.events import events_messages
from bot.digests.figures import (
    RouteCounts,
    WeekScouts,
    coach_figures,
    route_counts,
    route_figures,
    scout_news,
    week_scouts,
)
from bot.digests.follow_through import coach_follow_through_messages, overdue_messages
from bot.digests.messages import coach_messages, route_messages, scout_messages
from bot.digests.model import Digest, DigestKind, Message, Week
from bot.digests.suggest import theme_suggestions
from bot.domain.added_themes import network_with
from bot.domain.theme_suggestions import current_suggestion_rules
from bot.domain.themes import ValueNetwork
from bot.rendering.suggestions import suggestions_blocks
from bot.routes import Route, current_routes
from bot.wording import say
from bot.working_days import WEEKDAYS, WorkingCalendar
from storage.queries.digest_figures import plan_for_digests
from storage.queries.themes import theme_additions

COACH = "coach"
SCOUT = "scout"


def digest_names() -> tuple[str, ...]:
    """What `only` may name: a route's id, the coaches' or the scouts' digest."""
    return (*current_routes().ids, COACH, SCOUT)


def build_digests(
    *,
    session: Session,
    team_id: str | None,
    week: Week,
    zone: ZoneInfo,
    now: datetime,
    channels: Mapping[str, str],
    network: ValueNetwork,
    open_after_working_days: int,
    skip_scouts: frozenset[str] = frozenset(),
    only: str | None = None,
    calendar: WorkingCalendar = WEEKDAYS,
) -> list[Digest]:
    """Every digest of a workspace's week: one per mapped route channel, the coaches', one per
    scout with news. Every figure counts `team_id`'s discoveries only (None: every workspace's,
    single-workspace mode).

    `channels` maps route ids and "coach" to channel ids; unmapped ones get no digest.
    `only` keeps one kind: a route's id, "coach" or "scout".
    """
    names = digest_names()
    if only is not None and only not in names:
        raise ValueError(f"unknown digest {only!r}: expected one of {', '.join(names)}")
    wanted = {only} if only else set(names)
    plan_for_digests(session)
    network = network_with(network, theme_additions(session=session))  # admins' themes too
    routes = [r for r in current_routes().ids if r in wanted and r in channels]
    mine = {"session": session, "team_id": team_id}
    digests = _route_digests(
        **mine, week=week, zone=zone, now=now, routes=routes, channels=channels,
        network=network, open_after=open_after_working_days, calendar=calendar,
    )  # fmt: skip
    coach, scout = COACH in wanted and COACH in channels, SCOUT in wanted
    # Both read the week's discoveries as their scouts filled them in: once.
    filled = week_scouts(**mine, week=week, zone=zone, now=now) if coach and scout else None
    if coach:
        digests.append(build_coach_digest(
            **mine, week=week, zone=zone, now=now, channel_id=channels[COACH], network=network,
            filled=filled,
        ))  # fmt: skip
    if scout:
        digests += build_scout_digests(
            **mine, week=week, zone=zone, skip=skip_scouts, filled=filled
        )
    return digests


def _route_digests(
    *,
    session: Session,
    team_id: str | None,
    week: Week,
    zone: ZoneInfo,
    now: datetime,
    routes: list[Route],
    channels: Mapping[str, str],
    network: ValueNetwork,
    open_after: int,
    calendar: WorkingCalendar = WEEKDAYS,
) -> list[Digest]:
    """The route channels' digests; the counts all of them show are queried once."""
    if not routes:
        return []
    counts = route_counts(
        session=session, team_id=team_id, week=week, zone=zone, now=now, open_after=open_after,
        calendar=calendar,
    )  # fmt: skip
    return [
        build_route_digest(
            session=session, team_id=team_id, week=week, zone=zone, now=now, route=route,
            channel_id=channels[route], network=network, open_after=open_after,
            counts=counts,
        )
        for route in routes
    ]  # fmt: skip


def build_route_digest(
    *,
    session: Session,
    team_id: str | None,
    week: Week,
    zone: ZoneInfo,
    now: datetime,
    route: Route,
    channel_id: str,
    network: ValueNetwork,
    open_after: int,
    counts: RouteCounts | None = None,
) -> Digest:
    """One route channel's digest (`counts` shared with the other routes, when given)."""
    mine = {"session": session, "team_id": team_id}
    figures = route_figures(
        **mine, week=week, zone=zone, now=now, route=route, open_after=open_after, counts=counts,
    )  # fmt: skip
    parent, thread = route_messages(route_report(figures, network), zone=zone)
    thread += tuple(events_messages(**mine, route=route, now=now, zone=zone))
    thread += tuple(overdue_messages(**mine, route=route))
    thread += tuple(_suggested_themes(session, team_id, network, route, (week, zone)))
    return Digest(DigestKind.ROUTE, f"route:{route}", channel_id, week, parent, thread)


def _suggested_themes(
    session: Session, team_id: str | None, network: ValueNetwork, route: Route,
    when: tuple[Week, ZoneInfo],
) -> list[Message]:  # fmt: skip
    """The product digest's new themes to consider, each with "Add theme" (none: no message)."""
    rules = current_suggestion_rules()
    if route != rules.route:
        return []
    week, zone = when
    found = theme_suggestions(
        session=session, team_id=team_id, network=network, rules=rules, week=week, zone=zone
    )
    blocks = suggestions_blocks(found, weeks=rules.weeks)
    return [Message(say("suggest_fallback"), blocks)] if blocks else []


def build_coach_digest(
    *,
    session: Session,
    team_id: str | None,
    week: Week,
    zone: ZoneInfo,
    now: datetime,
    channel_id: str,
    network: ValueNetwork,
    filled: WeekScouts | None = None,
) -> Digest:
    """The coaches' digest, with the 12-week trend chart (none in a quiet week)."""
    mine = {"session": session, "team_id": team_id}
    figures = coach_figures(**mine, week=week, zone=zone, now=now, filled=filled)
    report = coach_report(figures, network)
    parent, thread = coach_messages(report)
    # Realised outcomes rank above activity: they open the thread.
    realised = coach_follow_through_messages(
        **mine, week=week, zone=zone, now=now, steps=figures.funnel
    )
    thread = (*realised, *thread)
    chart = None
    if not report.quiet:
        title = say("digest_chart_title", first=report.trend[0].week, last=week.key)
        chart = coach_chart(chart_data(report), title=title)
    return Digest(DigestKind.COACH, COACH, channel_id, week, parent, thread, chart)


def chart_data(report: CoachReport) -> CoachChartData:
    """The four panels' lines, named as people read them; the loop panel is a mapping so that
    more stages (realised) join it as more lines."""
    routes = current_routes()
    by_route = {
        routes.label(route): [row.counts[i] for row in report.trend]
        for i, route in enumerate(report.routes)
    }
    words = {"valued": "value", "with_event": "event", "with_evidence": "evidence"}
    completeness = {
        say(f"chart_completeness_{words[part]}"): values
        for part, values in report.completeness_trend.items()
    }
    stages = {"answered": "acknowledged", "actioned": "actioned"}
    loops = {
        say(f"chart_loops_{stages.get(part, part)}"): v for part, v in report.loop_trend.items()
    }
    weeks = [row.week for row in report.trend]
    return CoachChartData(weeks, by_route, completeness, loops, report.answer_hours)


def build_scout_digests(
    *, session: Session, team_id: str | None, week: Week, zone: ZoneInfo,
    skip: frozenset[str] = frozenset(), filled: WeekScouts | None = None,
) -> list[Digest]:  # fmt: skip
    """A DM digest for each scout with news this week, except those who turned them off."""
    digests = []
    for news in scout_news(session=session, team_id=team_id, week=week, zone=zone, filled=filled):
        if news.user_id in skip:
            continue
        parent, thread = scout_messages(scout_report(news))
        digests.append(Digest(DigestKind.SCOUT, SCOUT, news.user_id, week, parent, thread))
    return digests
