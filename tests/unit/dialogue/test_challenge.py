"""A thin outcome or gap gets one friendly challenge: answer again, or keep it; never twice."""

from datetime import date

from bot.dialogue.definition import load_definition
from bot.dialogue.events import (
    Ask,
    DialogueState,
    Edit,
    Keep,
    Notice,
    Reply,
    Skip,
    Submit,
    Submitted,
    Summary,
    interpret,
)
from bot.dialogue.machine import advance
from bot.domain.routing import load_rules

DEFINITION, RULES = load_definition(), load_rules()
AT_OUTCOME = DialogueState("outcome", {"account": "Globex"})
DONE = {
    "account": "Globex", "outcome": "Onboard a store in one day instead of two weeks",
    "gap": "Imports take two weeks per store", "fit": "not_yet",
}  # fmt: skip


def step(state, event):
    return advance(DEFINITION, RULES, state, event, today=date(2026, 6, 1))


def ask(result) -> Ask:
    return next(e for e in result.effects if isinstance(e, Ask))


def test_a_feature_request_is_challenged_once_and_kept_meanwhile():
    result = step(AT_OUTCOME, Reply("a bulk import button"))

    assert result.state.step == "outcome"
    assert result.state.answers["outcome"] == "a bulk import button"  # nothing typed is lost
    assert ask(result).challenge.startswith("That sounds like a feature.")
    assert ask(result).current == "a bulk import button"


def test_the_second_answer_replaces_the_first_and_is_taken_as_is_even_if_thin():
    challenged = step(AT_OUTCOME, Reply("a bulk import button")).state
    result = step(challenged, Reply("better reporting"))

    assert result.state.answers["outcome"] == "better reporting"
    assert ask(result).question.key == "gap" and ask(result).challenge is None


def test_keep_it_typed_or_clicked_goes_on_with_the_answer():
    challenged = step(AT_OUTCOME, Reply("better reporting")).state
    for event in (interpret("Keep it!"), Keep(key="outcome")):
        result = step(challenged, event)
        assert result.state.answers["outcome"] == "better reporting"
        assert ask(result).question.key == "gap"


def test_skip_at_a_challenge_keeps_the_answer_and_goes_on():
    challenged = step(AT_OUTCOME, Reply("better reporting")).state
    result = step(challenged, Skip())

    assert result.state.answers["outcome"] == "better reporting"
    assert ask(result).question.key == "gap"
    assert not any(isinstance(e, Notice) for e in result.effects)  # not "cannot skip"


def test_skip_at_an_unanswered_required_question_still_says_it_is_required():
    result = step(AT_OUTCOME, Skip())
    assert result.state.step == "outcome" and "outcome" not in result.state.answers
    assert any(isinstance(e, Notice) for e in result.effects)


def test_a_keep_button_clicked_twice_or_for_another_question_changes_nothing():
    challenged = step(AT_OUTCOME, Reply("better reporting")).state
    moved = step(challenged, Keep(key="outcome")).state
    again = step(moved, Keep(key="outcome"))

    assert again.state == moved
    assert "already answered" in next(e.text for e in again.effects if isinstance(e, Notice))


def test_a_good_answer_is_not_challenged_and_neither_is_a_choice():
    result = step(AT_OUTCOME, Reply("Onboard a store in one day instead of two weeks"))
    assert ask(result).question.key == "gap" and ask(result).challenge is None


def test_each_answer_is_challenged_once_per_dialogue_even_when_edited_later():
    state = step(AT_OUTCOME, Reply("better reporting")).state
    state = step(state, Keep()).state
    state = step(state, Reply("by hand")).state  # the gap: challenged too
    assert state.step == "gap"
    state = step(state, Keep()).state
    state = step(step(state, Reply("not yet")).state, Skip()).state  # the value
    summary = step(step(state, Skip()).state, Skip())  # who cares, the evidence
    assert any(isinstance(e, Summary) for e in summary.effects)

    edited = step(step(summary.state, Edit("outcome")).state, Reply("nicer charts"))
    assert any(isinstance(e, Summary) for e in edited.effects)  # taken as is: no second one


def test_keep_it_typed_with_nothing_to_keep_is_an_answer_and_keep_at_the_summary_only_notes():
    result = step(DialogueState("account", {}), interpret("keep it"))
    assert result.state.answers["account"] == "keep it"

    summary = DialogueState("summary", DONE)
    result = step(summary, Keep())
    assert result.state.answers == {**DONE, "routes": result.state.answers["routes"]}
    assert any(isinstance(e, Notice) for e in result.effects)


def test_a_challenge_never_blocks_submit():
    state = DialogueState("summary", DONE | {"outcome": "better reporting"})
    assert any(isinstance(e, Submitted) for e in step(state, Submit()).effects)


def test_the_challenged_marks_stay_out_of_the_submitted_answers():
    from bot.discoveries.service import answer_document

    state = step(AT_OUTCOME, Reply("better reporting")).state
    assert "_challenged" in state.answers
    assert "_challenged" not in answer_document(state.answers)
