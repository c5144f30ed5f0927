"""The dialogue state machine: the DM conversation, the summary, and every event in every state."""

from datetime import date

import pytest

from bot.dialogue.definition import load_definition
from bot.dialogue.events import (
    Ask,
    AskMore,
    Back,
    Cancel,
    Cancelled,
    DialogueState,
    Edit,
    Help,
    Notice,
    Pick,
    Reply,
    Resume,
    SetRoutes,
    ShowHelp,
    Skip,
    Submit,
    Submitted,
    Summary,
    answers_version,
    interpret,
)
from bot.dialogue.machine import advance, start_state
from bot.domain.routing import load_rules

TODAY = date(2026, 6, 1)
DEFINITION = load_definition()
RULES = load_rules()
EVENT_ANSWER = {"date": "2027-03-31", "pressure": "board decides the budget"}
FIT_YES = {
    "account": "Globex",
    "outcome": "Onboard a store in a day",
    "gap": "Imports take two weeks",
    "fit": "yes",
}


def step(state, event):
    return advance(DEFINITION, RULES, state, event, today=TODAY)


def run(state, *events):
    """Every step of a sequence of events."""
    steps = []
    for event in events:
        steps.append(step(state, event))
        state = steps[-1].state
    return steps


def kinds(result):
    return tuple(type(effect) for effect in result.effects)


def asked(result):
    return next(e.question.key for e in result.effects if isinstance(e, Ask))


def notice(result):
    return next(e.text for e in result.effects if isinstance(e, Notice))


def summary_of(answers):
    return step(DialogueState("summary", answers), Resume()).state


SUMMARY_YES = summary_of({**FIT_YES, "value": {"band": "over_1m"}, "event": EVENT_ANSWER})


# --- whole conversations ------------------------------------------------------------------------


def test_a_dialogue_with_fit_yes_asks_eight_questions_and_the_owner_and_submits():
    replies = ["Globex", "Onboard a store in a day", "Imports take two weeks", "yes", "40k EUR",
               "2027-03-31 board decides the budget", "the CFO", "the CFO", "“A week per store”"]  # fmt: skip
    steps = run(start_state(DEFINITION), *map(Reply, replies), Submit())
    assert [asked(s) for s in steps[:5]] == ["outcome", "gap", "fit", "value", "event"]
    assert kinds(steps[5]) == (AskMore,) and steps[5].effects[0].about == "owner"
    assert [asked(s) for s in steps[6:8]] == ["who_cares", "evidence"]
    assert kinds(steps[8]) == (Summary,)
    assert steps[8].effects[0].answers["routes"] == ["sales", "marketing"]
    assert steps[-1].state.step == "submitted"
    assert steps[-1].effects == (
        Submitted({**FIT_YES, "value": {"amount": "40000", "currency": "EUR"},
                   "event": EVENT_ANSWER | {"owner": "CFO"}, "who_cares": "executive",
                   "evidence": "“A week per store”", "routes": ["sales", "marketing"]}),
    )  # fmt: skip


def test_a_dialogue_with_fit_not_yet_never_asks_for_the_event():
    replies = ["Globex", "Onboard a store in a day", "Imports take two weeks", "not yet"]
    steps = run(start_state(DEFINITION), *map(Reply, replies), Skip(), Skip(), Skip(), Submit())
    assert [asked(s) for s in steps[3:6]] == ["value", "who_cares", "evidence"]
    assert kinds(steps[6]) == (Summary,)
    assert steps[-1].effects == (Submitted({**FIT_YES, "fit": "not_yet", "routes": ["product"]}),)


def test_the_first_question_is_the_account():
    assert start_state(DEFINITION) == DialogueState("account", {})


def test_prefilled_answers_are_not_asked_again():
    state = start_state(DEFINITION, answers={"account": "Globex", "evidence_url": "https://x"})
    assert state.step == "outcome"
    assert state.answers["evidence_url"] == "https://x"


def test_a_dialogue_with_every_asked_answer_prefilled_starts_at_the_summary():
    answers = {**FIT_YES, "fit": "not_yet", "value": {"band": "unknown"}, "who_cares": "other",
               "evidence": "“We lose a week”"}  # fmt: skip
    assert start_state(DEFINITION, answers=answers).step == "summary"


def test_a_prefilled_fit_yes_still_asks_for_the_event():
    answers = {**FIT_YES, "value": {"band": "unknown"}}
    assert start_state(DEFINITION, answers=answers).step == "event"


# --- every event in every kind of state ----------------------------------------------------------

