"""The value an opener states: the amount beside a value word ("worth $250k a year"), or a band."""

from __future__ import annotations

import re
from decimal import Decimal

from bot.domain.opener import money
from bot.domain.opener.lexicon import Lexicon, words_pattern
from bot.domain.opener.text import Story

_CUE_REACH = 30  # characters before an amount in which a value word makes it the value


def sentence_of(story: Story, position: int) -> tuple[int, int]:
    """The span of the sentence holding `position`."""
    return next((s for s in story.spans if s[0] <= position < s[1]), (position, position))


def value_of(story: Story, lexicon: Lexicon) -> tuple[money.Amount | None, str | None]:
    """The amount that states the value (beside a value word first), and the band it or a band word means."""
    amounts = find_amounts(story, lexicon)
    if amounts:
        cues = lexicon.pattern("value_cues")

        def rank(amount: money.Amount) -> tuple[int, int, int, int, int]:
            start, end = sentence_of(story, amount.start)
            close = bool(
                cues.search(story.folded, max(start, amount.start - _CUE_REACH), amount.start)
            )
            cued = bool(cues.search(story.folded, start, end))
            return (-close, -cued, -amount.per_year, -bool(amount.currency), amount.start)

        best = min(amounts, key=rank)
        return best, money.band_of(best.value, best.edge) if best.edge else None
    for band, words in lexicon.groups("bands").items():
        if re.search(words_pattern(words), story.folded[story.start :]):
            return None, band
    return None, None


def _number_start(match: re.Match[str]) -> int:
    return (
        match.start("before")
        if match["before"]
        else match.start("number" if match["number"] else "word")
    )


def _ranges(
    story: Story, matches: list[re.Match[str]], lexicon: Lexicon
) -> list[tuple[re.Match[str], re.Match[str]]]:
    """Matches paired with the end of their range ("$40-50k", "between 200k and 300k"), or with themselves."""
    paired: list[tuple[re.Match[str], re.Match[str]]] = []
    for match in matches:
        if paired and _continues(story.folded, paired[-1][1], match, lexicon):
            paired[-1] = (paired[-1][0], match)
        else:
            paired.append((match, match))
    return paired


def _continues(folded: str, first: re.Match[str], second: re.Match[str], lexicon: Lexicon) -> bool:
    gap = folded[first.end() : _number_start(second)].strip()
    dashes = [w for w in lexicon.words("range_words") if not w.isalpha()]
    if gap in dashes or lexicon.pattern("range_words").fullmatch(gap):
        return True
    before = folded[max(0, first.start() - 20) : first.start()].rstrip()
    between = any(m.end() == len(before) for m in lexicon.pattern("between_words").finditer(before))
    return between and bool(lexicon.pattern("between_and").fullmatch(gap))


def _low_end(low: re.Match[str], high: re.Match[str], lexicon: Lexicon) -> Decimal | None:
    """A range's lower end, with the scale written only after the upper one ("40-50k" is 40k)."""
    value = money.value_of(low, lexicon)
    if value is not None and low is not high and not low["scale"] and high["scale"]:
        value = value.scaleb(money.scale_of(high["scale"], lexicon))
    return value


def find_amounts(story: Story, lexicon: Lexicon) -> list[money.Amount]:
    """Amounts of money in the story: with a currency, or scaled ("250k") beside a value word or "a year"."""
    pattern = lexicon.built("amounts", lambda lex: money.amount_pattern(lex, any_code=False))
    matches = [m for m in pattern.finditer(story.folded, story.start) if m["number"] or m["word"]]
    found = []
    for low, high in _ranges(story, matches, lexicon):
        amount = _amount(story, low, high, lexicon)
        if amount is not None:
            found.append(amount)
    return found


def _amount(
    story: Story, low: re.Match[str], high: re.Match[str], lexicon: Lexicon
) -> money.Amount | None:
    value = _low_end(low, high, lexicon)
    currency = money.currency_of(
        low["before"] or low["after"] or high["before"] or high["after"], lexicon
    )
    if value is None or value <= 0 or re.match(r"\s*%", story.folded[high.end() :]):
        return None
    yearly = bool(lexicon.pattern("per_year").match(story.folded[high.end() :].lstrip()))
    cued = lexicon.pattern("value_cues").search(story.folded, *sentence_of(story, low.start()))
    scaled = bool(low["scale"] or high["scale"])
    if currency is None and not (scaled and (cued or yearly)):
        return None
    start = low.start() + len(low[0]) - len(low[0].lstrip())
    before = re.sub(
        lexicon.pattern("hedges"), "", story.folded[max(0, start - 25) : start]
    ).rstrip()
    above, below = lexicon.pattern("band_above"), lexicon.pattern("band_below")
    edge = "above" if _ends_with(above, before) else "below" if _ends_with(below, before) else None
    return money.Amount(value, currency, start, high.end(), yearly, scaled, edge)


def _ends_with(pattern: re.Pattern[str], text: str) -> bool:
    return any(m.end() == len(text) for m in pattern.finditer(text))
