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
     ("Vertragsverlängerung am 31. März", "2027-03-31", "Vertragsverlängerung")],
)  # fmt: skip
def test_a_typed_event_takes_the_dates_an_opener_does(text, iso, pressure):
    assert parse(EVENT, text) == Parsed({"date": iso, "pressure": pressure})


# --- the three parts of an event, in any order ---------------------------------------------


@pytest.mark.parametrize(
    ("text", "event"),
    [("CFO, audit, 15 March", {"date": "2027-03-15", "pressure": "audit", "owner": "CFO"}),
     ("audit, 15 March, CFO", {"date": "2027-03-15", "pressure": "audit", "owner": "CFO"}),
     ("15 March audit owner: Jane Roe",
      {"date": "2027-03-15", "pressure": "audit", "owner": "Jane Roe"}),
     ("board meeting 2027-02-10 — owner is Jane Roe",
      {"date": "2027-02-10", "pressure": "board meeting", "owner": "Jane Roe"}),
     ("Jane Roe, renewal, March 31",
      {"date": "2027-03-31", "pressure": "renewal", "owner": "Jane Roe"}),
     ("renewal on March 31 (for the CFO)",
      {"date": "2027-03-31", "pressure": "renewal", "owner": "CFO"}),
     ("audit 15 March owned by head of finance",
      {"date": "2027-03-15", "pressure": "audit", "owner": "head of finance"}),
     ("end of Q1: board decides, owner the CEO",
      {"date": "2027-03-31", "pressure": "board decides", "owner": "CEO"}),
     ("Vertragsverlängerung am 31. März, Entscheider: Finanzchef",
      {"date": "2027-03-31", "pressure": "Vertragsverlängerung", "owner": "Finanzchef"}),
     ("renouvellement le 31 mars, décideur : la DAF",
      {"date": "2027-03-31", "pressure": "renouvellement", "owner": "DAF"}),
     ("auditoría el 15 de marzo, lo decide el director financiero",
      {"date": "2027-03-15", "pressure": "auditoría", "owner": "director financiero"})],
)  # fmt: skip
def test_an_events_date_pressure_and_owner_are_read_in_any_order(text, event):
    assert parse(EVENT, text) == Parsed(event)


def test_a_role_inside_a_sentence_is_the_owner_and_the_sentence_stays_in_the_pressure():
    text = "the CFO signs at the renewal on March 31"
    assert parse(EVENT, text) == Parsed(
        {"date": "2027-03-31", "pressure": "the CFO signs at the renewal", "owner": "CFO"}
    )


@pytest.mark.parametrize(
    ("text", "iso"),
    [("next Friday, renewal", "2026-12-04"), ("in three weeks: renewal", "2026-12-23"),
     ("end of Q1 renewal", "2027-03-31"), ("March 31 renewal", "2027-03-31")],
)  # fmt: skip
def test_relative_dates_in_an_event_count_from_today(text, iso):
    assert parse(EVENT, text).value["date"] == iso


def test_a_long_owner_is_refused_with_the_limit():
    refused = parse(EVENT, "2027-03-31 renewal, owner is " + "x" * 201)
    assert "the event's owner can be at most 200" in refused.message


@pytest.mark.parametrize(
    ("text", "persona"),
    [("the CFO", "executive"), ("head of finance", "department_manager"),
     ("the admins", "technical_owner"), ("our users", "end_user"), ("die Anwender", "end_user"),
     ("le DAF", "executive"), ("2", "department_manager"), ("End user", "end_user")],
)  # fmt: skip
def test_who_cares_takes_a_persona_word_as_well_as_a_choice(text, persona):
    assert parse(DEFINITION.question("who_cares"), text) == Parsed(persona)


def test_who_cares_refuses_words_that_name_no_persona():
    assert isinstance(parse(DEFINITION.question("who_cares"), "someone nice"), Invalid)
