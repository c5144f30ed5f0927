"""Routes are data: the `routes:` list of routing.yaml, checked with errors naming file and key."""

import pytest

from bot.domain.routing import load_rules
from bot.routes import RoutesError, current_routes, load_routes

RULE = "rules:\n  - {route: sales, when: {fit: [partly, not_yet, not_sure, 'yes']}, reason: R}\n"


def routing_file(tmp_path, routes: str, rules: str = RULE):
    path = tmp_path / "routing.yaml"
    path.write_text("routes:\n" + routes + rules, "utf-8")
    return path


def test_the_shipped_routes_are_sales_marketing_and_product_in_that_order():
    routes = current_routes()
    assert routes.ids == ("sales", "marketing", "product")
    assert [route.label for route in routes] == ["Sales", "Marketing", "Product"]
    assert all(route.description for route in routes)


def test_a_new_route_is_an_entry_with_an_id_a_label_and_a_description(tmp_path):
    path = routing_file(tmp_path, "  - {id: sales, label: Sales, description: Deals}\n"
                                  "  - {id: success, label: Customer success, description: Adoption}\n")  # fmt: skip
    routes = load_routes(path)
    assert routes.ids == ("sales", "success")
    assert routes.label("success") == "Customer success"
    assert routes.get("success").description == "Adoption"


def test_rules_may_suggest_only_a_route_that_is_listed(tmp_path):
    path = routing_file(tmp_path, "  - {id: sales, label: Sales, description: D}\n",
                        RULE + "  - {route: success, reason: R}\n")  # fmt: skip
    with pytest.raises(RoutesError) as raised:
        load_rules(path)
    assert str(raised.value) == f"{path}: rules[1].route: 'success' is not one of sales"


def test_a_route_removed_from_the_file_keeps_a_readable_name_and_sorts_last():
    routes = current_routes()
    assert routes.label("customer_success") == "Customer success"
    assert routes.ordered(["gone", "product", "sales"]) == ["sales", "product", "gone"]


@pytest.mark.parametrize(
    ("route", "error"),
    [
        ("{id: Sales, label: S, description: D}", "routes[0].id: 'Sales' is not an id"),
        ("{id: a_very_long_route_name_x, label: S, description: D}", "routes[0].id: 'a_very_long"),
        ("{id: coach, label: C, description: D}", "routes[0].id: 'coach' is the name of another"),
        ("{id: scout, label: C, description: D}", "routes[0].id: 'scout' is the name of another"),
        ("{id: sales, description: D}", "routes[0].label: expected some text"),
        ("{id: sales, label: S}", "routes[0].description: expected some text"),
        ("{id: sales, label: S, description: D, channel: C0}", "routes[0].channel: unknown field"),
        ("{id: sales, label: " + "L" * 41 + ", description: D}", "routes[0].label: longer than 40"),
        ("sales", "routes[0]: expected a mapping"),
    ],
)  # fmt: skip
def test_a_wrong_route_is_refused_naming_the_file_and_key(tmp_path, route, error):
    path = routing_file(tmp_path, f"  - {route}\n")
    with pytest.raises(RoutesError) as raised:
        load_routes(path)
    assert str(raised.value).startswith(f"{path}: {error}")


def test_a_route_listed_twice_is_refused(tmp_path):
    path = routing_file(tmp_path, "  - {id: sales, label: S, description: D}\n" * 2)
    with pytest.raises(RoutesError, match=r"routes\[1\]\.id: 'sales' is listed twice"):
        load_routes(path)


def test_more_routes_than_slack_shows_checkboxes_are_refused(tmp_path):
    many = "".join(f"  - {{id: team{n}, label: T, description: D}}\n" for n in range(11))
    with pytest.raises(RoutesError, match=r"routing\.yaml: routes: 11 routes; at most 10"):
        load_routes(routing_file(tmp_path, many))


def test_a_file_without_routes_is_refused(tmp_path):
    path = tmp_path / "routing.yaml"
    path.write_text(RULE, "utf-8")
    with pytest.raises(RoutesError, match=r"routing\.yaml: routes: expected a list of routes"):
        load_routes(path)
