"""The outcome: the sentence(s) saying what the customer wants, without the value and date clauses."""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

from bot.domain.opener.lexicon import Lexicon, fold, words_pattern
from bot.domain.opener.money import Amount
from bot.domain.opener.text import Story

_SEPARATOR = re.compile(r"\s*(?:[,;:(]|\s[-–—]\s|[-–—]{1,2}\s)\s*")
_MOST_AFTER = (
    4  # words after a date or amount that still belong to its clause ("renewal", "to them")
)
_ASIDE = re.compile(r"\s*\([^()]*\)")
_REACH = 40  # characters from the start of a clause to its anchor
_FEWEST_KEPT = 3  # words the outcome keeps, or the clause is not cut


def want_clause(story: Story, lexicon: Lexicon, amount: Amount | None) -> tuple[int, int] | None:
    """The first want sentence's want clause, else the first sentence that is more than
    context, value or a date."""
    sentences = [s for s in story.spans if not _is_aside(story, s, lexicon, amount)]
    wants = lexicon.pattern("want_cues")
    # The first want is the story; later ones are mostly who pushes for it and when.
    chosen = [s for s in sentences if wants.search(story.folded, *s)][:1] or sentences[:1]
    return _want_clause(story, chosen[0], lexicon) if chosen else None


def outcome_of(
    story: Story,
    lexicon: Lexicon,
    *,
    clause: tuple[int, int],
    anchors: Sequence[tuple[str, int]],
    gap_at: int | None = None,
) -> str | None:
    """The want clause up to the gap, without the clauses that hold the `anchors` (a date, a
    pressure, the value)."""
    if gap_at is not None and clause[0] < gap_at < clause[1]:
        clause = (clause[0], gap_at)
    return _trimmed(story, clause, lexicon, anchors) or None


def _clause_break(lexicon: Lexicon) -> re.Pattern[str]:
    breaks = words_pattern(lexicon.words("clause_breaks"))
    return re.compile(rf"\s*(?:;|:\s|\s[—–]\s|\s-\s|,\s+(?={breaks}))\s*")


def _want_clause(story: Story, span: tuple[int, int], lexicon: Lexicon) -> tuple[int, int]:
    """The clause of a sentence that holds its want ("X: the CFO wants …; it costs …", "…, but …")."""
    breaks = lexicon.built("clause_break", _clause_break)
    cuts = [span[0], *(m.end() for m in breaks.finditer(story.folded, *span)), span[1]]
    clauses = [_without_break(story, a, b, breaks) for a, b in itertools.pairwise(cuts)]
    wants = lexicon.pattern("want_cues")
    found = next((n for n, c in enumerate(clauses) if wants.search(story.folded, *c)), None)
    if found is None:
        return span
    if len(story.folded[slice(*clauses[found])].split()) < _FEWEST_KEPT and found + 1 < len(
        clauses
    ):
        return clauses[found + 1]  # a label: "want: fuel spend per tonne down 15%"
    return clauses[found]


def _without_break(story: Story, start: int, end: int, breaks: re.Pattern[str]) -> tuple[int, int]:
    """A clause without the break that ends it (", but" stays with the next clause)."""
    found = [m.start() for m in breaks.finditer(story.folded, start, end) if m.end() == end]
    return start, found[0] if found else end


def _is_aside(story: Story, span: tuple[int, int], lexicon: Lexicon, amount: Amount | None) -> bool:
    """Politeness, the scout's own meeting, or a sentence that only says what it is worth."""
    start, end = span
    head = story.folded[start:end]
    if lexicon.pattern("pleasantries").match(head) or lexicon.pattern("value_cues").match(head):
        return True
    if lexicon.pattern("context_cues").search(head) and not lexicon.pattern("want_cues").search(
        head
    ):
        return True
    return (
        amount is not None
        and start <= amount.start < end
        and len(head.split()) <= 8
        and not (lexicon.pattern("want_cues").search(head))
    )


def _trimmed(
    story: Story, span: tuple[int, int], lexicon: Lexicon, anchors: Sequence[tuple[str, int]]
) -> str:
    start, end = span
    for kind, clause_at in sorted(anchors, key=lambda anchor: -anchor[1]):
        if start < clause_at < end:
            end = _cut_clause(story, (start, end), clause_at, _OPENINGS[kind], lexicon)
    words = story.text[start:end].split()
    openings = lexicon.pattern("date_clause_starts")
    while (
        end < span[1]
        and len(words) > _FEWEST_KEPT
        and openings.fullmatch(fold(words[-1]).strip(",;:"))
    ):
        words.pop()  # "…senken, bevor" once "am 31. März" is cut
    text = " ".join(_ASIDE.sub(" ", " ".join(words)).split())  # "(it's 40 min today)" is not it;
    # a space where it was: "0( )0" is two words, not "00"
    return text.strip(" ,;:(-–—").rstrip(".!").strip()


# What may open the clause that holds each kind of anchor, and whether a comma or dash may.
_OPENINGS = {
    "date": ("date_clause_starts", True),
    "pressure": ("deadline_clause_starts", False),
    "value": ("value_clause_starts", True),
}


def _cut_clause(
    story: Story, span: tuple[int, int], at: int, openings: tuple[str, bool], lexicon: Lexicon
) -> int:
    """Where the sentence ends without the clause holding `at`, when that clause closes the sentence."""
    start, end = span
    tail = re.sub(r"[\d.,]+", "", story.folded[at:end])
    if len(tail.split()) > _MOST_AFTER + 2:
        return end
    words, separators = lexicon.pattern(openings[0]), openings[1]
    opening = [m.start() for m in words.finditer(story.folded, start, at)]
    opening += (
        [m.start() for m in _SEPARATOR.finditer(story.folded, start, at)] if separators else []
    )
    if words.match(story.folded, at):
        opening.append(at)  # the date was read with its preposition: "avant la fin du trimestre"
    for cut in sorted(opening, reverse=True):
        if at - cut > _REACH:
            break
        if len(story.folded[start:cut].split()) >= _FEWEST_KEPT:
            return cut
    return end
