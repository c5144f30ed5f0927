"""A week's figures, counted in the database, match a hand-made week exactly (both backends)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from sqlmodel import select

from bot.digests.compose import coach_report
from bot.digests.figures import coach_figures, route_figures, scout_news
from bot.digests.model import Week
from bot.domain.themes import load_network
from storage.enums import DiscoveryStatus
from storage.models import DiscoveryRoute
from storage.queries.digest_figures import open_per_route
from storage.queries.digest_scouts import weekly_loops
from storage.queries.digest_trends import Completeness, LoopTiming, ThemeTrend
from tests.integration.digests.conftest import BERLIN, TEAM, add_change, add_discovery, local

WEEK = Week.parse("2026-W47")  # Monday 16 to Sunday 22 November 2026, CET (UTC+1)
LATER = datetime(2027, 1, 1, tzinfo=UTC)
DAY = 86400


def _sales(session, now=LATER, days=3):
    return route_figures(
        session=session, team_id=TEAM, week=WEEK, zone=BERLIN, now=now, route="sales", open_after=days
    )


def test_a_route_counts_this_and_last_weeks_discoveries_in_the_local_week(session, hand_made_week):
    figures = _sales(session)

    assert (figures.logged, figures.logged_before) == (3, 1)  # Acme, Globex, acme; Umbrella


def test_a_route_counts_acknowledged_actioned_and_declined_this_week(session, hand_made_week):
    figures = _sales(session)

    assert figures.changes == {
        DiscoveryStatus.ACKNOWLEDGED: 1,
        DiscoveryStatus.ACTIONED: 1,
        DiscoveryStatus.DECLINED: 1,
    }


def test_a_route_groups_new_discoveries_by_theme_with_distinct_accounts(session, hand_made_week):
    themes = _sales(session).themes

    assert [(t.theme, t.count, t.account_count) for t in themes] == [
        ("onboarding", 3, 2),
        ("reporting", 1, 1),
    ]
    assert [line.account for line in themes[0].items] == ["Acme", " acme ", "Globex"]
    assert themes[0].accounts == ("Acme", "Globex")


def test_a_discovery_on_two_routes_is_in_each_routes_theme_groups(session, hand_made_week):
    product = route_figures(
        session=session, team_id=TEAM, week=WEEK, zone=BERLIN, now=LATER, route="product", open_after=3
    )

    assert [(t.theme, t.count, t.account_count) for t in product.themes] == [
        ("onboarding", 1, 1),
        ("reporting", 1, 1),
    ]
    assert [[line.id for line in t.items] for t in product.themes] == [[hand_made_week["globex"]]] * 2
    assert [t.accounts for t in product.themes] == [("Globex",), ("Globex",)]


def test_a_route_lists_the_largest_in_the_base_currency_a_band_at_its_midpoint(
    session, hand_made_week
):
    largest = _sales(session).largest

    # Globex's band 100k–1M counts as $550k; Acme's EUR 50,000 is $53,000 at 1.06.
    assert [(line.account, line.value_base) for line in largest] == [
        ("Globex", Decimal("550000.00")),
        ("Acme", Decimal("53000.00")),
    ]


def test_largest_by_value_compares_currencies_as_the_same_money(session):
    for account, amount, currency in (("Euro", "40000", "EUR"), ("Dollar", "300000", "USD"),
                                      ("Yen", "5000000", "JPY")):  # fmt: skip
        add_discovery(session, account=account, at=local(2026, 11, 17), value_amount=amount,
                      value_currency=currency)  # fmt: skip

    largest = _sales(session).largest

    # As plain numbers ¥5M would lead; in dollars it is $33,500, below €40k ($42,400).
    assert [line.account for line in largest] == ["Dollar", "Euro", "Yen"]


def test_open_loops_are_new_discoveries_n_working_days_old_at_the_weeks_end(
    session, hand_made_week
):
    figures = _sales(session)

    # Cut-off Wednesday 00:00: Umbrella (10 Nov) is open; acme (Wednesday 10:00) is not yet.
    assert figures.open_count == 1
    assert [line.account for line in figures.open_oldest] == ["Umbrella"]
    assert _sales(session, days=2).open_count == 2


def test_open_loops_are_counted_only_up_to_a_cap_plus_one(session, hand_made_week):
    cutoff = local(2026, 11, 18).astimezone(UTC)  # the Wednesday: Umbrella and acme are open

    assert open_per_route(session=session, team_id=TEAM, before=cutoff, cap=5, routes=["sales"])["sales"] == 2
    assert (
        open_per_route(session=session, team_id=TEAM, before=cutoff, cap=1, routes=["sales"])["sales"] == 2
    )  # "over 1"
    assert open_per_route(session=session, team_id=TEAM, before=cutoff, cap=0, routes=["sales"])["sales"] == 1


def test_open_loops_of_the_current_week_are_counted_as_of_now(session, hand_made_week):
    figures = _sales(session, now=local(2026, 11, 12).astimezone(UTC))

    assert figures.open_count == 0  # on Thursday 12 Nov, Umbrella is 2 working days old


def test_closed_loops_and_the_scouts_thanked_for_actions(session, hand_made_week):
    figures = _sales(session)

    assert figures.closed_count == 2
    assert [(c.account, c.to_status, c.outcome_kind, c.note) for c in figures.closed] == [
        ("Acme", "actioned", "content", "Deck"),
        ("Vandelay", "declined", None, "No"),
    ]
    assert (figures.thanked_count, [(s.scout_user_id, s.count) for s in figures.thanked]) == (
        1,
        [("U1", 1)],
    )


def test_a_rerouted_discovery_counts_on_its_new_route_only(session, hand_made_week):
    marketing = route_figures(
        session=session, team_id=TEAM, week=WEEK, zone=BERLIN, now=LATER, route="marketing", open_after=3
    )

    assert marketing.logged == 1
    assert [t.theme for t in marketing.themes] == ["unthemed"]


def test_the_coach_trend_counts_twelve_local_weeks_per_route(session, hand_made_week):
    figures = coach_figures(session=session, team_id=TEAM, week=WEEK, zone=BERLIN, now=LATER)

    assert [w.key for w in figures.weeks][::11] == ["2026-W36", "2026-W47"]
    assert figures.series["sales"][-4:] == (1, 1, 1, 3)  # W44 Stark, W45, W46, W47
    assert figures.series["marketing"][-1] == 1
    assert figures.series["product"] == (0,) * 11 + (1,)


def test_each_teams_answer_counts_on_its_own_route_only(session, hand_made_week):
    globex = hand_made_week["globex"]  # on sales and product, logged Sunday night
    routes = {r.route: r for r in session.exec(select(DiscoveryRoute).where(
        DiscoveryRoute.discovery_id == globex)).all()}  # fmt: skip
    routes["product"].status = DiscoveryStatus.DECLINED
    add_change(session, globex, to="declined", at=local(2026, 11, 22, 23, 45), actor="UPM3",
               note="Not now", route_id=routes["product"].id)  # fmt: skip

    def figures(route):
        return route_figures(session=session, team_id=TEAM, week=WEEK, zone=BERLIN, now=LATER, route=route,
                             open_after=3)  # fmt: skip

    product, sales = figures("product"), figures("sales")
    assert product.changes[DiscoveryStatus.DECLINED] == 1 and product.closed_count == 1
    assert sales.changes[DiscoveryStatus.DECLINED] == 1  # Vandelay's, not product's answer
    still_open = open_per_route(session=session, team_id=TEAM, before=LATER, cap=9, routes=["sales", "product"])
    assert still_open == {"sales": 4, "product": 0}  # sales still owes Globex (and 3 others)
    news = {n.user_id: n for n in scout_news(session=session, team_id=TEAM, week=WEEK, zone=BERLIN)}
    [answer] = news["U2"].answered  # Globex's scout reads which team answered
    assert (answer.account, answer.to_status, answer.route) == ("Globex", "declined", "product")


def test_the_coach_counts_discoveries_once_and_routes_per_route(session, hand_made_week):
    figures = coach_figures(session=session, team_id=TEAM, week=WEEK, zone=BERLIN, now=LATER)
    report = coach_report(figures, load_network())

    # Globex went to sales and product: two per route, one discovery.
    assert sum(figures.series[route][-1] for route in figures.series) == 5
    assert figures.totals[-1] == 4 == figures.completeness.total
    assert (report.new, report.logged, report.trend[-1].total) == (4, 4, 4)


def test_the_coach_sees_participation_and_completeness(session, hand_made_week):
    figures = coach_figures(session=session, team_id=TEAM, week=WEEK, zone=BERLIN, now=LATER)

    assert (figures.active_scouts, figures.first_timer_count, figures.first_timers) == (
        3,
        1,
        ("U4",),
    )
    assert figures.completeness == Completeness(total=4, valued=2, with_event=1, with_evidence=2)


def test_loop_timing_is_the_cohort_of_the_four_weeks_before_as_of_the_weeks_end(
    session, hand_made_week
):
    timing = coach_figures(session=session, team_id=TEAM, week=WEEK, zone=BERLIN, now=LATER).timing

    # Umbrella, Vandelay, Stark; Vandelay declined after 17 days, Stark acknowledged after 1.
    assert timing == LoopTiming(cohort=3, closed=1, answered=2, median_seconds=9 * DAY)


def test_theme_trends_compare_this_week_with_the_four_before(session, hand_made_week):
    themes = coach_figures(session=session, team_id=TEAM, week=WEEK, zone=BERLIN, now=LATER).themes

    assert list(themes) == [
        ThemeTrend("onboarding", 3, 2),
        ThemeTrend("pricing", 0, 1),
        ThemeTrend("reporting", 1, 0),
        ThemeTrend("unthemed", 1, 0),
    ]


def test_the_coach_recognises_scouts_for_actions_not_volume(session, hand_made_week):
    figures = coach_figures(session=session, team_id=TEAM, week=WEEK, zone=BERLIN, now=LATER)

    assert figures.recognised_count == 1
    assert [(s.scout_user_id, s.count) for s in figures.recognised] == [("U1", 1)]


def test_scouts_with_news_are_those_who_logged_or_were_answered(session, hand_made_week):
    news = {n.user_id: n for n in scout_news(session=session, team_id=TEAM, week=WEEK, zone=BERLIN)}

    assert sorted(news) == ["U1", "U2", "U4", "U5"]
    assert (news["U1"].logged_count, news["U1"].answered_count) == (2, 2)
    assert [a.to_status for a in news["U1"].answered] == ["acknowledged", "actioned"]
    assert [a.account for a in news["U5"].answered] == ["Vandelay"]
    assert news["U5"].logged == ()


def test_the_median_time_to_answer_of_an_odd_cohort_is_its_middle_value(session):
    for n, days in enumerate((1, 2, 10)):
        logged = local(2026, 11, 2 + n)  # W45
        discovery = add_discovery(session, account=f"A{n}", at=logged)
        add_change(session, discovery, to="acknowledged", at=logged + timedelta(days=days))
    add_discovery(session, account="Unanswered", at=local(2026, 11, 5))

    timing = coach_figures(session=session, team_id=TEAM, week=WEEK, zone=BERLIN, now=LATER).timing

    assert timing == LoopTiming(cohort=4, closed=0, answered=3, median_seconds=2 * DAY)


def test_a_route_digest_has_value_by_theme_of_the_week_in_the_base_currency(
    session, hand_made_week
):
    values = {v.theme: v for v in _sales(session).theme_values}

    # Acme's EUR 50,000 ($53,000) and Globex's band 100k–1M ($550,000) are both onboarding;
    # Hooli moved to marketing and "Gone" was withdrawn: neither counts for sales.
    onboarding = values["onboarding"]
    assert onboarding.value == Decimal("603000.00") and onboarding.value_before == 0
    assert (onboarding.discoveries, onboarding.accounts) == (3, 2)  # " acme " is Acme
    assert "pricing" not in values  # Umbrella's was logged the week before: compared, not listed
    assert next(iter(values)) == "onboarding"  # the most valuable first
    assert values["reporting"].value == Decimal("550000.00")
    assert "unthemed" not in values


def test_before_the_weeks_end_value_by_theme_counts_to_now_and_themes_the_whole_week(
    session, hand_made_week
):
    figures = _sales(session, now=local(2026, 11, 20))  # Friday: Globex is logged on Sunday

    values = {v.theme: v for v in figures.theme_values}
    assert (values["onboarding"].discoveries, values["onboarding"].value) == (2, Decimal("53000.00"))
    assert "reporting" not in values  # Globex's only
    assert [(t.theme, t.count) for t in figures.themes] == [("onboarding", 3), ("reporting", 1)]


def test_value_by_theme_compares_the_week_with_an_average_week_of_the_four_before(session):
    for day, amount in ((17, "30000"), (10, "40000"), (3, "40000"), (27, "40000")):
        month = 11 if day < 25 else 10
        add_discovery(session, account=f"A{day}", at=local(2026, month, day), value_amount=amount,
                      value_currency="USD", themes=("onboarding",))  # fmt: skip

    onboarding = _sales(session).theme_values[0]

    # 120,000 over the four weeks before: 30,000 a week on average, as much as this week.
    assert (onboarding.value, onboarding.value_before) == (Decimal(30000), Decimal(30000))


def test_the_median_time_to_answer_of_an_even_cohort_is_the_mean_of_its_two_middle_values(
    session,
):
    for n, days in enumerate((1, 2, 5, 9)):
        logged = local(2026, 11, 2 + n)  # W45
        discovery = add_discovery(session, account=f"A{n}", at=logged)
        add_change(session, discovery, to="acknowledged", at=logged + timedelta(days=days))

    timing = coach_figures(session=session, team_id=TEAM, week=WEEK, zone=BERLIN, now=LATER).timing

    assert timing == LoopTiming(cohort=4, closed=0, answered=4, median_seconds=3.5 * DAY)


def test_the_coach_sees_quality_per_scout_counted_per_discovery(session, hand_made_week):
    add_change(session, hand_made_week["globex"], to="declined", at=local(2026, 11, 22, 23, 50),
               actor="UPM3", outcome_kind="not_now")  # fmt: skip
    figures = coach_figures(session=session, team_id=TEAM, week=WEEK, zone=BERLIN, now=LATER)

    scouts = {q.user_id: q for q in figures.scouts}
    assert set(scouts) == {"U1", "U2", "U4"}  # U3's was withdrawn; Initech is next week's
    u1 = scouts["U1"]  # Acme (valued, picked up after 26 h, actioned) and " acme " (evidence)
    assert (u1.discoveries, u1.valued, u1.with_evidence) == (2, 1, 1)
    assert (u1.acknowledged, u1.actioned, round(u1.median_seconds)) == (1, 1, 26 * 3600)
    assert scouts["U2"].acknowledged == 1 and scouts["U4"].with_evidence == 1
    # Vandelay's decline has no reason (from before reasons): it counts as other.
    assert figures.declines == {"other": 1, "not_now": 1}


def test_a_scout_who_logged_gets_a_tip_with_a_colleagues_example(session, hand_made_week):
    news = {n.user_id: n for n in scout_news(session=session, team_id=TEAM, week=WEEK, zone=BERLIN)}

    tip = news["U1"].tip
    assert tip is not None and (tip.missing, tip.of) == (2, 2)
    assert tip.example is None or tip.example.scout_user_id != "U1"
    assert news["U5"].tip is None  # answered this week, logged nothing: no tip


def test_the_chart_trends_count_each_weeks_completeness_and_loops_as_they_stand(
    session, hand_made_week
):
    figures = coach_figures(session=session, team_id=TEAM, week=WEEK, zone=BERLIN, now=LATER)
    loops, done = figures.loop_trend, figures.completeness_trend

    assert len(loops) == len(done) == 12
    # W47: Acme picked up after 26 h and actioned; Globex, " acme ", Hooli (a re-route only).
    assert loops[-1][:3] == (4, 1, 1) and round(loops[-1].median_seconds) == 26 * 3600
    assert loops[-2][:3] == (1, 0, 0) and loops[-2].median_seconds is None  # W46: Umbrella
    assert loops[-3][:3] == (1, 1, 0) and round(loops[-3].median_seconds) == 17 * DAY  # Vandelay
    # W44: Stark picked up after a day; actioned only after the week's end.
    assert loops[-4][:3] == (1, 1, 0) and round(loops[-4].median_seconds) == DAY
    assert loops[0][:3] == (0, 0, 0)
    assert done[-1] == figures.completeness and done[-2] == Completeness(1, 0, 0, 0)


def test_a_weeks_loop_median_of_an_even_count_is_the_mean_of_the_two_middle_answers(session):
    edges = [w.bounds(BERLIN)[0] for w in (WEEK, WEEK.shifted(1))]
    for hours in (1, 2, 4, 8):
        logged = local(2026, 11, 16, 9)
        found = add_discovery(session, account=f"A{hours}", at=logged)
        add_change(session, found, to="acknowledged", at=logged + timedelta(hours=hours))

    [week] = weekly_loops(session=session, team_id=TEAM, edges=edges, as_of=LATER)

    assert week[:3] == (4, 4, 0) and round(week.median_seconds) == 3 * 3600  # (2 h + 4 h) / 2


def test_first_timers_beyond_those_listed_are_counted(session):
    for n in range(12):  # twelve scouts' first discoveries, one an hour from Monday 9:00
        add_discovery(session, account=f"A{n}", at=local(2026, 11, 16, 9 + n), scout=f"U{n:02}")
    add_discovery(session, account="Old", at=local(2026, 10, 1), scout="U11")  # not a first

    figures = coach_figures(session=session, team_id=TEAM, week=WEEK, zone=BERLIN, now=LATER)

    assert figures.first_timer_count == 11
    assert figures.first_timers == tuple(f"U{n:02}" for n in range(10))
