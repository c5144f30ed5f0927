"""Whatever a scout types, the reader answers: no crash, the opener kept, the outcome its own words."""

from datetime import date

from hypothesis import example, given, settings
from hypothesis import strategies as st

from bot.dialogue.answers import Invalid, Parsed, parse_answer
from bot.dialogue.definition import load_definition
from bot.domain.opener import read_opener
from bot.domain.opener.text import plain

TODAY = date(2026, 12, 2)
DEFINITION = load_definition()
PIECES = [
    "Acme", "Acme Corp's", "CFO", "head of", "wants", "will", "veut", "quiere", "$", "€", "k", "M", "Mio",
    "250", "40 000", "1,2", "31.", "März", "March 31", "Q1", "end of", "fin", "in three weeks", "renewal",
    "board", "Hi!", "<@U1>", "<https://x.example|link>", "*", "_", ":", ";", ".", ",", "\n", "—", "'s",
    "de", "el", "der", "2027-02-10", "31/04/2027", "half a", "million", "six figures", "over", "a year",
]  # fmt: skip
OPENERS = st.lists(st.sampled_from(PIECES) | st.text(max_size=8), max_size=25).map(" ".join)


@settings(max_examples=200, deadline=None)
@given(OPENERS)
@example("0( )0")  # the aside went and its neighbours joined into "00"
def test_any_opener_is_read_without_failing_and_kept_whole(text):
    reading = read_opener(text, today=TODAY, known_accounts={"Acme Corp": []})
    assert reading.evidence == text
    if reading.outcome:  # the scout's own words (a bracketed aside may be left out)
        assert all(word in plain(text) for word in reading.outcome.split())
    assert reading.amount is None or reading.amount > 0


@settings(max_examples=200, deadline=None)
@given(OPENERS, st.sampled_from(["value", "event"]))
def test_any_typed_value_or_event_gets_an_answer_or_a_message(text, key):
    result = parse_answer(DEFINITION.question(key), text, today=TODAY)
    assert isinstance(result, Parsed | Invalid)
