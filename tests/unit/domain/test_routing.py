"""Routing suggestions follow the product's default rules, and the rules are data an admin can edit."""

from datetime import date

import pytest

from bot.domain.routing import Facts, RoutingError, load_rules, reason_for, suggest_routes
from storage.enums import Fit

RULES = load_rules()
# The shipped routes, for files that test rules (a routing file lists its routes first).
ROUTES = "routes:\n" + "".join(
    f"  - {{id: {r.id}, label: {r.label}, description: D}}\n" for r in RULES.routes
)
MONEY = {"amount": "40000", "currency": "EUR"}
EVENT = {"date": "2027-03-31", "pressure": "board decides the budget"}


def routes(**answers):
    return [s.route for s in suggest_routes(RULES, answers)]


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ({"fit": "yes"}, ["marketing"]),
        ({"fit": "yes", "value": MONEY}, ["sales", "marketing"]),
        ({"fit": "yes", "value": {"band": "10k_100k"}}, ["sales", "marketing"]),
        ({"fit": "yes", "value": {"band": "unknown"}}, ["marketing"]),
        ({"fit": "yes", "event": EVENT}, ["sales", "marketing"]),
        ({"fit": "partly"}, ["product"]),
        ({"fit": "partly", "event": EVENT}, ["sales", "product"]),
        ({"fit": "partly", "value": {"band": "over_1m"}}, ["sales", "product"]),
        ({"fit": "not_yet", "value": MONEY, "event": EVENT}, ["product"]),
        ({"fit": "not_sure", "value": MONEY}, ["product"]),
    ],
)
def test_the_default_rules_route_as_the_product_brief_says(answers, expected):
    assert routes(**answers) == expected


@pytest.mark.parametrize("fit", [fit.value for fit in Fit])
def test_every_fit_reaches_at_least_one_team(fit):
    assert routes(fit=fit)


def test_reasons_use_the_answers():
    (product,) = suggest_routes(RULES, {"fit": "not_yet"})
    assert product.reason == "Fit is not yet: an unmet gap, evidence for the roadmap."


def test_the_first_matching_rule_gives_the_reason():
    reasons = {s.route: s.reason for s in suggest_routes(RULES, {"fit": "not_sure"})}
    assert reasons == {"product": "Fit is unclear: product can judge it."}


def test_a_route_the_scout_added_is_explained_as_their_choice():
    assert reason_for(RULES, {"fit": "not_yet"}, "sales") == "Chosen by the scout."


def test_a_suggested_route_keeps_its_reason_when_confirmed():
    assert reason_for(RULES, {"fit": "yes"}, "marketing").startswith("An outcome customers value")


# --- editable rules -------------------------------------------------------------------------------

EVERY_FIT = (
    "  - {route: product, when: {fit: [partly, not_yet, not_sure, 'yes']}, reason: Always}\n"
)


def load(tmp_path, rules):
    path = tmp_path / "routing.yaml"
    path.write_text(ROUTES + "rules:\n" + rules + EVERY_FIT, "utf-8")
    return load_rules(path)


def test_an_admin_can_route_executive_outcomes_with_money_to_sales(tmp_path):
    rules = load(
        tmp_path,
        "  - route: sales\n"
        "    when: {who_cares: [executive], all_present: [value_money, event]}\n"
        "    reason: An executive ({who_cares}) with a budget and a date\n",
    )
    answers = {"fit": "not_yet", "who_cares": "executive", "value": MONEY, "event": EVENT}
    assert [s.reason for s in suggest_routes(rules, answers)] == [
        "An executive (executive) with a budget and a date",
        "Always",
    ]
    assert [s.route for s in suggest_routes(rules, {**answers, "event": None})] == ["product"]


def test_a_value_band_condition_matches_bands_not_amounts(tmp_path):
    rules = load(tmp_path, "  - {route: sales, when: {value: [over_1m]}, reason: Big}\n")
    assert [
        s.route for s in suggest_routes(rules, {"fit": "partly", "value": {"band": "over_1m"}})
    ] == [
        "sales",
        "product",
    ]
    assert [s.route for s in suggest_routes(rules, {"fit": "partly", "value": MONEY})] == [
        "product"
    ]


