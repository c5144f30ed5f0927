"""One step of a scout's dialogue, in one transaction: dedupe, load, advance, save, submit."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, tzinfo
from functools import cache
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from bot.dialogue import machine
from bot.dialogue.answers import display_answer, validate_value
from bot.dialogue.definition import Definition, load_definition
from bot.dialogue.events import (
    AccountMatched,
    Ask,
    DialogueState,
    Notice,
    Reply,
    Resume,
    Submitted,
)
from bot.dialogue.evidence import keep_opener
from bot.dialogue.sessions import begin_dialogue, latest_draft, open_dialogue, reopen, save_dialogue
from bot.discoveries.service import RouteNotConfigured, submit_discovery
from bot.domain.added_themes import network_with
from bot.domain.opener import local_today, read_opener
from bot.domain.opener.accounts import KnownAccounts
from bot.domain.routing import RoutingRules, facts_of, load_rules, reason_for, suggest_routes
from bot.domain.themes import ValueNetwork, load_network, network_of_copy, tag_themes
from bot.wording import say
from storage.engine import session_scope
from storage.enums import DialogueStatus, DiscoverySource
from storage.models import DialogueSession
from storage.queries import record_request_once, route_channels
from storage.queries.accounts import built_from_accounts, matching_account
from storage.queries.themes import theme_additions

STATUS_OF_STEP = {"submitted": DialogueStatus.SUBMITTED, "cancelled": DialogueStatus.CANCELLED}


@dataclass(frozen=True)
class DialogueRules:
    """What the dialogue reads from prompts/: the questions, the routing rules, the value network."""

    definition: Definition
    routing: RoutingRules
    network: ValueNetwork


def load_dialogue_rules() -> DialogueRules:
    """Load and validate everything in prompts/ at start-up, so a mistake stops the start."""
    return DialogueRules(load_definition(), load_rules(), load_network())


@cache
def rules_at(copy: Path) -> DialogueRules:
    """The rules of a workspace's own copy of prompts/ (checked at start-up), read once."""
    return DialogueRules(
        load_definition(copy / "dialogue.yaml"), load_rules(copy / "routing.yaml"),
        network_of_copy(copy),
    )  # fmt: skip


@dataclass(frozen=True)
class Who:
    """The scout a turn is for, and where they talk to the bot."""

    team_id: str
    user_id: str
    channel_id: str | None = None


@dataclass(frozen=True)
class Turn:
    """What a step did: the dialogue, its new state, what to tell the scout, what was stored."""

    dialogue_id: int
    state: DialogueState
    effects: tuple = ()
    discovery_id: int | None = None
    created: bool = False
    opened: str | None = None  # "new" or "draft" when this turn opened the dialogue
    stale: bool = False  # the event was for a dialogue that is no longer open
    not_theirs: bool = False  # ... nor ever was the person's: told to them alone


def take_turn(
    *,
    engine: Engine,
    rules: DialogueRules,
    who: Who,
    events: Sequence[object],
    now: datetime,
    source: DiscoverySource = DiscoverySource.DM,
    request_key: str | None = None,
    dialogue_id: int | None = None,
    answers: dict | None = None,
    replace_answers: bool = False,
    to_summary: bool = False,
    story: str | None = None,
    form: bool = False,
    zone: tzinfo = UTC,
) -> Turn | None:
    """Apply events to the scout's open dialogue (starting one if needed); None for a duplicate.
    Dates count from today in the workspace's time zone ("next Friday", a date gone by)."""
    when = _When(now, local_today(now, zone))
    for attempt in (1, 2):
        try:
            with session_scope(engine) as session:
                if request_key and not record_request_once(
                    session=session, key=request_key, kind="turn"
                ):
                    return None
                edit = _Edit(answers, replace_answers, to_summary, story, form)
                return _turn(session, rules, who, events, when, source, dialogue_id, edit)
        except IntegrityError:
            # Two first messages at once both started a dialogue: the loser retries and joins it.
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


