"""Tag discoveries with the outcome themes of the company's value network (prompts/value_network.yaml)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from prompts import load_list

DEFAULT_FILE = "value_network.yaml"
UNTHEMED = "unthemed"
THEME_FIELDS = ("key", "label", "keywords", "words")
KEY_PATTERN = re.compile(r"[a-z][a-z0-9_]*")


class NetworkError(Exception):
    """The value network is wrong; the message names the file and the key."""


@dataclass(frozen=True)
class Theme:
    """One outcome of the value network and the words that point to it."""

    key: str
    label: str
    keywords: tuple[str, ...]
    words: tuple[str, ...] = ()
    pattern: re.Pattern[str] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "pattern", _pattern(self.keywords, self.words))

    def matches(self, text: str) -> bool:
        """Whether any keyword or word appears in the text."""
        return bool(self.pattern.search(text))


@dataclass(frozen=True)
class ValueNetwork:
    """The themes, in the order the admin listed them."""

    themes: tuple[Theme, ...]
    source: str = field(default=DEFAULT_FILE, compare=False)

    def label(self, key: str) -> str:
        """A theme's label ('Unthemed' for discoveries no theme matched)."""
        if key == UNTHEMED:
            return "Unthemed"
        return next((t.label for t in self.themes if t.key == key), key)


def tag_themes(network: ValueNetwork, *texts: str | None) -> list[str]:
    """The keys of the themes the texts mention, in network order; ['unthemed'] when none."""
    present = [text for text in texts if text]  # one by one: a phrase never spans two texts
    keys = [theme.key for theme in network.themes if any(map(theme.matches, present))]
    return keys or [UNTHEMED]


def _pattern(keywords: tuple[str, ...], words: tuple[str, ...]) -> re.Pattern[str]:
    """Keywords are stems (they may continue: 'onboard' finds 'onboarding'); words must end too."""
    stems = [rf"(?<!\w){_phrase(k)}" for k in keywords]
    wholes = [rf"(?<!\w){_phrase(w)}(?!\w)" for w in words]
    return re.compile("|".join(stems + wholes), re.IGNORECASE)


def _phrase(text: str) -> str:
    """A phrase whose spaces and hyphens match either, so 'self serv' finds 'self-service'."""
    return r"[\s-]+".join(re.escape(part) for part in re.split(r"[\s-]+", text.strip()))


# --- loading ------------------------------------------------------------------------------------


def load_network(path: Path | None = None) -> ValueNetwork:
    """Read and check the value network: prompts/value_network.yaml unless a path is given."""
    items, source = load_list(DEFAULT_FILE, "themes", path=path, error=NetworkError)
    themes = tuple(_theme(item, f"{source}: themes[{n}]") for n, item in enumerate(items))
    _check_unique(themes, source)
    return ValueNetwork(themes, source)


def _theme(item: Any, where: str) -> Theme:
    if not isinstance(item, dict):
        raise NetworkError(f"{where}: expected a mapping with key, label and keywords")
    unknown = sorted(set(item) - set(THEME_FIELDS))
    if unknown:
        raise NetworkError(
            f"{where}.{unknown[0]}: unknown field (known: {', '.join(THEME_FIELDS)})"
        )
    key = item.get("key")
    if not isinstance(key, str) or not KEY_PATTERN.fullmatch(key) or key == UNTHEMED:
        raise NetworkError(f"{where}.key: {key!r} is not a key: lower case letters, digits and _")
    where = f"{where} ({key})"
    label = item.get("label")
    if not isinstance(label, str) or not label.strip():
        raise NetworkError(f"{where}.label: expected some text")
    keywords = _terms(item.get("keywords"), f"{where}.keywords")
    words = _terms(item.get("words", []), f"{where}.words", optional=True)
    return Theme(key, label.strip(), keywords, words)


def _terms(raw: Any, where: str, *, optional: bool = False) -> tuple[str, ...]:
    if not isinstance(raw, list) or not (raw or optional):
        raise NetworkError(f"{where}: expected a list of words or phrases")
    for index, term in enumerate(raw):
        if not isinstance(term, str) or len(term.strip()) < 2:
            raise NetworkError(f"{where}[{index}]: {term!r} is not a word or phrase")
    return tuple(term.strip().lower() for term in raw)


def _check_unique(themes: tuple[Theme, ...], source: str) -> None:
    seen: set[str] = set()
    for index, theme in enumerate(themes):
        if theme.key in seen:
            raise NetworkError(f"{source}: themes[{index}].key: {theme.key!r} appears twice")
        seen.add(theme.key)
