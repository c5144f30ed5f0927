"""Typed answers are parsed into the stored format, or refused with a message that says how to fix them."""

from dataclasses import replace
from datetime import date

import pytest

from bot.dialogue.answers import Invalid, Parsed, display_answer, parse_answer, validate_value
from bot.dialogue.definition import Choice, Kind, Question, load_definition

TODAY = date(2026, 6, 1)
DEFINITION = load_definition()
OUTCOME = DEFINITION.question("outcome")
FIT = DEFINITION.question("fit")
VALUE = DEFINITION.question("value")
EVENT = DEFINITION.question("event")
WHO = DEFINITION.question("who_cares")
DATE = Question(key="event", kind=Kind.DATE, label="Decision date", prompt="When?")
TEAMS = Question(
    key="who_cares",
    kind=Kind.MULTI_CHOICE,
    label="Teams",
    prompt="Which teams?",
    choices=(Choice("rnd", "Research and development"), Choice("ops", "Operations"),
             Choice("fin", "Finance")),
)  # fmt: skip


def parse(question, text):
    return parse_answer(question, text, today=TODAY)


def message(result):
    assert isinstance(result, Invalid), result
    return result.message


# --- text -----------------------------------------------------------------------------------------


def test_text_is_stripped_and_keeps_its_inner_newlines():
    assert parse(OUTCOME, "  Onboard a store\nin one day \n") == Parsed(
        "Onboard a store\nin one day"
    )


def test_a_too_long_outcome_is_refused_with_the_length_and_the_limit():
    assert message(parse(OUTCOME, "x" * 1612)) == (
        "That's 1,612 characters; the outcome can be at most 1,500. Shorten it and send it again."
    )


def test_an_outcome_exactly_at_the_limit_is_taken():
    assert parse(OUTCOME, "é" * 1500) == Parsed("é" * 1500)


@pytest.mark.parametrize("question", [OUTCOME, FIT, VALUE, EVENT], ids=lambda q: q.key)
def test_an_empty_reply_is_refused_for_every_kind(question):
    assert "empty" in message(parse(question, "   \n"))


def test_an_empty_reply_to_an_optional_question_mentions_skip():
    assert "skip" in message(parse(VALUE, " "))
    assert "skip" not in message(parse(OUTCOME, " "))


# --- choices ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [("2", "partly"), ("Partly", "partly"), ("PARTLY!", "partly"), ("not yet.", "not_yet"),
     ("not_sure", "not_sure"), ("“Yes”", "yes"), (" 1 ", "yes")],
)  # fmt: skip
def test_a_choice_is_taken_by_number_label_or_value(text, value):
    assert parse(FIT, text) == Parsed(value)


@pytest.mark.parametrize("text", ["maybe", "5", "0", "yes, partly", "no, not sure", "\u00b2"])
def test_an_unknown_choice_is_refused_listing_the_options(text):
    assert message(parse(FIT, text)).endswith(
        "Reply with a number or the words: 1. Yes, 2. Partly, 3. Not yet, 4. Not sure."
    )


@pytest.mark.parametrize(
    ("text", "value"),
    [("partly i think", "partly"), ("yes please", "yes"), ("no", "not_yet"),
     ("No idea, honestly", "not_sure"), ("we can already do that", "yes"),
     ("Not yet I'd say", "not_yet"), ("teilweise", "partly"), ("can’t today", "not_yet")],
)  # fmt: skip
def test_a_sentence_naming_one_choice_picks_it(text, value):
    """Its label or one of its other words ("also" in the definition); the longest phrase counts,
    so "no idea" is not "no"."""
    assert parse(FIT, text) == Parsed(value)


def test_several_choices_are_split_on_commas_and_and():
    assert parse(TEAMS, "finance, 2") == Parsed(["ops", "fin"])
    assert parse(TEAMS, "Operations and Finance") == Parsed(["ops", "fin"])


def test_a_label_containing_and_is_not_split():
    assert parse(TEAMS, "research and development, finance") == Parsed(["rnd", "fin"])


def test_several_choices_with_an_unknown_one_name_it():
    assert "“legal”" in message(parse(TEAMS, "finance, legal"))


# --- value: bands and amounts ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "band"),
    [("Under 10k", "under_10k"), ("10k-100k", "10k_100k"), ("10k – 100k", "10k_100k"),
     ("3", "100k_1m"), ("over_1m", "over_1m"), ("don't know", "unknown"),
     ("Unknown", "unknown"), ("Don’t know", "unknown")],
)  # fmt: skip
def test_a_band_is_taken_by_label_number_or_value(text, band):
    assert parse(VALUE, text) == Parsed({"band": band})