AT_ACCOUNT = start_state(DEFINITION)
AT_VALUE = DialogueState("value", FIT_YES)
EDITING = DialogueState("who_cares", SUMMARY_YES.answers, editing=True)
A, N, S, H = Ask, Notice, Summary, ShowHelp
TABLE = [
    (AT_ACCOUNT, Reply("Globex"), "outcome", (A,)),
    (AT_ACCOUNT, Reply("  "), "account", (A,)),
    (AT_ACCOUNT, Pick("fit", "yes"), "account", (N,)),
    (AT_ACCOUNT, Skip(), "account", (N, A)),
    (AT_ACCOUNT, Back(), "account", (A,)),
    (AT_ACCOUNT, Cancel(), "cancelled", (Cancelled,)),
    (AT_ACCOUNT, Help(), "account", (H,)),
    (AT_ACCOUNT, Edit("gap"), "account", (N, A)),
    (AT_ACCOUNT, SetRoutes(("sales",)), "account", (N, A)),
    (AT_ACCOUNT, Submit(), "account", (N, A)),
    (AT_ACCOUNT, Resume(), "account", (A,)),
    (AT_VALUE, Reply("40k EUR"), "event", (N, A)),  # read back: "Got it: … EUR 40,000"
    (AT_VALUE, Reply("EUR 40,000"), "event", (A,)),
    (AT_VALUE, Pick("value", "over_1m"), "event", (A,)),
    (AT_VALUE, Pick("value", "huge"), "value", (A,)),
    (AT_VALUE, Pick("fit", "partly"), "value", (N,)),
    (AT_VALUE, Skip(), "event", (A,)),
    (AT_VALUE, Back(), "fit", (A,)),
    (AT_VALUE, Cancel(), "cancelled", (Cancelled,)),
    (AT_VALUE, Help(), "value", (H,)),
    (AT_VALUE, Submit(), "value", (N, A)),
    (SUMMARY_YES, Reply("hello"), "summary", (N, S)),
    (SUMMARY_YES, Pick("fit", "partly"), "summary", (S,)),
    (SUMMARY_YES, Skip(), "summary", (N, S)),
    (SUMMARY_YES, Back(), "evidence", (A,)),
    (SUMMARY_YES, Cancel(), "cancelled", (Cancelled,)),
    (SUMMARY_YES, Help(), "summary", (H,)),
    (SUMMARY_YES, Edit("who_cares"), "who_cares", (A,)),
    (SUMMARY_YES, SetRoutes(("product",)), "summary", (S,)),
    (SUMMARY_YES, Submit(), "submitted", (Submitted,)),
    (SUMMARY_YES, Resume(), "summary", (S,)),
    (EDITING, Reply("1"), "summary", (S,)),
    (EDITING, Pick("who_cares", "end_user"), "summary", (S,)),
    (EDITING, Pick("fit", "partly"), "who_cares", (N,)),
    (EDITING, Skip(), "summary", (S,)),
    (EDITING, Back(), "summary", (S,)),
    (EDITING, Cancel(), "cancelled", (Cancelled,)),
    (EDITING, Help(), "who_cares", (H,)),
    (EDITING, Edit("gap"), "who_cares", (N, A)),
    (EDITING, SetRoutes(("sales",)), "who_cares", (N, A)),
    (EDITING, Submit(), "who_cares", (N, A)),
    (EDITING, Resume(), "who_cares", (A,)),
]


@pytest.mark.parametrize(("state", "event", "step_after", "effects"), TABLE)
def test_every_event_in_every_open_state(state, event, step_after, effects):
    result = step(state, event)
    assert (result.state.step, kinds(result)) == (step_after, effects)


ALL_EVENTS = [Reply("x"), Pick("fit", "yes"), Skip(), Back(), Cancel(), Help(), Edit("fit"),
              SetRoutes(("sales",)), Submit(), Resume()]  # fmt: skip


@pytest.mark.parametrize("closed", ["submitted", "cancelled"])
@pytest.mark.parametrize("event", ALL_EVENTS, ids=lambda e: type(e).__name__)
def test_a_closed_dialogue_answers_every_event_with_a_notice_and_stays_closed(closed, event):
    state = DialogueState(closed, SUMMARY_YES.answers)
    result = step(state, event)
    assert result.state == state
    assert kinds(result) == (Notice,)


# --- questions ------------------------------------------------------------------------------------


def test_an_invalid_reply_re_asks_with_the_message_and_changes_nothing():
    state = DialogueState("outcome", {"account": "Globex"})
    result = step(state, Reply("x" * 1612))
    assert result.state == state
    assert result.effects[0].error.startswith("That's 1,612 characters; the outcome can be at most")


