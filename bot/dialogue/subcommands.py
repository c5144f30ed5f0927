"""What `/scout <text>` asks for: a subcommand, a discovery (with the scout's story), or a typo."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

SUBCOMMANDS = ("help", "config", "account", "search", "themes", "coach")
LOOKUPS = ("account", "search")  # followed by what to look up: they answer, never log
TAKE_TEXT = ("themes",)  # subcommands whose words follow them: `/scout themes onboarding`
ALIASES = {"?": "help"}
# Words people type for a subcommand that spelling alone would not find.
MEANT = {
    "settings": "config", "setting": "config", "configure": "config", "setup": "config",
    "admin": "config", "options": "config", "commands": "help", "info": "help",
    "coaching": "coach", "coaches": "coach", "scouts": "coach", "quality": "coach",
}  # fmt: skip


@dataclass(frozen=True)
class ScoutCommand:
    """`kind` is a subcommand, "log" (story: what the scout typed, if anything) or "unknown"."""

    kind: str
    story: str = ""
    word: str = ""
    suggestion: str | None = None


def read_scout_command(text: str) -> ScoutCommand:
    """Nothing or a story logs a discovery; a single word is a subcommand, known or mistyped."""
    text = text.strip()
    if not text:
        return ScoutCommand("log")
    first, rest = [*text.split(maxsplit=1), ""][:2]
    if first.lower() in (*LOOKUPS, *TAKE_TEXT):
        return ScoutCommand(first.lower(), story=rest.strip())
    if len(text.split()) > 1:  # several words: what the customer said, the dialogue's opener
        return ScoutCommand("log", story=text)
    word = text.lower().rstrip(".!") or text
    known = ALIASES.get(word, word)
    if known in SUBCOMMANDS:
        return ScoutCommand(known)
    return ScoutCommand("unknown", word=text, suggestion=_near_miss(word))


def _near_miss(word: str) -> str | None:
    close = difflib.get_close_matches(word, SUBCOMMANDS, n=1, cutoff=0.6)
    return MEANT.get(word) or (close[0] if close else None)
