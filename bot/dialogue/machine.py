"""The discovery dialogue as a pure state machine: advance(definition, rules, state, event) -> Step."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from bot.dialogue import follow_ups
from bot.dialogue.amounts import currency_named, with_currency
from bot.dialogue.answer_common import quote, too_long
from bot.dialogue.answers import Invalid, Parsed, parse_answer, subject, validate_value
from bot.dialogue.definition import Definition, Kind, Question
from bot.dialogue.events import (
    CHALLENGED_KEY,
    Ask,
    Back,
    Cancel,
    Cancelled,
    DialogueState,
    Edit,
    Event,
    Help,
    Keep,
    Notice,
    Pick,
    Reply,
    Resume,
    SetRoutes,
    ShowHelp,
    Skip,
    Step,
    Submit,
    Submitted,
    Summary,
    answers_version,
)
from bot.dialogue.evidence import EVIDENCE, keep_opener, quoted, told
from bot.dialogue.reading import dont_know, read_back
from bot.domain.opener.quality import challenge, challenged_keys, in_their_words, thin_answer
from bot.domain.routing import RoutingRules, facts_of, suggest_routes
from bot.wording import say

SUMMARY, SUBMITTED, CANCELLED = "summary", "submitted", "cancelled"


@dataclass(frozen=True)
class _Context:
    definition: Definition
    rules: RoutingRules
    today: date


def start_state(definition: Definition, answers: dict[str, Any] | None = None) -> DialogueState:
    """A new dialogue at its first unanswered question (the summary when all are answered)."""
    answers = _pruned(definition, dict(answers or {}))
    following = _next_question(definition, answers)
    return DialogueState(following.key if following else SUMMARY, answers)


def opening_challenge(
    definition: Definition, state: DialogueState, read: dict[str, Any]
) -> Step | None:
    """A thin outcome or gap read from the opener, challenged once as a typed one is, when it
    comes before the first question still to ask (an unanswered one is asked first, as ever)."""
    for question in definition.dm_questions:
        if question.key == state.step:
            return None
        if question.key in read and question.applies(state.answers):
            at_it = replace(state, step=question.key)
            asked = _challenged(definition, at_it, question, Parsed(read[question.key]))
            if asked is not None:
                return asked
    return None


def with_story(state: DialogueState, story: str | None) -> DialogueState:
    """What the scout told us when opening the dialogue, kept whole as evidence (after any kept)
    and as the opener, which stays first in the evidence whatever is added after it."""
    return replace(state, answers=told(state.answers, story)) if story else state


def advance(
    definition: Definition, rules: RoutingRules, state: DialogueState, event: Event, *, today: date
) -> Step:
    """The next state and the effects, for one event."""
    if state.step in (SUBMITTED, CANCELLED):
        return Step(state, (Notice(say(f"dialogue_closed_{state.step}")),))
    context = _Context(definition, rules, today)
    state = _repaired(definition, state)
    if state.in_form and isinstance(event, Reply):  # nothing was asked here: show what is
        shown = advance(definition, rules, replace(state, in_form=False), Resume(), today=today)
        return _noticed(say("dialogue_not_an_answer", text=quote(event.text)), shown)
    if isinstance(event, Cancel):
        return Step(DialogueState(CANCELLED, state.answers), (Cancelled(),))
    if isinstance(event, Skip | Back) and event.key not in (None, state.step):
        return _stale_navigation(state, event.key)
    if state.follow_up and state.step != SUMMARY:
        return _at_follow_up(context, state, definition.question(state.step), event)
    if state.step == SUMMARY:
        return _at_summary(context, state, event)
    return _at_question(context, state, definition.question(state.step), event)


def _repaired(definition: Definition, state: DialogueState) -> DialogueState:
    """A state whose question vanished from the definition, or no longer applies, moves on."""
    known = {q.key: q for q in definition.questions}
    question = known.get(state.step)
    if state.step == SUMMARY or (question and question.applies(state.answers)):
        return state
    return start_state(definition, state.answers)


# --- at a question ------------------------------------------------------------------------------


def _at_question(context: _Context, state: DialogueState, question: Question, event: Event) -> Step:
    if isinstance(event, Reply):
        result = parse_answer(question, event.text, today=context.today)
        if dont_know(question, event.text, result):
            notice = say("dialogue_skipped_unknown", subject=subject(question))
            return _noticed(notice, _skip(context, state, question))
        return _challenged(context.definition, state, question, result) or _noticed(
            read_back(question, event.text, result), _answer(context, state, question, result)
        )
    if isinstance(event, Keep):
        return _keep(context, state, question, event)
    if isinstance(event, Pick):
        if event.key != question.key or follow_ups.is_button_value(event.value):
            return _stale_pick(state, event.key)
        return _answer(context, state, question, _picked(question, event.value, context.today))
    if isinstance(event, Skip):
        return _skip(context, state, question)
    if isinstance(event, Back):
        return _back(context, state, question)
    if isinstance(event, Help):
        return Step(state, (ShowHelp(question),))
    return _noticed(_elsewhere(event, state), _ask(state, question))


def _elsewhere(event: Event, state: DialogueState) -> str | None:
    """What to say about a summary event that arrives while a question is open."""
    if isinstance(event, Submit) and state.editing:
        return say("dialogue_finish_answer_first")
    if isinstance(event, Submit):
        return say("dialogue_answer_the_rest_first")
    if isinstance(event, Edit | SetRoutes):
        return say("dialogue_change_at_summary")
    return None  # Resume: just ask again


def _ask(state: DialogueState, question: Question, error: str | None = None) -> Step:
    return Step(state, (Ask(question, error, state.answers.get(question.key)),))


def _answer(
    context: _Context, state: DialogueState, question: Question, result: Parsed | Invalid
) -> Step:
    if isinstance(result, Invalid) and result.passed is not None:  # did they mean the next one?
        return _ask_more(
            context, replace(state, follow_up=follow_ups.PASSED, pending=result.passed), question
        )
    if isinstance(result, Invalid) and result.amount_only is not None:  # which currency?
        pending = {"amount": result.amount_only}
        return _ask_more(
            context, replace(state, follow_up=follow_ups.CURRENCY, pending=pending), question
        )
    if isinstance(result, Invalid):
        return _ask(state, question, result.message)
    answers = _pruned(context.definition, {**state.answers, question.key: result.value})
    if follow_ups.needs_owner(question, result.value):  # asked once; skipping it moves on
        owner = replace(state, answers=answers, follow_up=follow_ups.OWNER, pending=None)
        return _ask_more(context, owner, question)
    return _moved_on(context, state.settled(), question, answers)


def _challenged(
    definition: Definition, state: DialogueState, question: Question, result: Parsed | Invalid
) -> Step | None:
    """A thin outcome or gap, typed: kept, and challenged once (the next answer is taken as is)."""
    done = list(state.answers.get(CHALLENGED_KEY) or [])
    if isinstance(result, Invalid) or question.key in done or question.key not in challenged_keys():
        return None
    reason = thin_answer(str(result.value))
    if reason is None:
        return None
    answers = {**state.answers, question.key: result.value, CHALLENGED_KEY: [*done, question.key]}
    answers = _pruned(definition, answers)
    challenged = replace(state, answers=answers)
    return Step(
        challenged,
        (Ask(question, current=result.value, challenge=challenge(reason, question.key)),),
    )


def _keep(context: _Context, state: DialogueState, question: Question, event: Keep) -> Step:
    """Keep the answer given and go on; typed with nothing to keep, it is an answer."""
    if event.key is not None and event.key != question.key:
        return _stale_pick(state, event.key)
    if question.key not in state.answers:
        if event.key is not None:  # a button of this question before any answer: ask it
            return _ask(state, question)
        return _at_question(context, state, question, Reply(event.text))
    return _moved_on(context, state, question, state.answers)


def _picked(question: Question, value: Any, today: date) -> Parsed | Invalid:
    """A button's value in the answer format, checked like a modal's."""
    if question.kind == Kind.VALUE and isinstance(value, str):
        value = {"band": value}
    if question.kind == Kind.MULTI_CHOICE and isinstance(value, str | tuple):
        value = [value] if isinstance(value, str) else list(value)
    return validate_value(question, value, today=today) or Parsed(value)


def _skip(context: _Context, state: DialogueState, question: Question) -> Step:
    if question.required and question.key in state.answers:  # challenged, or back to it: kept
        return _moved_on(context, state, question, state.answers)
    if question.required:
        notice = say("dialogue_cannot_skip", subject=subject(question))
        return _noticed(notice, _ask(state, question))
    answers = {k: v for k, v in state.answers.items() if k != question.key}
    return _moved_on(context, state, question, _pruned(context.definition, answers))


def _moved_on(
    context: _Context, state: DialogueState, question: Question, answers: dict[str, Any]
) -> Step:
    """After an answer: the summary when editing, else the next unanswered question."""
    answers = keep_opener(answers)  # a new evidence answer comes after the opener, never instead
    following = None if state.editing else _next_question(context.definition, answers, question.key)
    if following is None:
        return _summary(context, answers)
    return _ask(DialogueState(following.key, answers), following)


def _back(context: _Context, state: DialogueState, question: Question) -> Step:
    if state.editing:
        return _summary(context, state.answers)
    previous = _previous_question(context.definition, state.answers, question.key)
    if previous is None:
        return _ask(state, question)
    return _ask(DialogueState(previous.key, state.answers), previous)


def _stale_pick(state: DialogueState, key: str) -> Step:
    """A second click on an old button changes nothing."""
    if key in state.answers:
        text = say("dialogue_already_answered")
    else:
        text = say("dialogue_other_question")
    return Step(state, (Notice(text),))


def _stale_navigation(state: DialogueState, key: str) -> Step:
    """Skip or Back on an earlier question's message changes nothing: it would skip, or go back
    from, the question asked now, which the scout has not read yet."""
    if state.step == SUMMARY:
        return Step(state, (Notice(say("dialogue_old_button_at_summary")),))
    return _stale_pick(state, key)


# --- a follow-up on the answer: its owner, a date gone by (follow_ups.py) -----------------------


def _ask_more(
    context: _Context, state: DialogueState, question: Question, error: str | None = None
) -> Step:
    value = (
        state.answers.get(question.key) if state.follow_up == follow_ups.OWNER else state.pending
    )
    asked = follow_ups.asking(question, state.follow_up or "", value, context.today)
    return Step(state, (replace(asked, error=error),))


def _at_follow_up(
    context: _Context, state: DialogueState, question: Question, event: Event
) -> Step:
    if isinstance(event, Keep) and event.key is None:  # typed: the follow-up reads its words
        event = Reply(event.text)
    if isinstance(event, Skip) and state.follow_up == follow_ups.OWNER:
        return _moved_on(context, state.settled(), question, state.answers)
    if isinstance(event, Skip):
        return _skip(context, state.settled(), question)
    if isinstance(event, Back):  # the question again, its answer so far shown
        return _ask(state.settled(), question)
    if isinstance(event, Help):
        return Step(state, (ShowHelp(question),))
    if isinstance(event, Pick):
        return _follow_up_pick(context, state, question, event)
    if isinstance(event, Reply) and state.follow_up == follow_ups.OWNER:
        return _owner_given(context, state, question, event.text)
    if isinstance(event, Reply) and state.follow_up == follow_ups.CURRENCY:
        return _currency_given(context, state, question, event.text)
    if isinstance(event, Reply):
        choice = follow_ups.read_reply(event.text, state.pending, context.today)
        if choice:
            return _passed_decided(context, state, question, choice)
        typed = parse_answer(question, event.text, today=context.today)
        typed = follow_ups.retyped(typed, state.pending)
        if isinstance(typed, Invalid) and typed.passed is None:
            return _ask_more(context, state, question, typed.message)
        return _answer(context, state.settled(), question, typed)
    return _noticed(_elsewhere(event, state), _ask_more(context, state, question))


def _owner_given(context: _Context, state: DialogueState, question: Question, text: str) -> Step:
    owner = follow_ups.owner_of(text)
    if not owner:
        empty = say("answer_empty", subject=say("event_owner_subject"), skip=say("answer_or_skip"))
        return _ask_more(context, state, question, empty)
    event = follow_ups.with_owner(state.answers[question.key], owner)
    refused = validate_value(question, event, today=context.today)
    if refused is not None and refused.passed is None:
        return _ask_more(context, state, question, refused.message)
    answers = {**state.answers, question.key: event}
    return _moved_on(context, state.settled(), question, answers)


def _currency_given(context: _Context, state: DialogueState, question: Question, text: str) -> Step:
    """The currency alone completes the amount; anything else is read as the whole value again."""
    currency = currency_named(text)
    typed = (
        with_currency(question, state.pending["amount"], currency)
        if currency
        else parse_answer(question, text, today=context.today)
    )
    return _answer(context, state.settled(), question, typed)


def _follow_up_pick(
    context: _Context, state: DialogueState, question: Question, event: Pick
) -> Step:
    """A date-gone-by or currency button: honoured while its follow-up waits for the scout."""
    currency = follow_ups.read_currency_pick(event.value)
    if state.follow_up == follow_ups.CURRENCY and currency and event.key == question.key:
        amount = with_currency(question, state.pending["amount"], currency)
        return _answer(context, state.settled(), question, amount)
    choice = follow_ups.read_pick(event.value)
    waiting = state.follow_up in (follow_ups.PASSED, follow_ups.DATE)
    if choice is None or event.key != question.key or not waiting:
        return _stale_pick(state, event.key)
    day = follow_ups.day_of(state.pending)
    if day is None or choice.day != day.isoformat():
        return _noticed(say("date_passed_outdated"), _ask_more(context, state, question))
    return _passed_decided(context, state, question, choice.action)


def _passed_decided(
    context: _Context, state: DialogueState, question: Question, action: str
) -> Step:
    if action == follow_ups.OTHER:
        return _ask_more(context, replace(state, follow_up=follow_ups.DATE), question)
    value = state.pending
    if action == follow_ups.NEXT:
        value = follow_ups.meant(value, context.today)
    return _answer(context, state.settled(), question, Parsed(value))


# --- at the summary -----------------------------------------------------------------------------


def _at_summary(context: _Context, state: DialogueState, event: Event) -> Step:
    answers = state.answers
    if isinstance(event, Submit) and event.seen not in (None, answers_version(answers)):
        return _noticed(say("dialogue_outdated_summary"), _summary(context, answers))
    if isinstance(event, Submit):
        return _submit(context, answers)
    if isinstance(event, Edit):
        return _edit(context, answers, event.key)
    if isinstance(event, Pick) and follow_ups.read_pick(event.value):
        return _stale_pick(state, event.key)
    if isinstance(event, Pick):  # a menu on the summary answers directly
        edited = _edit(context, answers, event.key)
        if edited.state.step == SUMMARY:
            return edited
        return _at_question(context, edited.state, context.definition.question(event.key), event)
    if isinstance(event, SetRoutes):
        return _set_routes(context, answers, event.routes)
    if isinstance(event, Back):
        last = _previous_question(context.definition, answers, None)
        return _ask(DialogueState(last.key, answers), last) if last else _summary(context, answers)
    if isinstance(event, Help):
        return Step(state, (ShowHelp(None),))
    if isinstance(event, Reply) and _takes_quote(context.definition, event.text):
        return _quote_added(context, answers, event.text)
    return _noticed(_summary_notice(event), _summary(context, answers))


def _takes_quote(definition: Definition, text: str) -> bool:
    """The customer's words typed at the summary (which asks for them) go to the evidence."""
    asked = any(question.key == EVIDENCE for question in definition.questions)
    return asked and in_their_words(text)