def test_skipping_a_required_question_says_so_and_asks_again():
    result = step(AT_ACCOUNT, Skip())
    assert notice(result) == "Skipping isn't possible: the account is required."
    assert asked(result) == "account"


@pytest.mark.parametrize("text", ["not sure", "No idea.", "keine Ahnung", "n/a"])
def test_not_knowing_the_answer_to_an_optional_question_skips_it(text):
    at_who = DialogueState("who_cares", {**FIT_YES, "value": {"band": "over_1m"}, "event": EVENT_ANSWER})
    result = step(at_who, Reply(text))
    assert "who_cares" not in result.state.answers
    assert asked(result) == "evidence"


def test_a_choice_read_from_other_words_is_said_back():
    at_fit = DialogueState("fit", {k: v for k, v in FIT_YES.items() if k != "fit"})
    assert notice(step(at_fit, Reply("not really"))) == "Got it: our fit — *Not yet*."
    assert kinds(step(at_fit, Reply("Not yet"))) == (Ask,)  # its own words: nothing to say back
    assert kinds(step(at_fit, Reply("3"))) == (Ask,)


def test_not_sure_is_an_answer_where_it_is_one_of_the_choices():
    at_fit = DialogueState("fit", {k: v for k, v in FIT_YES.items() if k != "fit"})
    assert step(at_fit, Reply("not sure")).state.answers["fit"] == "not_sure"
    assert step(AT_VALUE, Reply("no idea")).state.answers["value"] == {"band": "unknown"}


def test_not_knowing_a_required_answer_does_not_skip_it():
    result = step(DialogueState("gap", {"account": "Globex", "outcome": "Onboard a store in a day"}),
                  Reply("not sure"))  # fmt: skip
    assert result.state.step == "gap"


def test_back_shows_the_previous_question_with_its_answer():
    result = step(AT_VALUE, Back())
    assert result.effects == (Ask(DEFINITION.question("fit"), None, "yes"),)


def test_back_at_the_first_question_asks_it_again_with_its_answer():
    state = DialogueState("account", {"account": "Globex"})
    assert step(state, Back()).effects == (Ask(DEFINITION.question("account"), None, "Globex"),)


def test_after_going_back_an_answer_continues_at_the_next_unanswered_question():
    state = DialogueState("outcome", {**FIT_YES})
    result = step(state, Reply("Open new stores much faster"))
    assert asked(result) == "value"


def test_a_second_click_on_an_answered_button_changes_nothing():
    first = step(
        DialogueState("fit", {"account": "G", "outcome": "O", "gap": "G"}), Pick("fit", "yes")
    )
    second = step(first.state, Pick("fit", "not_yet"))
    assert second.state == first.state
    assert notice(second).startswith("That question is already answered")


@pytest.mark.parametrize("event", [Skip("value"), Back("value"), Skip("who_cares")])
def test_skip_or_back_from_another_questions_message_changes_nothing(event):
    state = DialogueState("event", {**FIT_YES, "value": {"band": "unknown"}})
    result = step(state, event)
    assert result.state == state
    assert notice(result).startswith(("That question is already answered", "That button belongs"))


def test_skip_from_an_old_questions_message_at_the_summary_changes_nothing():
    state = step(DialogueState("evidence", FIT_YES), Skip()).state
    assert state.step == "summary"
    result = step(state, Skip("who_cares"))
    assert result.state == state and "Edit button in the summary" in notice(result)
    assert step(state, Back("evidence")).state == state  # Back on it: the same
    assert step(state, Back()).state.step != "summary"  # typed "back" still goes back


def test_changing_fit_to_not_yet_on_the_way_back_drops_the_event():
    state = DialogueState("fit", {**FIT_YES, "event": EVENT_ANSWER})
    result = step(state, Reply("not yet"))
    assert "event" not in result.state.answers
    assert asked(result) == "value"


def test_resume_after_a_restart_asks_the_current_question_again():
    stored = DialogueState("value", {**FIT_YES, "value": {"band": "unknown"}}).dump()
    result = step(DialogueState.load("value", stored), Resume())
    assert result.effects == (Ask(DEFINITION.question("value"), None, {"band": "unknown"}),)


def test_a_step_the_definition_no_longer_has_resumes_at_the_first_unanswered_question():
    assert asked(step(DialogueState("budget", {"account": "Globex"}), Resume())) == "outcome"


# --- summary --------------------------------------------------------------------------------------


def test_the_summary_carries_the_suggestions_with_their_reasons():
    summary = step(SUMMARY_YES, Resume()).effects[0]
    assert [s.route for s in summary.suggestions] == ["sales", "marketing"]
    assert summary.answers["routes"] == ["sales", "marketing"]