@pytest.mark.parametrize(
    ("rule", "error"),
    [
        ("  - {route: product, when: {fit: [maybe]}, reason: R}\n",
         "rules[0].when.fit: 'maybe' is not one of yes, partly, not_yet, not_sure"),
        ("  - {route: legal, reason: R}\n",
         "rules[0].route: 'legal' is not one of sales, marketing, product"),
        ("  - {route: sales, when: {fit: [yes]}, reason: R}\n",
         "rules[0].when.fit: True is not a value; write \"yes\" or \"no\" in quotes"),
        ("  - {route: sales, when: {budget: [big]}, reason: R}\n",
         "rules[0].when.budget: unknown field"),
        ("  - {route: sales, when: {any_present: [money]}, reason: R}\n",
         "rules[0].when.any_present: 'money' is not one of value_money, value, event"),
        ("  - {route: sales, reason: ''}\n", "rules[0].reason: expected some text"),
        ("  - {route: sales, reason: 'For {account}'}\n",
         "rules[0].reason: {account} is not one of {fit}, {who_cares}"),
        ("  - {route: sales, reason: R, why: W}\n", "rules[0].why: unknown field"),
        ("  - sales\n", "rules[0]: expected a mapping"),
    ],
)  # fmt: skip
def test_a_wrong_rule_is_refused_naming_the_file_and_key(tmp_path, rule, error):
    with pytest.raises(RoutingError) as raised:
        load(tmp_path, rule)
    assert str(raised.value).startswith(f"{tmp_path / 'routing.yaml'}: {error}")


def test_the_packaged_file_is_named_in_errors_as_prompts_routing_yaml():
    assert RULES.source == "prompts/routing.yaml"


def test_rules_that_leave_a_fit_without_a_team_are_refused(tmp_path):
    path = tmp_path / "routing.yaml"
    path.write_text(
        ROUTES + "rules:\n  - {route: product, when: {fit: [partly, not_yet]}, reason: R}\n"
    )
    with pytest.raises(RoutingError, match="no rule routes fit 'yes' on its own"):
        load_rules(path)


def test_a_file_that_is_not_yaml_is_refused(tmp_path):
    path = tmp_path / "routing.yaml"
    path.write_text("rules: [")
    with pytest.raises(RoutingError, match=r"routing\.yaml: not valid YAML"):
        load_rules(path)


def test_a_file_without_rules_is_refused(tmp_path):
    path = tmp_path / "routing.yaml"
    path.write_text(ROUTES + "rule: []")
    with pytest.raises(RoutingError, match=r"routing\.yaml: rules: expected a list of rules"):
        load_rules(path)


# --- follow the money -----------------------------------------------------------------------------

TODAY = date(2026, 12, 2)


def test_a_large_not_yet_gap_goes_to_product_and_to_sales_with_the_reason():
    facts = Facts(yearly_value=1_200_000, today=TODAY, value_spoken="≈ $1.2M")
    suggested = suggest_routes(RULES, {"fit": "not_yet", "value": {"band": "over_1m"}}, facts)

    assert [s.route for s in suggested] == ["sales", "product"]
    assert suggested[0].reason == "Worth ≈ $1.2M a year: sales should hear of it whatever the fit."


def test_a_value_just_under_the_threshold_leaves_a_not_yet_gap_with_product():
    facts = Facts(yearly_value=99_999, today=TODAY)
    assert [s.route for s in suggest_routes(RULES, {"fit": "not_yet"}, facts)] == ["product"]


@pytest.mark.parametrize(("day", "sales"), [(TODAY, True), (date(2027, 3, 2), True),
                                            (date(2027, 3, 3), False), (date(2026, 12, 1), False)])  # fmt: skip
def test_an_event_within_90_days_reaches_sales_whatever_the_fit(day, sales):
    answers = {"fit": "not_sure", "event": {"date": day.isoformat(), "pressure": "renewal"}}
    suggested = {s.route: s.reason for s in suggest_routes(RULES, answers, Facts(today=TODAY))}

    assert ("sales" in suggested) is sales
    if sales:
        assert suggested["sales"] == (
            f"A compelling event in {(day - TODAY).days} days: sales should know before it passes."
        )


def test_without_facts_the_money_rules_never_hold():
    answers = {"fit": "not_yet", "event": {"date": TODAY.isoformat(), "pressure": "audit"}}
    assert routes(**answers) == ["product"]


@pytest.mark.parametrize(
    ("when", "error"),
    [
        ("{value_at_least: lots}", "when.value_at_least: expected a number such as 100000"),
        ("{value_at_least: -5}", "when.value_at_least: expected a number such as 100000"),
        ("{event_within_days: 9.5}", "when.event_within_days: expected a number such as 90"),
    ],
)
def test_a_measure_that_is_not_a_number_names_its_key(tmp_path, when, error):
    with pytest.raises(RoutingError, match=error):
        load(tmp_path, f"  - {{route: sales, when: {when}, reason: R}}\n")
