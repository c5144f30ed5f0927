"""An opener made readable: Slack's markup undone, the greeting in front set aside, sentences."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import cached_property

from bot.domain.opener.lexicon import Lexicon, fold, words_pattern

_LINK = re.compile(r"<(?:https?://|mailto:)[^|>]*\|([^>]*)>")
_BARE_LINK = re.compile(r"<(?:https?://|mailto:)[^>]*>")
_USER = re.compile(r"<@(\w+)(?:\|([^>]*))?>")
_CHANNEL = re.compile(r"<#\w+(?:\|([^>]*))?>")
_SPECIAL = re.compile(r"<![^>]*>")
_EMOJI = re.compile(r":[a-z0-9_+'-]+:")
_MARKS = re.compile(r"(?<![\w*_~`])[*_~`]+(?=[^\s*_~`])|(?<=[^\s*_~`])[*_~`]+(?![\w*_~`])")
_BULLET = re.compile(r"^[ \t]*(?:[•◦▪‣]|[-*]|\d+[.)])[ \t]+", re.MULTILINE)
_END = re.compile(r"[.!?…]+[)\"'”»]*(?=\s|$)|\n+")


@dataclass(frozen=True)
class Story:
    """The opener as read: `text` without markup, `folded` for matching, and where the story starts."""

    text: str
    folded: str
    start: int
    months: re.Pattern[str]
    abbreviations: frozenset[str]

    @cached_property
    def spans(self) -> tuple[tuple[int, int], ...]:
        """The sentences' spans, found once."""
        return tuple(self.sentences())

    def sentences(self) -> list[tuple[int, int]]:
        """Spans of the sentences after the greeting, each without its spacing."""
        spans, begin = [], self.start
        for end in _END.finditer(self.text, self.start):
            if end[0][0] == "." and _abbreviated(
                self.text, end.start(), self.folded, self.months, self.abbreviations
            ):
                continue
            spans.append((begin, end.end()))
            begin = end.end()
        spans.append((begin, len(self.text)))
        return [_trimmed(self.text, a, b) for a, b in spans if self.text[a:b].strip(" \t\n.!?…")]


def _abbreviated(
    text: str, dot: int, folded: str, months: re.Pattern[str], abbreviations: frozenset[str]
) -> bool:
    """A full stop that ends a short form, or a day written "31. März"."""
    word = re.search(r"[\w.]*$", text[:dot])
    token = fold(word[0]) if word else ""
    if token.isdigit():
        return len(token) <= 2 and bool(
            months.match(folded, dot + 1 + len(folded[dot + 1 :]) - len(folded[dot + 1 :].lstrip()))
        )
    initial = bool(word) and len(word[0]) == 1 and word[0].isupper()  # "J. Smith", not "48 h."
    return token in abbreviations or initial


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def plain(text: str) -> str:
    """Slack's markup undone: links as their labels, mentions as @names, no bold or emoji."""
    text = _LINK.sub(r"\1", text)
    text = _BARE_LINK.sub("", text)
    text = _USER.sub(lambda m: "@" + (m[2] or m[1]), text)
    text = _CHANNEL.sub(lambda m: "#" + (m[1] or "channel"), text)
    text = _EMOJI.sub("", _SPECIAL.sub("", text))
    text = _BULLET.sub("", _MARKS.sub("", html.unescape(text)))
    return re.sub(r"[ \t\u00a0]+", " ", text).strip()


def read_story(opener: str, lexicon: Lexicon) -> Story:
    """The opener without markup, and where its story starts after greetings and pleasantries."""
    text = plain(opener)
    folded = fold(text)
    months = lexicon.built("month_words", _month_words)
    abbreviations = frozenset(lexicon.words("abbreviations"))
    return Story(text, folded, _story_start(folded, lexicon), months, abbreviations)


def typed_story(text: str, lexicon: Lexicon) -> Story:
    """A typed answer as a story, as written (markup kept, no greeting): its indexes are the text's."""
    months = lexicon.built("month_words", _month_words)
    return Story(text, fold(text), 0, months, frozenset(lexicon.words("abbreviations")))


def _month_words(lexicon: Lexicon) -> re.Pattern[str]:
    return re.compile(
        words_pattern(
            [w for month in lexicon.months for w in month] + lexicon.words("quarter_words")
        )
    )


def _greeting(lexicon: Lexicon) -> re.Pattern[str]:
    words = words_pattern(lexicon.words("greetings"))
    addressee = r"(?:[\s,]+(?:@[\w.-]+|[\w'-]+)){0,2}?"
    return re.compile(rf"\s*(?:{words}|@[\w.-]+){addressee}\s*(?:[!?,.:;…—–-]+|\n|$|(?=@))\s*")


def _story_start(folded: str, lexicon: Lexicon) -> int:
    greeting = lexicon.built("greeting", _greeting)
    pleasantry = lexicon.pattern("pleasantries")
    start = 0
    while True:
        found = greeting.match(folded, start)
        if found is None and (found := pleasantry.match(folded, start)):
            found = _END.search(folded, found.end())
        if found is None or found.end() <= start:
            return _skip_space(folded, start)
        start = found.end()


def _skip_space(text: str, start: int) -> int:
    while start < len(text) and text[start] in " \t\n@":
        if text[start] == "@":  # a mention left in front: "@dana Acme wants ..."
            return start
        start += 1
    return start