def test_the_routes_the_scout_chose_survive_later_edits():
    chosen = step(SUMMARY_YES, SetRoutes(("product", "sales"))).state
    assert chosen.answers["routes"] == ["sales", "product"]
    edited = run(chosen, Edit("fit"), Reply("partly"))[-1]
    assert edited.state.answers["routes"] == ["sales", "product"]
    assert [s.route for s in edited.effects[0].suggestions] == ["sales", "product"]


def test_no_team_at_all_is_refused():
    result = step(SUMMARY_YES, SetRoutes(()))
    assert notice(result) == "Pick at least one team."
    assert result.state == SUMMARY_YES


def test_an_unknown_team_is_refused():
    result = step(SUMMARY_YES, SetRoutes(("legal",)))
    assert "“legal” is not a team" in notice(result)
    assert result.state == SUMMARY_YES


def test_evidence_can_be_changed_from_the_summary():
    steps = run(SUMMARY_YES, Edit("evidence"), Reply("“We lose a week per store.”"))
    assert steps[0].state == DialogueState("evidence", SUMMARY_YES.answers, editing=True)
    assert steps[1].state.step == "summary"
    assert steps[1].state.answers["evidence"] == "“We lose a week per store.”"


def test_who_cares_can_be_set_from_the_summary_by_its_label():
    result = run(SUMMARY_YES, Edit("who_cares"), Reply("Executive / economic owner"))[-1]
    assert result.state.answers["who_cares"] == "executive"
    assert result.state.editing is False


def test_an_edit_shows_the_current_answer():
    result = step(SUMMARY_YES, Edit("account"))
    assert result.effects == (Ask(DEFINITION.question("account"), None, "Globex"),)


def test_skipping_an_optional_question_while_editing_clears_its_answer():
    result = run(SUMMARY_YES, Edit("value"), Skip())[-1]
    assert "value" not in result.state.answers
    assert result.state.step == "summary"


def test_an_invalid_edit_stays_on_the_question():
    result = run(SUMMARY_YES, Edit("value"), Reply("lots"))[-1]
    assert result.state == DialogueState("value", SUMMARY_YES.answers, editing=True)
    assert result.effects[0].error.startswith("I couldn't read a value")


def test_changing_fit_to_not_yet_from_the_summary_drops_the_event_answer():
    result = run(SUMMARY_YES, Edit("fit"), Reply("not yet"))[-1]
    assert "event" not in result.state.answers
    # Over 1M a year: a "not yet" gap that large goes to sales as well as product.
    assert [s.route for s in result.effects[0].suggestions] == ["sales", "product"]


def test_changing_fit_to_yes_from_the_summary_leaves_the_new_optional_event_unasked():
    not_yet = summary_of({**FIT_YES, "fit": "not_yet"})
    result = run(not_yet, Edit("fit"), Reply("yes"))[-1]
    assert result.state.step == "summary"
    assert "event" not in result.state.answers


def test_a_question_that_does_not_apply_cannot_be_edited():
    not_yet = summary_of({**FIT_YES, "fit": "not_yet"})
    result = step(not_yet, Edit("event"))
    assert notice(result) == "The compelling event only applies when our fit is Yes or Partly."
    assert result.state == not_yet


def test_an_unknown_question_cannot_be_edited():
    assert "no question “budget”" in notice(step(SUMMARY_YES, Edit("budget")))


def test_back_from_the_summary_skips_questions_that_do_not_apply():
    not_yet = summary_of({**FIT_YES, "fit": "not_yet"})
    assert asked(step(not_yet, Back())) == "evidence"
    assert asked(step(step(not_yet, Back()).state, Back())) == "who_cares"
    assert asked(run(not_yet, Back(), Back(), Back())[-1]) == "value"  # the event does not apply


def test_submit_keeps_answers_set_outside_the_questions():
    state = summary_of({**FIT_YES, "evidence_url": "https://example.slack.com/archives/C1/p1"})
    result = step(state, Submit())
    assert result.effects[0].answers["evidence_url"] == "https://example.slack.com/archives/C1/p1"


def test_submit_before_the_routes_were_shown_uses_the_suggestions():
    result = step(DialogueState("summary", dict(FIT_YES)), Submit())
    assert result.effects[0].answers["routes"] == ["marketing"]


def test_submit_with_a_required_answer_missing_asks_for_it():
    answers = {key: value for key, value in FIT_YES.items() if key != "gap"}
    result = step(DialogueState("summary", answers), Submit())
    assert notice(result) == "The gap is still missing."
    assert result.state == DialogueState("gap", answers, editing=True)


