"""Reading `/scout <text>`: a subcommand, a discovery with the scout's story, or a typo."""

import pytest

from bot.dialogue.events import DialogueState
from bot.dialogue.machine import with_story
from bot.dialogue.subcommands import ScoutCommand, read_scout_command


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ScoutCommand("log")),
        ("  help ", ScoutCommand("help")),
        ("Help!", ScoutCommand("help")),
        ("?", ScoutCommand("help")),
        ("CONFIG", ScoutCommand("config")),
        ("Acme's CFO wants month-end close in 3 days",
         ScoutCommand("log", story="Acme's CFO wants month-end close in 3 days")),
        ("frobnicate", ScoutCommand("unknown", word="frobnicate")),
        ("hlep", ScoutCommand("unknown", word="hlep", suggestion="help")),
        ("Settings", ScoutCommand("unknown", word="Settings", suggestion="config")),
        ("confg", ScoutCommand("unknown", word="confg", suggestion="config")),
    ],
)  # fmt: skip
def test_scout_text_is_read_as_a_subcommand_a_story_or_a_typo(text, expected):
    assert read_scout_command(text) == expected


def test_a_story_is_kept_as_evidence_after_what_was_kept_before_and_only_once():
    state = DialogueState("account", {"evidence": "From the call"})

    told = with_story(state, "They close the books in 3 weeks")

    assert told.answers["evidence"] == "From the call\n\nThey close the books in 3 weeks"
    assert with_story(told, "They close the books in 3 weeks") == told
    assert with_story(state, "") == state