@pytest.mark.parametrize(
    ("text", "amount", "currency"),
    [("40k EUR", "40000", "EUR"), ("EUR 40,000", "40000", "EUR"), ("€40k", "40000", "EUR"),
     ("$1.2M", "1200000", "USD"), ("1.5m usd", "1500000", "USD"), ("250000 chf", "250000", "CHF"),
     ("£3k", "3000", "GBP"), ("¥2bn", "2000000000", "JPY"), ("about 40k EUR per year", "40000", "EUR"),
     ("1,5m EUR", "1500000", "EUR"), ("EUR 40.000", "40000", "EUR"), ("12.5 eur", "12.5", "EUR"),
     ("2 million dollars", "2000000", "USD"), ("CAD 1,234.567", "1234.57", "CAD")],
)  # fmt: skip
def test_an_amount_is_read_with_its_scale_and_currency(text, amount, currency):
    assert parse(VALUE, text) == Parsed({"amount": amount, "currency": currency})


@pytest.mark.parametrize(
    ("text", "amount", "currency"),
    [("it's worth 40k€ to them", "40000", "EUR"), ("200k EUR for 50 stores", "200000", "EUR"),
     ("about $1.2M by 2027, maybe more", "1200000", "USD")],
)  # fmt: skip
def test_the_one_amount_in_a_sentence_is_read(text, amount, currency):
    assert parse(VALUE, text) == Parsed({"amount": amount, "currency": currency})


@pytest.mark.parametrize(
    "text", ["maybe 2 or 3 million EUR", "40-50k EUR", "between 40k and 50k EUR", "40k or 60k EUR"]
)
def test_a_range_or_several_amounts_are_asked_again_rather_than_guessed(text):
    assert "couldn't read a value" in message(parse(VALUE, text))


def test_an_amount_in_a_sentence_without_a_currency_asks_for_one_naming_the_amount():
    assert message(parse(VALUE, "about 200k a year, maybe more")).startswith(
        "Which currency is that in? Send it again with one, e.g. “200k USD”"
    )


def test_an_amount_without_a_currency_asks_for_one():
    assert message(parse(VALUE, "40k")) == (
        "Which currency is that in? Send it again with one, e.g. “40k USD” "
        "(USD, EUR, GBP, CHF, JPY, AUD, CAD)."
    )


def test_a_currency_we_do_not_record_is_refused_naming_the_ones_we_do():
    assert message(parse(VALUE, "40k SEK")).startswith(
        "I can record amounts in USD, EUR, GBP, CHF, JPY, AUD, CAD; SEK isn't one of them."
    )


@pytest.mark.parametrize("text", ["0 EUR", "-5k EUR", "EUR -40", "0.001 EUR"])
def test_a_zero_or_negative_amount_is_refused(text):
    assert "more than zero" in message(parse(VALUE, text))


def test_an_amount_too_large_to_store_is_refused():
    assert "more than we can record" in message(parse(VALUE, "5000000bn EUR"))


def test_two_different_currencies_are_refused():
    assert "two currencies" in message(parse(VALUE, "$40k EUR"))


def test_something_that_is_neither_band_nor_amount_is_refused_with_examples():
    assert message(parse(VALUE, "quite a lot")).endswith(
        "or type an amount such as 40k EUR or $1.2M."
    )


def test_a_question_without_currencies_takes_no_amounts():
    bands_only = replace(VALUE, currencies=())
    assert "takes a band, not an amount" in message(parse(bands_only, "40k EUR"))


# --- dates --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "iso"),
    [("2027-03-31", "2027-03-31"), ("31/03/2027", "2027-03-31"), ("1.4.2027", "2027-04-01"),
     ("31 Mar 2027", "2027-03-31"), ("31st of March, 2027", "2027-03-31"),
     ("March 31, 2027", "2027-03-31"), ("Feb 2028", "2028-02-29"), ("Mar 2027", "2027-03-31"),
     ("Q1 2027", "2027-03-31"), ("q4 2026", "2026-12-31"), ("June 2026", "2026-06-30")],
)  # fmt: skip
def test_a_date_is_read_in_the_usual_forms(text, iso):
    assert parse(DATE, text) == Parsed(iso)


def test_today_is_not_in_the_past():
    assert parse(DATE, "2026-06-01") == Parsed("2026-06-01")


def test_a_date_in_the_past_is_questioned_with_the_date_it_likely_meant():
    refused = parse(DATE, "31/05/2026")
    assert message(refused) == "31 May 2026 has passed — did you mean 31 May 2027?"
    assert refused.passed == "2026-05-31"


def test_a_day_the_month_does_not_have_is_refused():
    assert message(parse(DATE, "31/04/2027")) == "There's no 31 Apr 2027. Check the date."


