"""Quality at capture as the scout reads it: the score with the one thing that would raise it,
and a friendly word on a thin outcome or gap (never a refusal)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.dialogue.definition import Definition
from bot.domain.opener.quality import challenge, challenged_keys, completeness, thin_answer
from bot.wording import say

MOST = 5  # one point each: measurable outcome, value, compelling event, who cares, evidence


def quality_line(answers: Mapping[str, Any]) -> str:
    """One line: the completeness score and the single thing that would raise it most."""
    score, _, hint = completeness(answers)
    if hint is None:
        return say("quality_complete", score=score, most=MOST)
    return say("quality_line", score=score, most=MOST, hint=hint)


def thin_hints(definition: Definition, answers: Mapping[str, Any]) -> list[str]:
    """For each thin outcome or gap: its label and the one challenge, as a hint (the modal)."""
    hints = []
    for key in challenged_keys():
        question, text = definition.find(key), answers.get(key)
        reason = thin_answer(text) if question and isinstance(text, str) and text else None
        if reason:
            hints.append(
                say("quality_thin_hint", label=question.label, challenge=challenge(reason, key))
            )
    return hints