def _quote_added(context: _Context, answers: dict[str, Any], words: str) -> Step:
    """The customer's words typed at the summary, added to the evidence if they fit in it."""
    added = quoted(answers, words)
    refused = too_long(context.definition.question(EVIDENCE), added[EVIDENCE])
    if refused is not None:
        return _noticed(refused.message, _summary(context, answers))
    return _noticed(say("dialogue_evidence_added"), _summary(context, added))


def _summary_notice(event: Event) -> str | None:
    """What to say about a typed answer or a skip at the summary (nothing to answer there)."""
    if isinstance(event, Keep) and event.key is not None:  # an old challenge's button
        return say("dialogue_already_answered")
    if isinstance(event, Reply | Keep):
        return say("dialogue_all_answered")
    return say("dialogue_nothing_to_skip") if isinstance(event, Skip) else None


def _summary(context: _Context, answers: dict[str, Any]) -> Step:
    """Show the summary; the first time, the suggested routes become the chosen ones."""
    suggestions = tuple(
        suggest_routes(context.rules, answers, facts_of(answers, today=context.today))
    )
    if "routes" not in answers:
        answers = {**answers, "routes": [s.route for s in suggestions]}
    return Step(DialogueState(SUMMARY, answers), (Summary(answers, suggestions),))


def _edit(context: _Context, answers: dict[str, Any], key: str) -> Step:
    question = next((q for q in context.definition.questions if q.key == key), None)
    if question is None:
        return _noticed(say("dialogue_no_such_question", key=key), _summary(context, answers))
    if not question.applies(answers):
        return _noticed(_not_applying(context.definition, question), _summary(context, answers))
    return _ask(DialogueState(key, answers, editing=True), question)


