"""The dialogue's typed value reads the amounts an opener does ("40 000 €" was refused before)."""

from datetime import date

import pytest

from bot.dialogue.answers import Parsed, parse_answer
from bot.dialogue.definition import load_definition

VALUE = load_definition().question("value")


@pytest.mark.parametrize(
    ("text", "amount", "currency"),
    [("40 000 €", "40000", "EUR"), ("40.000 €", "40000", "EUR"), ("1,2 Mio CHF", "1200000", "CHF"),
     ("$250k a year", "250000", "USD"), ("250 000 dollars", "250000", "USD"),
     ("2 millions d'euros", "2000000", "EUR"), ("50.000 EUR al año", "50000", "EUR"),
     ("¥5M", "5000000", "JPY"), ("etwa 300 TEUR pro Jahr", "300000", "EUR")],
)  # fmt: skip
def test_a_typed_amount_is_read_in_four_languages(text, amount, currency):
    parsed = parse_answer(VALUE, text, today=date(2026, 12, 2))
    assert parsed == Parsed({"amount": amount, "currency": currency})