STORY_WORDS = 6  # an opener this long with an outcome in it is a story, not a greeting
# Characters of a story read for its parts: ~5 ms; a 42,000-character paste took 2 s, and a
# shortcut's modal must open within the 3 s its trigger lasts.
READ_LIMIT = 3000


@dataclass(frozen=True)
class _When:
    """The request's time (stored), and the workspace's date then (what dates count from)."""

    now: datetime
    today: date


@dataclass(frozen=True)
class _Edit:
    """Answers given all at once (the modal), and whether they replace the old ones."""

    answers: dict | None
    replace: bool
    to_summary: bool
    story: str | None = None  # what the scout typed with the command that opened the form
    form: bool = False  # a form is being opened on the dialogue

    def apply(self, state: DialogueState) -> DialogueState:
        state = machine.with_story(state, self.story)
        if self.answers is not None:
            answers = self.answers if self.replace else state.answers | self.answers
            state = replace(
                state, answers=keep_opener(answers)
            ).settled()  # no follow-up outlives a form
        return replace(state, step="summary", editing=False) if self.to_summary else state


def _turn(session, rules, who, events, when: _When, source, dialogue_id, edit: _Edit) -> Turn:
    now, today = when.now, when.today
    dialogue, opened = _current(session, rules, who, now, dialogue_id)
    if dialogue is None:
        clicked = session.get(DialogueSession, dialogue_id or 0)
        theirs = clicked is not None and clicked.user_id == who.user_id
        notice = _stale_notice(clicked, who)
        closed = DialogueState("cancelled", {})
        return Turn(dialogue_id or 0, closed, (notice,), stale=True, not_theirs=not theirs)
    story = edit.story or (_told(events) if opened == "new" else None)
    if opened:
        events = [Resume()]  # the message that opens a dialogue is not an answer to a question
    state = edit.apply(DialogueState.load(dialogue.step, dialogue.answers))
    named_before = state.answers.get("account")
    effects: list = []
    if story and (opened == "new" or edit.form):  # the scout's story, read for what it says
        read = _read_story(session, rules, who.team_id, state, story, today, opened, edit.form)
        state, effects, opened = read
        if any(isinstance(effect, Ask) for effect in effects):  # a thin part of it challenged
            events = []
    if opened and edit.form:  # a DM reply must not answer a question the DM never asked
        state = replace(state, in_form=True)
    for event in events:
        step = machine.advance(rules.definition, rules.routing, state, event, today=today)
        state, effects = step.state, effects + list(step.effects)
    if edit.answers is None and not state.in_form:  # the DM says what a typed account matched
        named = state.answers.get("account")
        effects = _account_matched(session, who.team_id, named_before, named) + effects
    turn = Turn(dialogue.id, state, tuple(effects), opened=opened)
    turn = _submit_if_asked(session, rules, who, dialogue, turn, source, when)
    status = STATUS_OF_STEP.get(turn.state.step, DialogueStatus.OPEN)
    data = turn.state.dump()
    save_dialogue(
        session=session,
        dialogue=dialogue,
        step=turn.state.step,
        answers=data,
        status=status,
        now=now,
    )
    return turn


def _told(events: Sequence[object]) -> str | None:
    """What the scout wrote to open a dialogue: their story, or a greeting."""
    return next((e.text for e in events if isinstance(e, Reply)), None)


def _read_story(
    session: Session, rules: DialogueRules, team_id: str, state: DialogueState, story: str,
    today: date, opened: str | None, form: bool,
) -> tuple[DialogueState, list, str | None]:  # fmt: skip
    """Read the opener for the account, outcome, value, event and who cares; keep it whole
    as evidence and ask only what is still missing. A greeting changes nothing."""
    found = {
        k: v
        for k, v in _read(session, team_id, story, today, rules.definition).items()
        if k not in state.answers
    }
    if not _is_story(story, found):
        return state, [], opened
    answers = {**found, **machine.with_story(state, story).answers}  # the story kept as evidence
    understood = [_understood(rules.definition, key, value) for key, value in found.items()]
    if form or state.in_form or state.step not in _first_steps(rules.definition):
        return replace(state, answers=answers), [], opened  # a form shows it all in its fields
    shown = Notice(say("dialogue_understood", parts=" · ".join(p for p in understood if p)))
    started = machine.start_state(rules.definition, answers)
    thin = machine.opening_challenge(rules.definition, started, found)
    if thin is not None:  # asked here, challenged (the turn then has nothing more to ask)
        return thin.state, [shown, *thin.effects], "story" if opened else None
    return started, [shown], "story" if opened else None


