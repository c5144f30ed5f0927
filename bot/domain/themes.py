"""Tag discoveries with the outcome themes of the company's value network (prompts/value_network.yaml).

A theme matches by its keywords (word beginnings, any language), its whole words, and its phrases
per language, compared as word stems (Snowball) so that word forms and plurals match, with the
network's synonyms put in for the words they stand for.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from bot.domain.network_load import (
    DEFAULT_FILE,
    KEY_PATTERN,
    NetworkError,
    check_languages,
    read_network,
)
from bot.domain.stems import Language, Phrase, by_language, contains, expand, likely, words
from bot.wording import say
from prompts import rebuilt_when_changed

UNTHEMED = "unthemed"
DEFAULT_LANGUAGES = ("en",)
__all__ = ["KEY_PATTERN", "NetworkError", "Theme", "ValueNetwork", "load_network", "tag_themes"]

_languages = DEFAULT_LANGUAGES  # chosen once at start-up (VALUESCOUT_LANGUAGES)


@dataclass(frozen=True)
class Theme:
    """One outcome of the value network and the words that point to it."""

    key: str
    label: str
    keywords: tuple[str, ...]
    words: tuple[str, ...] = ()
    # Per language in use: the phrases as stems, synonyms put in.
    stems: Mapping[str, frozenset[Phrase]] = field(default_factory=dict, compare=False)
    pattern: re.Pattern[str] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "pattern", _pattern(self.keywords, self.words))

    def matches(self, text: str) -> bool:
        """Whether any keyword or word appears in the text."""
        return bool(self.pattern.search(text)) if self.pattern.pattern else False

    def matches_stems(
        self, language: Language, text: Phrase, raw: Phrase = (), present: frozenset | None = None
    ) -> bool:
        """Whether any of the theme's phrases in this language appears in the text's stems
        (`raw`: its words as written, where words are compounded; `present`: the text's stems
        as a set, when the caller has it)."""
        compounds = language.compounds
        present = frozenset(text) if present is None else present
        # A phrase whose first stem is absent cannot be there, unless one word of it ends or
        # begins a compound: a cheap set lookup spares most phrases the scan of the text.
        return any(
            contains(text, p, compounds=compounds, raw=raw)
            for p in self.stems.get(language.code, ())
            if p and (p[0] in present or (compounds and len(p) == 1))
        )


@dataclass(frozen=True)
class ValueNetwork:
    """The themes, in the order the admin listed them, and the languages their phrases match in."""

    themes: tuple[Theme, ...]
    source: str = field(default=DEFAULT_FILE, compare=False)
    languages: tuple[Language, ...] = ()

    def label(self, key: str) -> str:
        """A theme's label ('Unthemed' for discoveries no theme matched)."""
        if key == UNTHEMED:
            return say("theme_unthemed")
        # A key no theme has (one removed since, or added in another process): readable still.
        fallback = key.replace("_", " ").capitalize()
        return next((t.label for t in self.themes if t.key == key), fallback)

    def matching(self, text: str, languages: tuple[Language, ...]) -> set[str]:
        """The keys of the themes that one text mentions, in these languages or by keyword."""
        found = {theme.key for theme in self.themes if theme.matches(text)}
        for language in languages:
            stems, raw = language.stems(text), tuple(words(text)) if language.compounds else ()
            present = frozenset(stems)
            found |= {
                t.key
                for t in self.themes
                if t.key not in found and t.matches_stems(language, stems, raw, present)
            }
        return found


def tag_themes(network: ValueNetwork, *texts: str | None) -> list[str]:
    """The keys of the themes the texts mention, in network order; ['unthemed'] when none."""
    present = [text for text in texts if text]
    languages = likely(network.languages, " ".join(present))  # short texts tell little alone
    found: set[str] = set()
    for text in present:  # one by one: a phrase never spans two texts
        found |= network.matching(text, languages)
    return [theme.key for theme in network.themes if theme.key in found] or [UNTHEMED]


def _pattern(keywords: tuple[str, ...], words: tuple[str, ...]) -> re.Pattern[str]:
    """Keywords are stems (they may continue: 'onboard' finds 'onboarding'); words must end too."""
    stems = [rf"(?<!\w){_phrase(k)}" for k in keywords]
    wholes = [rf"(?<!\w){_phrase(w)}(?!\w)" for w in words]
    return re.compile("|".join(stems + wholes), re.IGNORECASE)


def _phrase(text: str) -> str:
    """A phrase whose spaces and hyphens match either, so 'self serv' finds 'self-service'."""
    return r"[\s-]+".join(re.escape(part) for part in re.split(r"[\s-]+", text.strip()))


# --- loading ------------------------------------------------------------------------------------


def use_languages(codes: tuple[str, ...]) -> None:
    """Match phrases in these languages from now on (VALUESCOUT_LANGUAGES, at start-up)."""
    global _languages
    _languages = tuple(codes)


def load_network(
    path: Path | None = None, *, languages: tuple[str, ...] | None = None
) -> ValueNetwork:
    """Read and check the value network: prompts/value_network.yaml unless a path is given;
    phrases match in the languages given, else in those chosen at start-up."""
    return _built_network(path, languages=languages if languages is not None else _languages)


@rebuilt_when_changed(DEFAULT_FILE)
def _built_network(path: Path | None, *, languages: tuple[str, ...]) -> ValueNetwork:
    raw = read_network(path)
    in_use = check_languages(raw, languages)
    synonyms = {
        lang.code: _synonym_groups(raw.synonyms.get(lang.code, ()), lang) for lang in in_use
    }
    themes = tuple(
        Theme(t.key, t.label, t.keywords, t.words, _theme_stems(t.phrases, in_use, synonyms))
        for t in raw.themes
    )
    return ValueNetwork(themes, raw.source, in_use)


@cache
def network_of_copy(copy: Path) -> ValueNetwork:
    """The value network of a workspace's own copy of prompts/ (checked at start-up), read once."""
    return load_network(copy / "value_network.yaml")


def _synonym_groups(groups: Any, language: Language) -> list[tuple[Phrase, ...]]:
    return [
        tuple(by_language({language.code: group}, [language])[language.code]) for group in groups
    ]


def _theme_stems(
    phrases: Mapping[str, tuple[str, ...]],
    languages: tuple[Language, ...],
    synonyms: Mapping[str, list[tuple[Phrase, ...]]],
) -> dict[str, frozenset[Phrase]]:
    stemmed = by_language(phrases, languages)
    return {code: frozenset(expand(found, synonyms[code])) for code, found in stemmed.items()}
