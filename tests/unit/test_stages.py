"""Follow-through stages are data under each route in routing.yaml: checked at load with one
line naming the file and key; from a stage every later one may follow until one ends it."""

from decimal import Decimal

import pytest

from bot.domain.stage_input import Amount, read_amount, read_link
from bot.routes import RoutesError, current_routes, load_routes
from bot.stages import FollowThrough, Stage

RULE = "rules:\n  - {route: sales, when: {fit: [partly, not_yet, not_sure, 'yes']}, reason: R}\n"


def routing_file(tmp_path, stages: str):
    path = tmp_path / "routing.yaml"
    route = "  - id: sales\n    label: Sales\n    description: Deals\n"
    path.write_text(f"routes:\n{route}{stages}{RULE}", "utf-8")
    return path


def test_the_shipped_routes_follow_through_to_won_shipped_and_published():
    routes = current_routes()
    sales, marketing, product = (routes.stages(r) for r in ("sales", "marketing", "product"))
    assert [s.id for s in sales.stages] == ["opened", "won", "lost"]
    assert [s.id for s in product.stages] == ["planned", "shipped"]
    assert [s.id for s in marketing.stages] == ["drafted", "published"]
    assert [s.id for s in (sales, product, marketing) for s in s.stages if s.realised] == [
        "won", "shipped", "published",
    ]  # fmt: skip
    assert (sales.get("won").asks, sales.get("lost").asks, product.get("shipped").asks) == (
        "amount", "reason", "link",
    )  # fmt: skip


def test_actioned_maps_onto_the_first_stage_and_every_later_one_may_follow():
    sales = current_routes().stages("sales")
    assert sales.first == sales.get("opened")
    assert [s.id for s in sales.later("opened")] == ["won", "lost"]  # a stage may be skipped
    assert sales.may_move("opened", "lost") and not sales.may_move("opened", "opened")
    assert sales.ended("won") and sales.ended("lost")  # won ends it: lost never follows won
    assert not sales.may_move("won", "lost")
    assert sales.ended("gone")  # a stage removed from the file since


def test_only_the_outcomes_a_route_names_start_its_stages():
    """A roadmap item on a sales card opens no opportunity; a route naming none starts on any."""
    sales = current_routes().stages("sales")
    assert sales.start_for("opportunity") == sales.get("opened")
    assert sales.start_for("roadmap") is None and sales.start_for(None) is None
    assert current_routes().stages("product").start_for("roadmap").id == "planned"
    anything = FollowThrough((Stage("a", "A"),))
    assert anything.start_for("training") == Stage("a", "A")


def test_a_route_without_stages_simply_ends_at_actioned(tmp_path):
    routes = load_routes(routing_file(tmp_path, ""))
    assert not routes.stages("sales") and routes.stages("sales").first is None
    assert not current_routes().stages("removed_route")


def test_the_last_stage_ends_even_unmarked():
    plan = FollowThrough((Stage("a", "A"), Stage("b", "B"), Stage("c", "C")))
    assert [s.id for s in plan.later("a")] == ["b", "c"] and plan.ended("c")


@pytest.mark.parametrize(
    ("stages", "error"),
    [
        ("    follow_through: []\n", "routes[0].follow_through: expected a list of stages"),
        ("    follow_through: [{id: Won, label: W}]\n", "routes[0].follow_through[0].id: 'Won'"),
        ("    follow_through: [{id: won}]\n", "routes[0].follow_through[0].label: expected some text"),
        ("    follow_through: [{id: won, label: W, asks: money}]\n", "[0].asks: 'money'; one of amount, reason, link"),
        ("    follow_through: [{id: won, label: W, realised: 'yes'}]\n", "[0].realised: expected true or false"),
        ("    follow_through: [{id: won, label: W, colour: red}]\n", "[0].colour: unknown field"),
        ("    follow_through: [{id: a, label: A}, {id: a, label: B}]\n", "[1].id: 'a' is listed twice"),
        ("    follow_through: [{id: a, label: A}]\n    follow_through_when: [deal]\n",
         "routes[0].follow_through_when: 'deal' is not an outcome (opportunity, content, roadmap"),
        ("    follow_through: [{id: a, label: A}]\n    follow_through_when: []\n",
         "routes[0].follow_through_when: expected a list of outcomes"),
        ("    follow_through_when: [opportunity]\n",
         "routes[0].follow_through_when: a route without follow_through stages starts none"),
    ],
)  # fmt: skip
def test_a_wrong_stage_is_one_line_naming_the_file_and_key(tmp_path, stages, error):
    path = routing_file(tmp_path, stages)
    with pytest.raises(RoutesError) as raised:
        load_routes(path)
    message = str(raised.value)
    assert message.startswith(f"{path}: routes[0].") and error in message
    assert "\n" not in message


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("50k EUR", Amount(Decimal("50000.00"), "EUR")),
        ("$1.2M", Amount(Decimal("1200000.00"), "USD")),
        ("40 000 €", Amount(Decimal("40000.00"), "EUR")),
        ("120000", Amount(Decimal("120000.00"), "USD")),  # no currency: the base one
        ("lots", None),
        ("-5k EUR", None),
        ("0", None),
        ("5k EUR $", None),
    ],
)
def test_an_amount_won_is_read_with_the_money_grammar(typed, amount):
    assert read_amount(typed, base="USD") == amount


@pytest.mark.parametrize(
    ("typed", "link"),
    [
        ("https://example.com/release/1.2", "https://example.com/release/1.2"),
        ("  http://blog.example/p  ", "http://blog.example/p"),
        ("javascript:alert(1)", None),
        ("https://", None),
        ("https://a b.example", None),
        ("", None),
    ],
)
def test_a_release_or_published_link_must_be_a_web_address(typed, link):
    assert read_link(typed) == link
