"""Read and check prompts/value_network.yaml: themes, languages and synonyms, as plain data."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.domain.stems import Language, algorithms
from prompts import load_mapping

DEFAULT_FILE = "value_network.yaml"
THEME_FIELDS = ("key", "label", "keywords", "words", "phrases")
LANGUAGE_FIELDS = ("stemmer", "compounds", "stopwords")
KEY_PATTERN = re.compile(r"[a-z][a-z0-9_]*")
CODE_PATTERN = re.compile(r"[a-z]{2}")


class NetworkError(Exception):
    """The value network is wrong; the message names the file and the key."""


@dataclass(frozen=True)
class RawTheme:
    """A theme as the file states it."""

    key: str
    label: str
    keywords: tuple[str, ...]
    words: tuple[str, ...]
    phrases: Mapping[str, tuple[str, ...]]


@dataclass(frozen=True)
class RawNetwork:
    """The file's themes, languages and synonym groups, checked."""

    themes: tuple[RawTheme, ...]
    source: str
    languages: Mapping[str, Language] = field(default_factory=dict)
    synonyms: Mapping[str, tuple[tuple[str, ...], ...]] = field(default_factory=dict)


def read_network(path: Path | None = None) -> RawNetwork:
    """The value network file, checked; every mistake is one line naming the file and key."""
    data, source = load_mapping(DEFAULT_FILE, path=path, error=NetworkError)
    if not isinstance(data, dict) or not isinstance(data.get("themes"), list) or not data["themes"]:
        raise NetworkError(f"{source}: themes: expected a list of themes")
    languages = _languages(data.get("languages"), f"{source}: languages")
    themes = tuple(
        _theme(item, f"{source}: themes[{n}]", languages) for n, item in enumerate(data["themes"])
    )
    _check_unique(themes, source)
    synonyms = _synonyms(data.get("synonyms"), f"{source}: synonyms", languages)
    return RawNetwork(themes, source, languages, synonyms)


def check_languages(raw: RawNetwork, codes: tuple[str, ...]) -> tuple[Language, ...]:
    """The languages in use, each one the file describes (English is built in)."""
    known = {"en": Language("en", "english"), **raw.languages}
    for code in codes:
        if code not in known:
            raise NetworkError(
                f"VALUESCOUT_LANGUAGES {code}: {raw.source}: languages: has no {code!r} "
                f"(it has {', '.join(sorted(known))}); add it with its stemmer"
            )
    return tuple(known[code] for code in codes)


def _languages(raw: Any, where: str) -> dict[str, Language]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise NetworkError(f"{where}: expected a mapping of language codes (en, de, …)")
    found = {}
    for code, item in raw.items():
        here = f"{where}.{code}"
        if not isinstance(code, str) or not CODE_PATTERN.fullmatch(code):
            raise NetworkError(f"{here}: not a two-letter language code")
        if not isinstance(item, dict) or set(item) - set(LANGUAGE_FIELDS):
            raise NetworkError(f"{here}: expected {{stemmer: …, compounds: …, stopwords: […]}}")
        if item.get("stemmer") not in algorithms():
            raise NetworkError(
                f"{here}.stemmer: {item.get('stemmer')!r} is not a Snowball stemmer "
                f"({', '.join(algorithms())})"
            )
        stopwords = frozenset(_terms(item.get("stopwords", []), f"{here}.stopwords", shortest=1))
        found[code] = Language(code, item["stemmer"], bool(item.get("compounds")), stopwords)
    return found


def _theme(item: Any, where: str, languages: Mapping[str, Language]) -> RawTheme:
    if not isinstance(item, dict):
        raise NetworkError(f"{where}: expected a mapping with key, label and keywords")
    unknown = sorted(set(item) - set(THEME_FIELDS))
    if unknown:
        raise NetworkError(
            f"{where}.{unknown[0]}: unknown field (known: {', '.join(THEME_FIELDS)})"
        )
    key = item.get("key")
    if not isinstance(key, str) or not KEY_PATTERN.fullmatch(key) or key == "unthemed":
        raise NetworkError(f"{where}.key: {key!r} is not a key: lower case letters, digits and _")
    where = f"{where} ({key})"
    label = item.get("label")
    if not isinstance(label, str) or not label.strip():
        raise NetworkError(f"{where}.label: expected some text")
    phrases = _phrases(item.get("phrases"), f"{where}.phrases", languages)
    keywords = _terms(item.get("keywords", []), f"{where}.keywords", optional=bool(phrases))
    words = _terms(item.get("words", []), f"{where}.words", optional=True)
    return RawTheme(key, label.strip(), keywords, words, phrases)


def _phrases(raw: Any, where: str, languages: Mapping[str, Language]) -> dict[str, tuple[str, ...]]:
    """Per language code, its phrases."""
    return {
        code: _terms(terms, f"{where}.{code}")
        for code, terms in _per_language(raw, where, languages).items()
    }


def _synonyms(
    raw: Any, where: str, languages: Mapping[str, Language]
) -> dict[str, tuple[tuple[str, ...], ...]]:
    """Per language code, groups of words or phrases that mean the same."""
    found = {}
    for code, groups in _per_language(raw, where, languages).items():
        if not isinstance(groups, list):
            raise NetworkError(
                f"{where}.{code}: expected a list of groups, like [client, customer]"
            )
        found[code] = tuple(
            _terms(group, f"{where}.{code}[{n}]", minimum=2) for n, group in enumerate(groups)
        )
    return found


def _per_language(raw: Any, where: str, languages: Mapping[str, Language]) -> dict[str, Any]:
    """A mapping by language code, each code English or one of the file's languages."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise NetworkError(f"{where}: expected a mapping by language, like en: […]")
    for code in raw:
        if code != "en" and code not in languages:
            raise NetworkError(f"{where}.{code}: no such language under languages:")
    return raw


def _terms(
    raw: Any, where: str, *, optional: bool = False, minimum: int = 1, shortest: int = 2
) -> tuple[str, ...]:
    if not isinstance(raw, list) or len(raw) < (0 if optional or shortest < 2 else minimum):
        raise NetworkError(f"{where}: expected a list of words or phrases")
    for index, term in enumerate(raw):
        if not isinstance(term, str) or len(term.strip()) < shortest:
            raise NetworkError(f"{where}[{index}]: {term!r} is not a word or phrase")
    return tuple(term.strip().lower() for term in raw)


def _check_unique(themes: tuple[RawTheme, ...], source: str) -> None:
    seen: set[str] = set()
    for index, theme in enumerate(themes):
        if theme.key in seen:
            raise NetworkError(f"{source}: themes[{index}].key: {theme.key!r} appears twice")
        seen.add(theme.key)