def _not_applying(definition: Definition, question: Question) -> str:
    condition = question.when
    assert condition is not None  # only conditional questions can stop applying
    asked = definition.question(condition.key)
    values = " or ".join(asked.choice_label(v) for v in condition.any_of)
    return say(
        "dialogue_not_applying", subject=subject(question).capitalize(), condition=subject(asked),
        values=values,
    )  # fmt: skip


def _set_routes(context: _Context, answers: dict[str, Any], routes: tuple[str, ...]) -> Step:
    teams = context.rules.routes.ids
    unknown = [r for r in routes if r not in teams]
    if unknown:
        notice = say("dialogue_not_a_team", route=unknown[0], teams=", ".join(teams))
        return _noticed(notice, _summary(context, answers))
    if not routes:
        return _noticed(say("dialogue_pick_a_team"), _summary(context, answers))
    chosen = context.rules.routes.ordered(routes)  # one order everywhere
    return _summary(context, {**answers, "routes": chosen})


def _submit(context: _Context, answers: dict[str, Any]) -> Step:
    missing = next(
        (q for q in context.definition.questions
         if q.required and q.applies(answers) and q.key not in answers),
        None,
    )  # fmt: skip
    if missing is not None:  # only a state stored by an older definition gets here
        notice = say("dialogue_still_missing", subject=subject(missing).capitalize())
        return _noticed(notice, _ask(DialogueState(missing.key, answers, editing=True), missing))
    answers = _summary(context, answers).state.answers  # routes, if never shown
    return Step(DialogueState(SUBMITTED, answers), (Submitted(answers),))


