"""The scout's opener is evidence: kept under its own key, and always first in the evidence,
whatever quote the scout adds after it (a reply, the modal, an edit)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

OPENER = "opener"  # what the scout wrote first (a DM, `/scout <text>`, a shortcut's message)
EVIDENCE = "evidence"


def told(answers: Mapping[str, Any], story: str) -> dict[str, Any]:
    """The answers with the story kept as the opener and in the evidence (after any kept)."""
    opener = str(answers.get(OPENER) or "")
    evidence = str(answers.get(EVIDENCE) or "")
    return {
        **answers,
        OPENER: _joined(opener, story),
        EVIDENCE: _joined(evidence, story),
    }


def keep_opener(answers: Mapping[str, Any]) -> dict[str, Any]:
    """The answers with the opener first in the evidence, if a new answer left it out."""
    opener = answers.get(OPENER)
    evidence = str(answers.get(EVIDENCE) or "")
    if not opener or opener in evidence:
        return dict(answers)
    return {**answers, EVIDENCE: f"{opener}\n\n{evidence}" if evidence.strip() else opener}


def quoted(answers: Mapping[str, Any], words: str) -> dict[str, Any]:
    """The answers with the customer's words added to the evidence (after what it holds)."""
    return {**answers, EVIDENCE: _joined(str(answers.get(EVIDENCE) or ""), words.strip())}


def _joined(kept: str, story: str) -> str:
    """Story after what is kept, once."""
    if not story or story in kept:
        return kept
    return f"{kept}\n\n{story}" if kept else story
