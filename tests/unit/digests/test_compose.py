"""What a digest says, decided from fixed figures: quiet weeks, recurring gaps, rising themes."""

from __future__ import annotations

import dataclasses

from bot.digests.compose import (
    Listing,
    Rising,
    coach_report,
    duration,
    listing,
    percent,
    route_report,
    scout_report,
)
from bot.domain.themes import Theme, ValueNetwork
from storage.enums import DiscoveryStatus
from storage.queries.digest_figures import ThemeGroup
from storage.queries.digest_trends import LoopTiming
from tests.unit.digests.factories import (
    coach_figures,
    line,
    loop,
    quiet_route_figures,
    route_figures,
    scout_news,
)

NETWORK = ValueNetwork((Theme("onboarding", "Faster onboarding", ("onboard",)),))


def test_a_week_with_nothing_new_answered_or_waiting_is_quiet():
    assert route_report(quiet_route_figures(), NETWORK).quiet


def test_a_week_with_only_open_loops_is_not_quiet():
    quiet = quiet_route_figures()
    waiting = dataclasses.replace(quiet, open_count=1, open_oldest=(line(1),))

    assert not route_report(waiting, NETWORK).quiet


def test_the_headline_counts_this_week_last_week_and_answers():
    report = route_report(route_figures(), NETWORK)

    assert (report.new, report.last_week) == (3, 2)
    assert (report.acknowledged, report.actioned, report.declined) == (1, 1, 0)


def test_themes_carry_labels_and_how_many_are_not_listed():
    groups = (ThemeGroup("onboarding", 7, 3, (line(1), line(2)), ("A", "B")),)
    report = route_report(route_figures(themes=groups), NETWORK)

    entry = report.themes.items[0]
    assert (entry.label, entry.discoveries.more, entry.accounts.more) == ("Faster onboarding", 5, 1)


def test_a_gap_recurs_when_a_real_theme_is_seen_at_two_accounts():
    groups = (
        ThemeGroup("onboarding", 3, 2),
        ThemeGroup("pricing", 4, 1),  # four times, but one account
        ThemeGroup("unthemed", 5, 5),  # no theme is no recurring gap
    )
    report = route_report(route_figures(themes=groups), NETWORK)

    assert [entry.label for entry in report.recurring.items] == ["Faster onboarding"]


def test_more_than_eight_themes_are_cut_and_counted():
    groups = tuple(ThemeGroup(f"theme{n}", 1, 1) for n in range(11))

    assert route_report(route_figures(themes=groups), NETWORK).themes.more == 3


def test_open_and_closed_loops_count_what_is_not_listed():
    report = route_report(
        route_figures(open_count=12, closed_count=4, closed=(loop(1), loop(2, "declined"))),
        NETWORK,
    )

    assert report.open_loops.more == 11
    assert report.closed.more == 2
    # A decline whose key is no reason of the prompts counts (and reads) as "Other".
    assert [a.outcome for a in report.closed.items] == ["Message or content", "Other"]


def test_an_unknown_outcome_kind_has_no_label():
    report = route_report(route_figures(closed=(loop(1, outcome_kind="bogus"),)), NETWORK)

    assert report.closed.items[0].outcome is None


def test_the_coach_trend_has_one_row_per_week_with_routes_in_order():
    report = coach_report(coach_figures(), NETWORK)

    assert len(report.trend) == 12
    assert report.trend[-1].week == "2026-W47"
    assert report.trend[-1].counts == (11, 1, 0)
    assert (report.new, report.last_week) == (12, 11)


def test_the_coach_sees_shares_and_the_median_as_people_say_them():
    report = coach_report(coach_figures(), NETWORK)

    assert (report.with_value, report.with_event, report.with_evidence) == (50, 25, 33)
    assert (report.closed_rate, report.median_answer) == (25, "2 h")
    assert report.first_timers == Listing(("U1", "U2"), 0)


def test_rising_themes_beat_their_recent_average_at_least_twice_and_are_named():
    report = coach_report(coach_figures(), NETWORK)

    # onboarding 6 vs 1.0; reporting 2 vs 0; pricing 2 vs 3.0 falls; unthemed is no theme.
    # A key the network lacks (removed since, or added by an admin) reads as words.
    assert report.rising == (Rising("Faster onboarding", 6, 1.0), Rising("Reporting", 2, 0.0))


def test_a_coach_week_without_any_discovery_in_twelve_weeks_is_quiet():
    figures = coach_figures(
        series={route: (0,) * 12 for route in coach_figures().series},
        timing=LoopTiming(0, 0, 0, None), recognised_count=0,
        recognised=(),
    )  # fmt: skip

    assert coach_report(figures, NETWORK).quiet


def test_a_scout_report_lists_answers_with_outcomes_and_what_was_logged():
    report = scout_report(scout_news(logged_count=14))

    assert report.logged.more == 12
    assert report.answered.items[0].line.to_status == "actioned"
    assert report.answered.items[0].outcome == "Message or content"


def test_listing_and_percent_and_duration():
    assert listing([1, 2, 3], limit=2) == Listing((1, 2), 1)
    assert listing([1], total=5) == Listing((1,), 4)
    assert listing([1], total=5, counted_to=5) == Listing((1,), 4)
    assert listing([1], total=6, counted_to=5) == Listing((1,), 4, at_least=True)
    assert not listing([])
    assert (percent(1, 3), percent(2, 3), percent(0, 0)) == (33, 67, None)
    assert [duration(s) for s in (10, 3000, 7200, 3 * 86400, 1.5 * 86400, None)] == [
        "1 min", "50 min", "2 h", "3 days", "36 h", None,
    ]  # fmt: skip


def test_a_declined_loop_keeps_its_status():
    report = route_report(route_figures(closed=(loop(1, "declined", outcome_kind=None),)), NETWORK)

    assert report.closed.items[0].line.to_status == DiscoveryStatus.DECLINED
