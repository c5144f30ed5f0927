"""Follow-ups in the DM: the event's owner asked once, and a date gone by questioned, not taken."""

from datetime import date

import pytest

from bot.dialogue.definition import load_definition
from bot.dialogue.events import (
    Ask,
    AskMore,
    Back,
    DialogueState,
    Edit,
    Notice,
    Pick,
    Reply,
    Resume,
    Skip,
)
from bot.dialogue.machine import advance
from bot.domain.routing import load_rules

TODAY = date(2026, 12, 2)
DEFINITION = load_definition()
RULES = load_rules()
BEFORE = {"account": "Globex", "outcome": "Close in 3 days", "gap": "Excel", "fit": "yes"}
AT_EVENT = DialogueState("event", BEFORE)
PASSED = {"date": "2026-03-03", "pressure": "audit"}


def step(state, event):
    return advance(DEFINITION, RULES, state, event, today=TODAY)


def run(state, *events):
    for event in events:
        result = step(state, event)
        state = result.state
    return result


def asked(result):
    return next((e.question.key for e in result.effects if isinstance(e, Ask)), None)


def more(result):
    return next(e for e in result.effects if isinstance(e, AskMore))


def notice(result):
    return next(e.text for e in result.effects if isinstance(e, Notice))


# --- the owner ------------------------------------------------------------------------------------


def test_an_event_with_a_date_and_a_pressure_but_no_owner_asks_for_the_owner():
    result = step(AT_EVENT, Reply("2027-03-31 renewal"))
    assert more(result).about == "owner" and "Who owns the money" in more(result).prompt
    assert result.state.answers["event"] == {"date": "2027-03-31", "pressure": "renewal"}


def test_the_owner_typed_is_kept_on_the_event_and_the_dialogue_moves_on():
    result = run(AT_EVENT, Reply("2027-03-31 renewal"), Reply("the CFO"))
    assert result.state.answers["event"]["owner"] == "CFO"
    assert asked(result) == "who_cares" and result.state.follow_up is None


@pytest.mark.parametrize(
    ("text", "words"), [("  ", "Type the event's owner"), ("x" * 201, "at most 200")]
)
def test_an_empty_or_too_long_owner_is_asked_again_with_the_reason(text, words):
    result = run(AT_EVENT, Reply("2027-03-31 renewal"), Reply(text))
    assert more(result).about == "owner" and words in more(result).error
    assert "owner" not in result.state.answers["event"]


def test_the_owner_can_be_skipped_once_and_is_not_asked_again():
    result = run(AT_EVENT, Reply("2027-03-31 renewal"), Skip())
    assert asked(result) == "who_cares"
    assert result.state.answers["event"] == {"date": "2027-03-31", "pressure": "renewal"}


@pytest.mark.parametrize("text", ["CFO, renewal, 31 March", "31 March", "2027-03-31"])
def test_no_owner_is_asked_when_it_was_given_or_there_is_no_pressure(text):
    assert asked(step(AT_EVENT, Reply(text))) == "who_cares"


def test_back_at_the_owner_asks_the_event_again_with_its_answer():
    result = run(AT_EVENT, Reply("2027-03-31 renewal"), Back())
    assert asked(result) == "event" and result.state.follow_up is None
    assert result.effects[0].current == {"date": "2027-03-31", "pressure": "renewal"}


def test_an_owner_follow_up_survives_a_restart():
    state = step(AT_EVENT, Reply("2027-03-31 renewal")).state
    loaded = DialogueState.load(state.step, state.dump())
    assert loaded == state and more(step(loaded, Resume())).about == "owner"


def test_editing_the_event_from_the_summary_asks_the_owner_then_returns_to_the_summary():
    summary = run(AT_EVENT, Reply("CFO, renewal, 2027-03-31"), Reply("1"), Skip()).state
    result = run(summary, Edit("event"), Reply("2027-04-30 audit"), Reply("Jane Roe"))
    assert result.state.step == "summary"
    assert result.state.answers["event"] == {
        "date": "2027-04-30", "pressure": "audit", "owner": "Jane Roe"
    }  # fmt: skip


# --- a date gone by -------------------------------------------------------------------------------


def test_a_date_gone_by_is_questioned_with_three_buttons():
    result = step(AT_EVENT, Reply("March 3, 2026 audit"))
    asking = more(result)
    assert asking.prompt == "3 Mar 2026 has passed — did you mean 3 Mar 2027?"
    assert [label for label, _ in asking.choices] == [
        "Yes, 3 Mar 2027", "Keep 3 Mar 2026", "Type another date"
    ]  # fmt: skip
    assert "event" not in result.state.answers and result.state.pending == PASSED