def story_answers(
    *, engine: Engine, team_id: str, definition: Definition, story: str, now: datetime,
    zone: tzinfo = UTC,
) -> dict:  # fmt: skip
    """What a customer's message says (a message shortcut's), as answers to prefill a form;
    nothing for a greeting or a word. Dates count from today in the workspace's time zone."""
    with session_scope(engine) as session:
        found = _read(session, team_id, story, local_today(now, zone), definition)
    return found if _is_story(story, found) else {}


def _read(session: Session, team_id: str, story: str, today: date, definition: Definition) -> dict:
    """The opener read against the known accounts (the evidence, kept whole, left out); a part
    its question would refuse (too long, a date gone by) is left for the scout to answer."""
    head = story[:READ_LIMIT]  # the facts come first; a pasted transcript is kept, not read
    known = built_from_accounts(session=session, team_id=team_id, build=KnownAccounts)
    reading = read_opener(head, today=today, known_accounts=known)
    questions = {q.key: q for q in definition.questions}
    return {
        key: value for key, value in reading.answers().items()
        if key in questions and key != "evidence"
        and validate_value(questions[key], value, today=today) is None
    }  # fmt: skip


def _is_story(text: str, found: dict) -> bool:
    """A story names something we can use, or is a sentence, not a greeting or one word."""
    named = {"account", "value", "event", "who_cares"} & set(found)
    return bool(named) or ("outcome" in found and len(text.split()) >= STORY_WORDS)


def _first_steps(definition: Definition) -> tuple[str, ...]:
    """The step a new dialogue starts at: its first question."""
    return (definition.questions[0].key,)


def _understood(definition: Definition, key: str, value: object) -> str:
    """One answer read from the story, as the summary would show it."""
    question = next((q for q in definition.questions if q.key == key), None)
    if question is None:
        return ""
    try:
        return say("dialogue_understood_part", label=question.label,
                   answer=display_answer(question, value))  # fmt: skip
    except (KeyError, TypeError, ValueError):
        return ""


def _account_matched(session: Session, team_id: str, before: str | None, named: str | None) -> list:
    """When the scout names an account: the known account it matches, or that it is new."""
    if not named or named == before:
        return []
    account = matching_account(session=session, team_id=team_id, name=named)
    return [AccountMatched(typed=named, known=account.name if account else None)]


def _current(
    session: Session, rules, who: Who, now, dialogue_id
) -> tuple[DialogueSession | None, str | None]:
    """The open dialogue; a button of another dialogue gets None; else a draft or a new one."""
    dialogue = open_dialogue(session=session, team_id=who.team_id, user_id=who.user_id)
    if dialogue_id is not None:
        return (dialogue, None) if dialogue and dialogue.id == dialogue_id else (None, None)
    if dialogue is not None:
        return dialogue, None
    draft = latest_draft(session=session, team_id=who.team_id, user_id=who.user_id)
    if draft is not None:
        return reopen(session=session, dialogue=draft, now=now), "draft"
    first = machine.start_state(rules.definition)
    fresh = begin_dialogue(
        session=session, team_id=who.team_id, user_id=who.user_id, channel_id=who.channel_id,
        step=first.step, answers=first.dump(), now=now,
    )  # fmt: skip
    return fresh, "new"


def start_fresh(
    *, engine: Engine, rules: DialogueRules, who: Who, answers: dict, now: datetime
) -> int:
    """Begin a new dialogue prefilled with answers (a message shortcut); an open one becomes a draft."""
    state = replace(machine.start_state(rules.definition, answers=answers), in_form=True)
    with session_scope(engine) as session:
        dialogue = begin_dialogue(
            session=session, team_id=who.team_id, user_id=who.user_id, channel_id=who.channel_id,
            step=state.step, answers=state.dump(), now=now,
        )  # fmt: skip
        return dialogue.id


