"""Values in one base currency: conversion, band midpoints, compact display, rates as data."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

import prompts
from bot.domain.money import RatesError, check_covers, compact, load_money

SHIPPED = Path(prompts.__file__).parent / "rates.yaml"
RATES = """\
as_of: 2026-11-30
quoted_in: USD
rates: {USD: 1, EUR: 1.25, JPY: 0.005}
symbols: {USD: "$", EUR: "€"}
bands: {under_10k: 5000, 10k_100k: 55000}
"""


@pytest.fixture
def rates_file(tmp_path) -> Path:
    path = tmp_path / "rates.yaml"
    path.write_text(RATES, "utf-8")
    return path


def test_an_amount_is_converted_to_the_base_currency(rates_file):
    money = load_money(rates_file)
    assert money.convert(Decimal("40000"), "EUR") == Decimal("50000.00")
    assert money.convert(Decimal("5000000"), "jpy") == Decimal("25000.00")
    assert money.convert(Decimal("10"), "CHF") is None  # no rate: no value, never a guess


def test_another_base_currency_converts_through_the_quote_currency(rates_file):
    money = load_money(rates_file, base="EUR")
    assert money.convert(Decimal("100"), "USD") == Decimal("80.00")
    assert money.convert(Decimal("100"), "EUR") == Decimal("100.00")
    assert money.show(Decimal("80000")) == "€80k"


def test_a_band_counts_at_its_midpoint_and_an_amount_wins_over_a_band(rates_file):
    money = load_money(rates_file)
    assert money.value(band="10k_100k", amount=None, currency=None) == Decimal("55000")
    assert money.value(band="10k_100k", amount=Decimal(2), currency="USD") == Decimal("2.00")
    assert money.value(band="unknown", amount=None, currency=None) is None
    assert money.value(band=None, amount=None, currency=None) is None


@pytest.mark.parametrize(
    ("value", "shown"),
    [("950", "950"), ("55000", "55k"), ("42400", "42.4k"), ("550000", "550k"),
     ("1200000", "1.2M"), ("2000000", "2M"), ("-3000", "-3k"), ("999.6", "1000"),
     ("3500000000", "3.5B")],
)  # fmt: skip
def test_values_are_shown_compact(value, shown):
    assert compact(Decimal(value)) == shown


def test_a_currency_without_a_symbol_is_shown_by_its_code(rates_file):
    assert load_money(rates_file, base="JPY").show(Decimal("1000")) == "JPY 1k"


def test_a_missing_rate_for_an_accepted_currency_names_it(rates_file):
    money = load_money(rates_file)
    with pytest.raises(RatesError, match=r"rates\.yaml: rates: no rate for GBP"):
        check_covers(money, currencies=["USD", "gbp"], bands=[])
    with pytest.raises(RatesError, match=r"bands: no midpoint for the value band 'over_1m'"):
        check_covers(money, currencies=["EUR"], bands=["under_10k", "over_1m"])


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [("as_of: 2026-11-30", "as_of: soon", "as_of: 'soon' is not a date"),
     ("EUR: 1.25", "EUR: -1", r"rates\.EUR: -1 is not a positive number"),
     ("EUR: 1.25", "eur: 1.25", r"rates\.eur: not a currency code"),
     ("quoted_in: USD", "quoted_in: EUR", "quoted_in: 'EUR' needs a rate of 1"),
     ("10k_100k: 55000", "10k_100k: lots", r"bands\.10k_100k: 'lots' is not a positive number")],
)  # fmt: skip
def test_mistakes_in_the_rates_are_one_line_naming_the_key(rates_file, old, new, problem):
    rates_file.write_text(RATES.replace(old, new), "utf-8")
    with pytest.raises(RatesError, match=problem):
        load_money(rates_file)


def test_a_base_currency_without_a_rate_is_refused(rates_file):
    with pytest.raises(RatesError, match=r"VALUESCOUT_BASE_CURRENCY GBP: .* no rate for GBP"):
        load_money(rates_file, base="GBP")


def test_the_shipped_rates_say_when_they_were_taken():
    assert load_money(SHIPPED).as_of == date(2026, 11, 30)
