"""A discovery's answers as people read them, in the definition's order: one path for every
question, whatever its kind, for the summary, cards, receipts and App Home."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.dialogue.answers import display_answer
from bot.dialogue.definition import Definition, Kind, Question
from bot.dialogue.evidence import OPENER
from bot.rendering.text import Mrkdwn, escape_within, render, shorten

BRIEF_ANSWER = 80  # characters of one answer in a brief line
SOURCE_LINK = "evidence_url"  # a shortcut's permalink: shown with the evidence, not on its own
# Kept beside the answers, not shown on their own: the link is shown with the evidence, and the
# opener is in the evidence (bot.dialogue.evidence).
BESIDE = (SOURCE_LINK, OPENER)


@dataclass(frozen=True)
class ShownAnswer:
    """One answer: its question (or a stand-in for a removed one) and its text."""

    question: Question
    text: str


def shown_answers(definition: Definition, answers: Mapping[str, Any]) -> list[ShownAnswer]:
    """Every given answer, in the definition's order; then those of questions removed since,
    named by their key, so nothing stored goes unseen."""
    shown = [
        ShownAnswer(question, answer_text(question, answers[question.key]))
        for question in definition.questions
        if given(answers.get(question.key))
    ]
    removed = definition.unasked(dict(answers))
    for key, value in removed.items():
        if key not in BESIDE and given(value):
            question = stand_in(key, value)
            shown.append(ShownAnswer(question, answer_text(question, value)))
    return shown


def given(value: Any) -> bool:
    """Whether an answer was given (a skipped one is absent or empty)."""
    return value not in (None, "", [], {})


def answer_text(question: Question, value: Any) -> str:
    """The answer in words; one stored before its question changed kind is shown as it is."""
    try:
        return display_answer(question, value)
    except (AttributeError, KeyError, TypeError, ValueError):
        shape = stand_in(question.key, value, label=question.label)
        return display_answer(shape, value) if shape.kind != question.kind else str(value)


def brief_line(definition: Definition, answers: Mapping[str, Any]) -> Mrkdwn | None:
    """The short answers in one line ("Our fit: Partly · Competitor: Globex"); None if none."""
    items = [
        {"label": item.question.label, "text": Mrkdwn(escape_within(item.text, BRIEF_ANSWER))}
        for item in shown_answers(definition, answers)
        if item.question.in_brief
    ]
    return Mrkdwn(shorten(render("answers_brief.md.j2", items=items), 3000)) if items else None


def stand_in(key: str, value: Any, *, label: str | None = None) -> Question:
    """A question to show an answer by, from the shape of the stored value (its key as label)."""
    kind = Kind.TEXT
    if isinstance(value, list):
        kind = Kind.MULTI_CHOICE
    elif isinstance(value, dict):
        kind = Kind.EVENT if "date" in value else Kind.VALUE
    label = label or key.replace("_", " ").capitalize()
    return Question(key=key, kind=kind, label=label, prompt=label)
