"""How a typed reply is taken beyond its parse: said back when read from other words, or a
skip when it only says the scout does not know."""

from __future__ import annotations

from bot.dialogue.answer_common import normal, says_dont_know
from bot.dialogue.answers import Invalid, Parsed, display_answer, subject
from bot.dialogue.definition import Kind, Question
from bot.wording import say

# Typed answers said back when read from other words: a misreading shows at once.
READ_BACK = frozenset({Kind.CHOICE, Kind.MULTI_CHOICE, Kind.VALUE, Kind.DATE})


def read_back(question: Question, text: str, result: Parsed | Invalid) -> str | None:
    """What a choice, value or date was read as, when the scout's words differ ("not really")."""
    if isinstance(result, Invalid) or question.kind not in READ_BACK:
        return None
    answer = display_answer(question, result.value)
    if normal(answer) == normal(text) or text.strip().isdecimal():
        return None
    return say("dialogue_read_back", subject=subject(question), answer=answer)


def dont_know(question: Question, text: str, result: Parsed | Invalid) -> bool:
    """An optional question answered "not sure" is skipped, unless that is one of its answers."""
    if question.required or not says_dont_know(text):
        return False
    return isinstance(result, Invalid) or question.kind == Kind.TEXT
