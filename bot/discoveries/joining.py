"""A scout's dialogue ends by joining an open look-alike discovery instead of posting a second
card: their account, value and evidence become its supporter (one transaction, once)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from sqlalchemy import Engine
from sqlmodel import Session, select

from bot.dialogue import machine
from bot.dialogue.events import DialogueState, Notice, Resume, answers_version
from bot.dialogue.sessions import save_dialogue
from bot.dialogue.turns import DialogueRules, Turn, Who
from bot.discoveries.supporters import Supported, support_with_answers
from bot.wording import say
from storage.engine import session_scope
from storage.enums import DialogueStatus
from storage.models import DialogueSession, Discovery, DiscoverySupporter


def join_instead(
    *, engine: Engine, rules: DialogueRules, who: Who, dialogue_id: int, discovery_id: int,
    seen: str | None, now: datetime,
) -> Turn:  # fmt: skip
    """Add the scout's account to the discovery and end their dialogue as a submit does; a
    repeated click adds nothing more, a stale or outdated summary is refused and shown again."""
    with session_scope(engine) as session:
        dialogue = session.get(DialogueSession, dialogue_id)
        if dialogue is None or (dialogue.team_id, dialogue.user_id) != (who.team_id, who.user_id):
            return _said(dialogue_id, say("dialogue_someone_elses"))
        joined = _joined(session, dialogue_id)
        if joined is not None:  # a repeat: it joined already (a discovery id: no refusal)
            text = say("supporter_already", discovery_id=joined.discovery_id)
            return replace(_said(dialogue_id, text), discovery_id=joined.discovery_id)
        if dialogue.status == DialogueStatus.SUBMITTED:
            return _said(dialogue_id, say("supporter_submitted_already"))
        if dialogue.status != DialogueStatus.OPEN:
            return _said(dialogue_id, say("dialogue_earlier_discovery"))
        state = DialogueState.load(dialogue.step, dialogue.answers)
        if state.step != "summary" or (seen is not None and seen != answers_version(state.answers)):
            return _again(rules, dialogue_id, state, say("dialogue_outdated_summary"), now)
        result = support_with_answers(
            session=session, discovery_id=discovery_id, team_id=who.team_id,
            scout_user_id=who.user_id, answers=state.answers, source_key=source_key(dialogue_id),
            now=now,
        )  # fmt: skip
        if result.refused:
            text = (
                say("supporter_closed", discovery_id=discovery_id)
                if result.refused == "closed"
                else say("supporter_gone")
            )
            return _again(rules, dialogue_id, state, text, now)
        done = replace(state, step="submitted")
        save_dialogue(
            session=session, dialogue=dialogue, step=done.step, answers=done.dump(),
            status=DialogueStatus.SUBMITTED, now=now,
        )  # fmt: skip
        return Turn(dialogue_id, done, (added_notice(result),), result.discovery_id, result.created)


def source_key(dialogue_id: int) -> str:
    """The supporter's source: the dialogue, as a submit's discovery has it."""
    return f"dialogue:{dialogue_id}"


def joined_discovery(*, engine: Engine, who: Who, dialogue_id: int) -> Supported | None:
    """The discovery the scout's dialogue joined, if it joined one (else it was submitted)."""
    with session_scope(engine) as session:
        dialogue = session.get(DialogueSession, dialogue_id)
        if dialogue is None or dialogue.user_id != who.user_id:
            return None
        joined = _joined(session, dialogue_id)
        if joined is None:
            return None
        discovery = session.get(Discovery, joined.discovery_id)
        account = discovery.account if discovery else ""
        return Supported(joined.discovery_id, account, supporter_id=joined.id)


def _joined(session: Session, dialogue_id: int) -> DiscoverySupporter | None:
    statement = select(DiscoverySupporter).where(
        DiscoverySupporter.source_key == source_key(dialogue_id)
    )
    return session.exec(statement).first()


def added_notice(result: Supported) -> Notice:
    """What the scout reads once their account joined the discovery."""
    return Notice(say("supporter_added", discovery_id=result.discovery_id, account=result.account))


def _said(dialogue_id: int, text: str) -> Turn:
    return Turn(dialogue_id, DialogueState("summary", {}), (Notice(text),), stale=True)


def _again(
    rules: DialogueRules, dialogue_id: int, state: DialogueState, text: str, now: datetime
) -> Turn:
    """Why nothing was added, and the summary as it is now."""
    step = machine.advance(rules.definition, rules.routing, state, Resume(), today=now.date())
    return Turn(dialogue_id, state, (Notice(text), *step.effects))