# --- helpers ------------------------------------------------------------------------------------


def _noticed(text: str | None, step: Step) -> Step:
    """The step with a notice in front of its effects."""
    return replace(step, effects=(Notice(text), *step.effects)) if text else step


def _pruned(definition: Definition, answers: dict[str, Any]) -> dict[str, Any]:
    """Drop answers to questions that no longer apply (an event once fit changes to not yet).
    An answer whose condition waits on a question not answered yet stays: the scout's story
    may tell the event before the fit is asked."""
    for question in definition.questions:  # conditions refer backwards: one pass in order
        when = question.when
        undecided = when is not None and when.key not in answers
        if question.key in answers and not undecided and not question.applies(answers):
            answers = {k: v for k, v in answers.items() if k != question.key}
    return answers


def _next_question(
    definition: Definition, answers: dict[str, Any], after: str | None = None
) -> Question | None:
    """The first DM question after `after` that applies and has no answer yet."""
    keys = [q.key for q in definition.dm_questions]
    start = keys.index(after) + 1 if after in keys else 0
    return next(
        (q for q in definition.dm_questions[start:] if q.applies(answers) and q.key not in answers),
        None,
    )


def _previous_question(
    definition: Definition, answers: dict[str, Any], before: str | None
) -> Question | None:
    """The last DM question before `before` (or of all, when None) that applies."""
    keys = [q.key for q in definition.dm_questions]
    end = keys.index(before) if before in keys else len(keys)
    earlier = [q for q in definition.dm_questions[:end] if q.applies(answers)]
    return earlier[-1] if earlier else None
