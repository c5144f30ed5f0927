"""Value by theme as the digests and /scout themes show it."""

from decimal import Decimal

import pytest

from bot.digests.compose import route_report
from bot.digests.messages import route_messages
from bot.digests.theme_table import change, find_theme, theme_rows, themes_named
from bot.domain.money import current_money
from bot.domain.themes import load_network
from storage.queries.digest_value import ThemeValue
from tests.unit.digests.factories import route_figures
from tests.unit.digests.test_messages import BERLIN, _all

NETWORK = load_network()


@pytest.mark.parametrize(
    ("value", "before", "shown"),
    [("150", "100", "+50%"), ("50", "100", "-50%"), ("100", "0", "new"), ("0", "0", None),
     ("100", "100", "+0%"), ("0", "80", "-100%")],
)  # fmt: skip
def test_change_is_against_the_period_before(value, before, shown):
    assert change(Decimal(value), Decimal(before)) == shown


@pytest.mark.parametrize(
    ("word", "key"),
    [("onboarding", "faster_onboarding"), ("Faster onboarding", "faster_onboarding"),
     ("compliance", "compliance_risk"), ("cost_reduction", "cost_reduction"),
     ("reportng", "reporting_visibility"), ("unthemed", "unthemed"), ("integration & data", "integration_data"),
     ("", None), ("weather", None), ("cost", "cost_reduction"), ("support", "lower_support_cost"),
     ("re", None)],
)  # fmt: skip
def test_a_theme_is_found_by_key_label_or_a_word_of_either(word, key):
    """The start of a label beats the start of a later word ("cost" is Cost reduction, not Lower
    support cost); words that fit several labels as well name none."""
    assert find_theme(NETWORK, word) == key


def test_the_themes_words_fit_equally_well_are_all_named():
    assert themes_named(NETWORK, "re") == ["revenue_growth", "reporting_visibility"]


def test_a_quote_typed_in_quotation_marks_is_shown_in_one_pair():
    values = (ThemeValue("faster_onboarding", 1, 1, Decimal(1000), Decimal(0), "“We wait”", "Globex"),)
    assert theme_rows(values, NETWORK, current_money())[0].quote == "We wait"


def test_every_route_digest_shows_value_by_theme_with_change_and_quote():
    values = (
        ThemeValue("faster_onboarding", 3, 2, Decimal(603000), Decimal(400000),
                   "Training eats our first quarter", "Globex"),
        ThemeValue("unthemed", 1, 1, Decimal(0), Decimal(0)),
    )  # fmt: skip
    figures = route_figures(theme_values=values)

    _, thread = route_messages(route_report(figures, NETWORK), zone=BERLIN)

    text = _all(list(thread))
    assert "*Value by theme*, 16–22 Nov 2026 (yearly value in USD" in text
    assert "change against an average week of the 4 weeks before" in text
    assert "*Faster onboarding*: $603k (+51%), 3 discoveries at 2 accounts" in text
    assert "“Training eats our first quarter” (Globex)" in text
    assert "*Unthemed*: $0, 1 discovery at 1 account" in text
