"""The gap: what the opener says about how things stand today, after the want it names
("…wants invoices approved in a day, today it takes two weeks", "…(currently 5 days)")."""

from __future__ import annotations

import re
from typing import NamedTuple

from bot.domain.opener.lexicon import Lexicon
from bot.domain.opener.text import Story

# Commas and colons that end a piece, not those in "2,000" or "10:30".
_PIECE_BREAK = re.compile(r"\s*(?:[;()]|[,:](?=\s|$)|\s[-–—]\s|[-–—]{1,2}\s)\s*")
_LEADS = re.compile(r"(?:and|but|yet|aber|und|doch|mais|et|pero|y)\s+")  # "but today …": not the gap
_FEWEST = 2  # words a gap says at least ("currently 5")


class Gap(NamedTuple):
    """Where the gap's piece begins (the outcome ends before it: "…, and"), and the gap itself."""

    piece: int
    start: int
    end: int


def gap_of(
    story: Story, lexicon: Lexicon, *, want: tuple[int, int], anchors: list[int]
) -> Gap | None:
    """The first piece after the want (in its sentence or the next) that says how things stand
    today (a `gap_cues` word) and holds no anchor (the value, the date)."""
    cues = lexicon.pattern("gap_cues")
    wanted = lexicon.pattern("want_cues").search(story.folded, *want)
    after = wanted.end() if wanted else want[0]
    for start, end in _pieces(story, want):
        if start < after or any(start <= at < end for at in anchors):  # the want's own piece
            continue
        if cues.search(story.folded, start, end):
            lead = _LEADS.match(story.folded, start)
            said = lead.end() if lead else start
            text = story.text[said:end].strip(" .!?…")
            return Gap(start, said, said + len(text)) if len(text.split()) >= _FEWEST else None
    return None


def _pieces(story: Story, want: tuple[int, int]) -> list[tuple[int, int]]:
    """The want's sentence and the next one, cut at commas, semicolons, brackets and dashes."""
    at = next((n for n, (a, b) in enumerate(story.spans) if a <= want[0] < b), None)
    if at is None:
        return []
    pieces = []
    for start, end in story.spans[at : at + 2]:
        cuts = [(m.start(), m.end()) for m in _PIECE_BREAK.finditer(story.folded, start, end)]
        begins = [start, *(b for _a, b in cuts)]
        ends = [*(a for a, _b in cuts), end]
        pieces += [(a, b) for a, b in zip(begins, ends, strict=True) if b > a]
    return pieces