@pytest.mark.parametrize(
    ("answer", "day"),
    [(Pick("event", "next@2026-03-03"), "2027-03-03"), (Reply("yes"), "2027-03-03"),
     (Reply("1"), "2027-03-03"), (Pick("event", "keep@2026-03-03"), "2026-03-03"),
     (Reply("keep it"), "2026-03-03"), (Reply("Keep 3 Mar 2026"), "2026-03-03")],
)  # fmt: skip
def test_the_next_year_or_the_date_as_typed_by_click_or_by_typing(answer, day):
    result = run(AT_EVENT, Reply("March 3, 2026 audit"), answer)
    assert result.state.answers["event"] == {"date": day, "pressure": "audit"}
    assert more(result).about == "owner"  # an audit with no owner: asked next


def test_another_date_typed_keeps_the_pressure_and_owner():
    asked_again = run(AT_EVENT, Reply("2026-03-03 audit, owner Jane Roe"), Reply("3"))
    assert more(asked_again).about == "date"
    result = step(asked_again.state, Reply("March 31"))
    assert result.state.answers["event"] == {
        "date": "2027-03-31", "pressure": "audit", "owner": "Jane Roe"
    }  # fmt: skip
    assert asked(result) == "who_cares"


def test_a_second_click_after_the_answer_changes_nothing():
    first = run(AT_EVENT, Reply("2026-03-03 audit, CFO"), Pick("event", "next@2026-03-03"))
    again = step(first.state, Pick("event", "keep@2026-03-03"))
    assert again.state == first.state
    assert "already answered" in notice(again)


def test_a_button_for_an_earlier_date_is_stale():
    state = run(AT_EVENT, Reply("2026-03-03 audit"), Reply("2026-01-05 audit")).state
    result = step(state, Pick("event", "next@2026-03-03"))
    assert "changed since" in notice(result) and result.state == state


def test_a_date_gone_by_button_at_the_summary_changes_nothing():
    summary = run(AT_EVENT, Reply("CFO, renewal, 2027-03-31"), Reply("1"), Skip()).state
    result = step(summary, Pick("event", "keep@2026-03-03"))
    assert result.state == summary and "already answered" in notice(result)


def test_skip_leaves_the_event_out_and_back_asks_it_again():
    skipped = run(AT_EVENT, Reply("2026-03-03 audit"), Skip())
    assert "event" not in skipped.state.answers and asked(skipped) == "who_cares"
    back = run(AT_EVENT, Reply("2026-03-03 audit"), Back())
    assert asked(back) == "event" and back.state.pending is None


def test_words_that_are_neither_a_choice_nor_a_date_ask_again_with_the_reason():
    result = run(AT_EVENT, Reply("2026-03-03 audit"), Reply("hmm"))
    assert more(result).about == "passed" and "When is it?" in more(result).error


# --- an amount without its currency ---------------------------------------------------------------

AT_VALUE = DialogueState("value", BEFORE)


def test_an_amount_without_a_currency_asks_which_with_a_button_each():
    result = step(AT_VALUE, Reply("about 200k a year"))
    asked_ = more(result)
    assert asked_.about == "currency" and asked_.prompt == "Which currency is 200,000 in?"
    assert [label for label, _ in asked_.choices] == list(DEFINITION.question("value").currencies)
    assert result.state.pending == {"amount": "200000"} and "value" not in result.state.answers


@pytest.mark.parametrize(
    ("reply", "value"),
    [(Reply("EUR"), {"amount": "200000", "currency": "EUR"}),
     (Reply("€"), {"amount": "200000", "currency": "EUR"}),
     (Reply("dollars"), {"amount": "200000", "currency": "USD"}),
     (Pick("value", "currency@GBP"), {"amount": "200000", "currency": "GBP"}),
     (Reply("300k CHF"), {"amount": "300000", "currency": "CHF"}),
     (Reply("Under 10k"), {"band": "under_10k"})],
)  # fmt: skip
def test_the_currency_alone_completes_the_amount_and_a_whole_value_replaces_it(reply, value):
    result = run(AT_VALUE, Reply("200k"), reply)
    assert result.state.answers["value"] == value
    assert result.state.pending is None and result.state.step == "event"


def test_another_amount_without_a_currency_asks_again_for_that_one():
    result = run(AT_VALUE, Reply("200k"), Reply("no wait, 250k"))
    assert more(result).prompt == "Which currency is 250,000 in?"


def test_a_currency_we_do_not_record_is_refused_and_asked_again():
    result = run(AT_VALUE, Reply("200k"), Reply("SEK"))
    assert "SEK isn't one of them" in next(e.error for e in result.effects if e.error)
    assert result.state.step == "value"


def test_skip_leaves_the_value_out():
    result = run(AT_VALUE, Reply("200k"), Skip())
    assert "value" not in result.state.answers and result.state.step == "event"


def test_a_currency_button_clicked_after_the_value_was_given_changes_nothing():
    given = run(AT_VALUE, Reply("200k"), Reply("EUR"))
    result = step(given.state, Pick("value", "currency@USD"))
    assert result.state.answers["value"] == {"amount": "200000", "currency": "EUR"}
    assert notice(result)
