"""The README tells the truth about what the shipped prompts do."""

from __future__ import annotations

import re
from pathlib import Path

from bot.dialogue.definition import load_definition

ROOT = Path(__file__).resolve().parents[2]
NUMBERS = [
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
]


def test_the_readme_counts_the_dm_questions_the_shipped_dialogue_asks():
    definition = load_definition(ROOT / "prompts" / "dialogue.yaml")
    asked = definition.dm_questions
    sometimes = [q.label.lower() for q in asked if q.when is not None]
    readme = " ".join((ROOT / "README.md").read_text().split())

    said = re.search(r"at most (\w+) short questions", readme)

    assert said is not None, "the README no longer says how many questions the DM asks"
    assert said.group(1) == NUMBERS[len(asked) - 1]
    assert all(label in readme[said.start() : said.start() + 400] for label in sometimes)