@pytest.mark.parametrize("text", ["soon", "next week", "2027-03-31 or later", "13/13/2027"])
def test_a_text_that_is_not_a_date_is_refused_with_examples(text):
    assert "2027-03-31, 31/03/2027, 31 Mar 2027, Mar 2027 or Q1 2027" in message(parse(DATE, text))


# --- events -------------------------------------------------------------------------------------


def test_an_event_is_a_date_first_then_the_pressure():
    assert parse(EVENT, "2027-03-31 board decides the budget") == Parsed(
        {"date": "2027-03-31", "pressure": "board decides the budget"}
    )


def test_separators_between_the_date_and_the_pressure_are_dropped():
    assert parse(EVENT, "Q2 2027: renewal — they may leave") == Parsed(
        {"date": "2027-06-30", "pressure": "renewal — they may leave"}
    )


def test_an_event_may_be_a_date_alone():
    assert parse(EVENT, "March 31, 2027") == Parsed({"date": "2027-03-31", "pressure": ""})


def test_a_date_inside_a_sentence_is_found_and_the_sentence_kept():
    text = "The board decides on 31 March 2027 whether to renew"
    assert parse(EVENT, text) == Parsed({"date": "2027-03-31", "pressure": text})


def test_an_event_without_a_date_asks_for_one():
    assert message(parse(EVENT, "board decides the budget")).startswith("When is it?")


def test_an_event_in_the_past_is_questioned_and_keeps_what_was_read():
    refused = parse(EVENT, "2025-12-31 year end")
    assert "has passed — did you mean" in message(refused)
    assert refused.passed == {"date": "2025-12-31", "pressure": "year end"}


def test_a_too_long_pressure_is_refused_with_the_limit():
    assert message(parse(EVENT, "2027-03-31 " + "x" * 501)) == (
        "That's 501 characters; the compelling event's pressure can be at most 500. "
        "Shorten it and send it again."
    )


# --- structured values from the modal ----------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "value"),
    [(OUTCOME, "Onboard in a day"), (FIT, "not_yet"), (WHO, "executive"),
     (VALUE, {"band": "over_1m"}), (VALUE, {"amount": "40000", "currency": "EUR"}),
     (EVENT, {"date": "2027-03-31", "pressure": ""}), (DATE, "2026-06-01"),
     (TEAMS, ["ops", "fin"])],
)  # fmt: skip
def test_a_valid_structured_value_passes(question, value):
    assert validate_value(question, value, today=TODAY) is None


@pytest.mark.parametrize(
    ("question", "value", "words"),
    [(OUTCOME, "x" * 1501, "at most 1,500"), (OUTCOME, "  ", "can't be empty"),
     (FIT, "maybe", "isn't one of the options"), (VALUE, {"band": "huge"}, "isn't one of"),
     (VALUE, {"amount": "0", "currency": "EUR"}, "more than zero"),
     (VALUE, {"amount": "lots", "currency": "EUR"}, "isn't an amount"),
     (VALUE, {"amount": "5", "currency": "SEK"}, "SEK isn't one of them"),
     (VALUE, {"amount": "5"}, "Pick a band"),
     (EVENT, {"date": "2020-01-01", "pressure": ""}, "has passed"),
     (EVENT, {"date": "2027-03-31", "pressure": "x" * 501}, "at most 500"),
     (EVENT, {"pressure": "soon"}, "isn't a date"), (DATE, "31/03/2027", "isn't a date"),
     (TEAMS, [], "at least one"), (TEAMS, ["ops", "legal"], "“legal”")],
)  # fmt: skip
def test_an_invalid_structured_value_gets_the_same_kind_of_message(question, value, words):
    assert words in message(validate_value(question, value, today=TODAY))


# --- display ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "value", "text"),
    [(FIT, "not_yet", "Not yet"), (VALUE, {"band": "10k_100k"}, "10k–100k"),
     (VALUE, {"amount": "40000", "currency": "EUR"}, "EUR 40,000"),
     (VALUE, {"amount": "1234.5", "currency": "USD"}, "USD 1,234.50"),
     (EVENT, {"date": "2027-03-31", "pressure": "board decides the budget"},
      "31 Mar 2027 — board decides the budget"),
     (EVENT, {"date": "2027-03-31", "pressure": ""}, "31 Mar 2027"),
     (DATE, "2027-03-31", "31 Mar 2027"), (OUTCOME, "As typed\nhere", "As typed\nhere"),
     (TEAMS, ["ops", "fin"], "Operations, Finance")],
)  # fmt: skip
def test_answers_are_displayed_for_people(question, value, text):
    assert display_answer(question, value) == text


def test_a_parsed_amount_displays_as_the_scout_meant_it():
    parsed = parse(VALUE, "$1.2M")
    assert display_answer(VALUE, parsed.value) == "USD 1,200,000"
