"""The dialogue's typed answers read what an opener does ("40 000 €" and "March 31 renewal" were refused)."""

from datetime import date

import pytest

from bot.dialogue.answers import Invalid, Parsed, parse_answer
from bot.dialogue.definition import Kind, Question, load_definition

TODAY = date(2026, 12, 2)
DEFINITION = load_definition()
VALUE, EVENT = DEFINITION.question("value"), DEFINITION.question("event")
DATE = Question(key="event", kind=Kind.DATE, label="Decision date", prompt="When?")


def parse(question, text):
    return parse_answer(question, text, today=TODAY)


@pytest.mark.parametrize(
    ("text", "amount", "currency"),
    [("40 000 €", "40000", "EUR"), ("40.000 €", "40000", "EUR"), ("1,2 Mio CHF", "1200000", "CHF"),
     ("$250k a year", "250000", "USD"), ("250 000 dollars", "250000", "USD"),
     ("2 millions d'euros", "2000000", "EUR"), ("50.000 EUR al año", "50000", "EUR"),
     ("¥5M", "5000000", "JPY"), ("etwa 300 TEUR pro Jahr", "300000", "EUR")],
)  # fmt: skip
def test_a_typed_amount_is_read_in_four_languages(text, amount, currency):
    assert parse(VALUE, text) == Parsed({"amount": amount, "currency": currency})


@pytest.mark.parametrize(
    ("text", "iso"),
    [("31. März 2027", "2027-03-31"), ("31 mars", "2027-03-31"), ("31 de marzo de 2027", "2027-03-31"),
     ("March 31", "2027-03-31"), ("fin mars", "2027-03-31"), ("Q1", "2027-03-31")],
)  # fmt: skip
def test_a_typed_date_is_read_in_four_languages_and_without_a_year(text, iso):
    assert parse(DATE, text) == Parsed(iso)


@pytest.mark.parametrize("text", ["next week", "in three weeks", "31 mars or later"])
def test_a_typed_date_is_still_one_date_and_nothing_else(text):
    assert isinstance(parse(DATE, text), Invalid)


@pytest.mark.parametrize(
    ("text", "iso", "pressure"),
    [("before their March 31 renewal", "2027-03-31", "before their March 31 renewal"),
     ("in three weeks: contract renewal", "2026-12-23", "contract renewal"),
     ("end of Q1 - the board decides", "2027-03-31", "the board decides"),
     ("Vertragsverlängerung am 31. März", "2027-03-31", "Vertragsverlängerung am 31. März")],
)  # fmt: skip
def test_a_typed_event_takes_the_dates_an_opener_does(text, iso, pressure):
    assert parse(EVENT, text) == Parsed({"date": iso, "pressure": pressure})