def dialogue_answers(*, engine: Engine, who: Who, dialogue_id: int) -> dict:
    """The scout's dialogue's answers whatever its status (a modal may outlive its dialogue);
    none of another person's (a modal's private_metadata can be forged)."""
    with session_scope(engine) as session:
        dialogue = _owned(session, who, dialogue_id)
        return DialogueState.load(dialogue.step, dialogue.answers).answers if dialogue else {}


def submitted_once(*, engine: Engine, who: Who, dialogue_id: int) -> dict | None:
    """The answers of the scout's submitted dialogue, the first time they are asked for (to
    thank once)."""
    with session_scope(engine) as session:
        dialogue = _owned(session, who, dialogue_id)
        if dialogue is None or dialogue.status != DialogueStatus.SUBMITTED:
            return None
        if not record_request_once(session=session, key=f"thanked:{dialogue_id}", kind="thanks"):
            return None
        return DialogueState.load(dialogue.step, dialogue.answers).answers


def _owned(session: Session, who: Who, dialogue_id: int) -> DialogueSession | None:
    """The dialogue, if it is this person's in this workspace."""
    dialogue = session.get(DialogueSession, dialogue_id)
    if dialogue is None or (dialogue.team_id, dialogue.user_id) != (who.team_id, who.user_id):
        return None
    return dialogue


def _submit_if_asked(session, rules, who, dialogue, turn: Turn, source, when: _When) -> Turn:
    """Store the discovery when the machine says Submitted; a missing route channel is explained."""
    submitted = next((e for e in turn.effects if isinstance(e, Submitted)), None)
    if submitted is None:
        return turn
    answers = submitted.answers
    if source is DiscoverySource.MODAL and answers.get("evidence_url"):
        source = DiscoverySource.SHORTCUT  # the modal was opened on a customer's message
    now, facts = when.now, facts_of(answers, today=when.today)
    suggestions = {s.route: s.reason for s in suggest_routes(rules.routing, answers, facts)}
    routes = [
        (r, suggestions.get(r) or reason_for(rules.routing, answers, r, facts))
        for r in answers["routes"]
    ]
    network = network_with(rules.network, theme_additions(session=session, team_id=who.team_id))
    themes = tag_themes(network, answers.get("outcome", ""), answers.get("gap", ""))
    try:
        with session.begin_nested():
            result = submit_discovery(
                session=session, source_key=f"dialogue:{dialogue.id}", team_id=who.team_id,
                scout_user_id=who.user_id, source=source, answers=answers, routes=routes,
                themes=themes, route_channels=route_channels(session=session, team_id=who.team_id),
                now=now,
            )  # fmt: skip
    except RouteNotConfigured as missing:
        back = replace(turn.state, step="summary")
        notice = Notice(say("dialogue_no_channel", route=missing.route))
        return replace(turn, state=back, effects=(notice, *_summary_of(rules, back, when.today)))
    return replace(turn, discovery_id=result.discovery_id, created=result.created)


def _summary_of(rules: DialogueRules, state: DialogueState, today: date) -> tuple:
    """The summary effect for a state (to show it again after a refusal)."""
    step = machine.advance(rules.definition, rules.routing, state, Resume(), today=today)
    return step.effects


def _stale_notice(clicked: DialogueSession | None, who: Who) -> Notice:
    """Why a button of a dialogue that is not the open one changes nothing, truthfully."""
    if clicked is None or clicked.user_id != who.user_id:
        return Notice(say("dialogue_someone_elses"))
    if clicked.status == DialogueStatus.DRAFT:
        account = clicked.answers.get("account")
        about = say("dialogue_draft_about", account=account) if account else ""
        return Notice(say("dialogue_kept_as_draft", about=about))
    return Notice(say("dialogue_earlier_discovery"))
