"""What the scout reads after a step of the dialogue: each effect of the machine as a message."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import MarkdownTextObject, SectionBlock

from bot.dialogue.definition import Definition, Question
from bot.dialogue.events import (
    AccountMatched,
    Ask,
    AskMore,
    Cancelled,
    Notice,
    ShowHelp,
    Submitted,
    Summary,
)
from bot.rendering.dialogue import (
    follow_up_message,
    plain_message,
    plain_mrkdwn_message,
    question_message,
    summary_message,
)
from bot.rendering.text import render
from bot.routes import current_routes
from bot.wording import say


def effect_messages(
    definition: Definition,
    effects: tuple,
    *,
    dialogue_id: int,
    suggestions: dict[str, list[str]] | None = None,
) -> list[dict]:
    """The messages that say the effects, in order; a notice rides on the message after it.

    One post instead of two for "Hi!" + the first question, or "That's too long" + the
    question again: fewer Web API calls, and the scout reads them together anyway.
    """
    messages: list[dict] = []
    pending: list[dict] = []
    for effect in effects:
        message = _message(definition, effect, dialogue_id, suggestions or {})
        if message is None:
            continue
        if isinstance(effect, Notice):
            pending.append(message)
            continue
        messages.append(_joined([*pending, message]))
        pending = []
    return messages + ([_joined(pending)] if pending else [])


def _joined(parts: list[dict]) -> dict:
    """Several short messages as one: their blocks in order, the last one's notification text."""
    blocks = [block for part in parts for block in part["blocks"]]
    return {"text": parts[-1]["text"], "blocks": blocks}


def _message(
    definition: Definition, effect: object, dialogue_id: int, suggestions: dict
) -> dict | None:
    if isinstance(effect, Ask):
        position = _position(definition, effect.question)
        return question_message(
            effect.question, dialogue_id=dialogue_id, position=position, error=effect.error,
            current=effect.current, suggestions=suggestions.get(effect.question.key),
            challenge=effect.challenge,
        )  # fmt: skip
    if isinstance(effect, AskMore):
        return follow_up_message(effect, dialogue_id=dialogue_id)
    if isinstance(effect, Summary):
        suggestions = [(s.route, s.reason) for s in effect.suggestions]
        return summary_message(definition, effect.answers, suggestions, dialogue_id=dialogue_id)
    if isinstance(effect, Submitted):
        teams = ", ".join(current_routes().label(r) for r in effect.answers.get("routes", []))
        return plain_message(say("dialogue_submitted", teams=teams))
    if isinstance(effect, Cancelled):
        return plain_message(say("dialogue_cancelled"))
    if isinstance(effect, ShowHelp):
        return {"text": say("dialogue_help_title"), "blocks": _help_blocks(effect.question)}
    if isinstance(effect, Notice):
        return plain_message(effect.text)
    if isinstance(effect, AccountMatched):
        return plain_mrkdwn_message(render("account_matched.md.j2", **vars(effect)))
    return None


def _position(definition: Definition, question: Question) -> tuple[int, int] | None:
    """Question n of m among the DM questions (None for one asked only from the summary)."""
    keys = [q.key for q in definition.dm_questions]
    return (keys.index(question.key) + 1, len(keys)) if question.key in keys else None


def _help_blocks(question: Question | None) -> list[Any]:
    text = render("dialogue_help.md.j2", question=question.prompt if question else None)
    return [SectionBlock(text=MarkdownTextObject(text=text))]
