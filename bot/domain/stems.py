"""Word stems for theme matching: texts and phrases as stem sequences, per language (pure)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

import snowballstemmer

WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")  # letters and digits; "customer's" is one word
# A compound part must be this long to be found inside a longer word ("kost" in "Supportkosten"),
# so that short stems never match by accident inside unrelated words.
COMPOUND_PART = 4
INFLECTION = 3  # letters an ending may add after a compound's last part ("-en", "-ern")
Phrase = tuple[str, ...]


@dataclass(frozen=True)
class Language:
    """A language scouts write in: its Snowball stemmer, and whether it joins words into one."""

    code: str
    stemmer: str
    compounds: bool = False
    # Its commonest short words: they tell which language a text is in, and a longer word cut
    # back to one of them is kept whole ("Sicherheit" is not "sich").
    stopwords: frozenset[str] = frozenset()

    def stems(self, text: str) -> Phrase:
        """The text's words as stems, in order, lower case."""
        return tuple(self._stem(word) for word in words(text))

    def _stem(self, word: str) -> str:
        stem = _stem(self.stemmer, word)
        cut_to_a_stopword = stem in self.stopwords and len(word) > len(stem) + 3
        return word if cut_to_a_stopword else stem


def likely(languages: tuple[Language, ...], text: str) -> tuple[Language, ...]:
    """The languages the text is most likely in, by their stopwords in it; all when none tells,
    so that a French "demande" is not read as an English "demand"."""
    if len(languages) < 2:
        return languages
    found = words(text)
    counts = [sum(word in language.stopwords for word in found) for language in languages]
    best = max(counts)
    return tuple(lang for lang, n in zip(languages, counts, strict=True) if n == best or not best)


def words(text: str) -> list[str]:
    """The text's words, lower case, split at an apostrophe: an elided article goes ("l'outil":
    outil, "qu'un": un), a possessive ending too ("customer's": customer)."""
    return [_unelided(word) for word in WORD.findall(text.lower())]


def _unelided(word: str) -> str:
    head, _, tail = re.sub("’", "'", word).partition("'")
    if not tail:
        return head
    return tail if len(head) <= 2 or head.endswith("qu") else head


def algorithms() -> list[str]:
    """The Snowball stemmers this installation has."""
    return list(snowballstemmer.algorithms())


@cache
def _stemmer(name: str) -> Any:
    return snowballstemmer.stemmer(name)


@cache
def _stem(stemmer: str, word: str) -> str:
    return _stemmer(stemmer).stemWord(word)


def expand(phrases: Iterable[Phrase], groups: Iterable[tuple[Phrase, ...]]) -> set[Phrase]:
    """The phrases, and each with a synonym put in for a word or phrase it contains."""
    found = set(phrases)
    for group in groups:
        for phrase in list(found):
            for member in group:
                at = _find(phrase, member)
                if at is None:
                    continue
                head, tail = phrase[:at], phrase[at + len(member) :]
                found.update(head + other + tail for other in group if other)
    return found


def contains(text: Phrase, phrase: Phrase, *, compounds: bool, raw: Phrase = ()) -> bool:
    """Whether the stems hold the phrase; with compounds, a one-word phrase also begins or ends
    a longer word ("Einarbeitungszeit" holds "einarbeit", "Supportkosten" holds "kost"), its
    ending found in the word as written too (the stemmer cuts a compound's ending differently:
    "Mitarbeiterschulungen" is "mitarbeiterschul")."""
    if _find(text, phrase) is not None:
        return True
    if not compounds or len(phrase) != 1 or len(phrase[0]) < COMPOUND_PART:
        return False
    part = phrase[0]
    return any(len(w) > len(part) and (w.startswith(part) or w.endswith(part)) for w in text) or (
        any(len(w) > len(part) and part in w[-len(part) - INFLECTION :] for w in raw)
    )


def _find(text: Phrase, phrase: Phrase) -> int | None:
    """Where the phrase begins in the text, if it does."""
    size = len(phrase)
    if not size:
        return None
    first = phrase[0]
    for index in range(len(text) - size + 1):
        if text[index] == first and text[index : index + size] == phrase:
            return index
    return None


def stem_all(language: Language, terms: Iterable[str]) -> list[Phrase]:
    """Each term as its stems (terms without a word are dropped)."""
    return [stems for stems in map(language.stems, terms) if stems]


def by_language(
    raw: Mapping[str, Iterable[str]], languages: Iterable[Language]
) -> dict[str, list[Phrase]]:
    """Per language in use, its terms as stems."""
    return {lang.code: stem_all(lang, raw.get(lang.code, ())) for lang in languages}