def test_submit_in_the_middle_asks_to_answer_the_rest_first():
    assert notice(step(AT_VALUE, Submit())) == "Answer the remaining questions first."


# --- persistence and commands ---------------------------------------------------------------------


def every_state_of_a_dialogue():
    replies = ["Globex", "Onboard", "Imports", "yes", "40k EUR", "2027-03-31 board"]
    steps = run(start_state(DEFINITION), *map(Reply, replies), Edit("who_cares"), Reply("2"),
                Submit())  # fmt: skip
    return [start_state(DEFINITION), *(s.state for s in steps), DialogueState("cancelled", {})]


@pytest.mark.parametrize("state", every_state_of_a_dialogue(), ids=lambda s: s.step)
def test_a_state_survives_being_stored_and_loaded(state):
    assert DialogueState.load(state.step, state.dump()) == state


def test_the_editing_flag_is_stored_beside_the_answers_only_while_editing():
    assert DialogueState("fit", {"fit": "yes"}, editing=True).dump() == {
        "fit": "yes",
        "_editing": True,
    }
    assert DialogueState("fit", {"fit": "yes"}).dump() == {"fit": "yes"}


@pytest.mark.parametrize(
    ("text", "event"),
    [("skip", Skip()), ("Back!", Back()), ("  CANCEL. ", Cancel()), ("help?", Help()),
     ("Submit", Submit()), ("skip it", Reply("skip it")), ("Helpful", Reply("Helpful")),
     ("Globex", Reply("Globex")), ("Hi!", Resume()), ("hey, where were we?", Resume()),
     ("Hilton", Reply("Hilton")), ("hi, Globex wants exports", Reply("hi, Globex wants exports"))],
)  # fmt: skip
def test_command_words_alone_become_events_and_anything_else_is_a_reply(text, event):
    """A hello alone is someone coming back (days later, say): where the dialogue is is shown
    again, and the hello answers nothing."""
    assert interpret(text) == event


def test_a_reply_to_a_dialogue_opened_in_a_form_answers_nothing_and_shows_where_it_stands():
    opened = DialogueState("account", {"evidence": "From the call"}, in_form=True)

    shown = step(opened, Reply("hello there"))

    assert shown.state == DialogueState("account", {"evidence": "From the call"})
    notice, ask = shown.effects
    assert isinstance(notice, Notice) and "“hello there”" in notice.text
    assert isinstance(ask, Ask) and ask.question.key == "account"
    assert step(shown.state, Reply("Globex")).state.answers["account"] == "Globex"


def test_the_in_form_flag_is_stored_beside_the_answers_and_read_back():
    state = DialogueState("summary", {"account": "Globex"}, editing=True, in_form=True)

    assert DialogueState.load(state.step, state.dump()) == state
    assert DialogueState.load("account", {"account": "Globex"}).in_form is False


def test_submit_from_an_outdated_summary_shows_the_current_one_and_sends_nothing():
    answers = FIT_YES | {"routes": ["marketing"]}
    summary = DialogueState("summary", answers)
    before_the_edit = answers_version(FIT_YES | {"account": "Initech"})

    outdated = step(summary, Submit(seen=before_the_edit))

    assert outdated.state.step == "summary"
    assert isinstance(outdated.effects[0], Notice) and isinstance(outdated.effects[1], Summary)
    ticked_meanwhile = answers_version(FIT_YES | {"routes": ["sales"]})  # ticking is no change
    assert step(summary, Submit(seen=ticked_meanwhile)).state.step == "submitted"


# --- the customer's words at the summary --------------------------------------------------------


@pytest.mark.parametrize(
    "words", ['"We lose a week every month" said their controller', "Their CFO told us: too slow"]
)
def test_the_customers_words_typed_at_the_summary_go_into_the_evidence(words):
    at_summary = summary_of({**SUMMARY_YES.answers, "evidence": "From the QBR"})
    result = step(at_summary, Reply(words))
    assert result.state.step == "summary"
    assert result.state.answers["evidence"] == f"From the QBR\n\n{words}"
    assert notice(result).startswith("Added to the evidence")


def test_other_text_at_the_summary_changes_nothing_and_says_how_to_add_a_quote():
    result = step(SUMMARY_YES, Reply("looks fine"))
    assert result.state.answers == SUMMARY_YES.answers
    assert "in quotes go into the evidence" in notice(result)


def test_a_quote_that_would_overflow_the_evidence_is_refused_and_changes_nothing():
    full = summary_of({**SUMMARY_YES.answers, "evidence": "x" * 19990})
    result = step(full, Reply('"We lose a week every month," they said'))
    assert result.state.answers == full.answers
    assert notice(result).startswith("That's ")
