"""The words the opener reader and the quality checks use: prompts/opener.yaml, as data."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import prompts

FILE = "opener.yaml"


class LexiconError(Exception):
    """opener.yaml is wrong; the message names the file and the key."""


def fold(text: str) -> str:
    """Lower case without accents, one character for one: indexes stay those of `text`."""
    return "".join(_fold_char(char) for char in text)


@cache
def _fold_char(char: str) -> str:
    plain = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
    lowered = plain.lower()
    if len(lowered) == 1:
        return lowered
    return char.lower()[:1] if len(char.lower()) == 1 else char


def words_pattern(words: Iterable[str]) -> str:
    """A regex alternation of folded phrases, longest first, each a whole word or phrase."""
    folded = sorted({fold(w).strip() for w in words if str(w).strip()}, key=len, reverse=True)
    body = "|".join(re.escape(w).replace(r"\ ", r"[\s-]+") for w in folded)
    return rf"(?<![\w]){'(?:' + body + ')'}(?![\w])" if folded else r"(?!x)x"


def compiled(words: Iterable[str]) -> re.Pattern[str]:
    return re.compile(words_pattern(words))


@dataclass(frozen=True)
class Lexicon:
    """The lists of prompts/opener.yaml, folded; `raw` keeps the file as read."""

    raw: Mapping[str, Any]

    def __post_init__(self) -> None:
        object.__setattr__(self, "_built", {})

    def built(self, name: str, build: Callable[[Lexicon], Any]) -> Any:
        """What `build` makes of this lexicon (a compiled pattern), made once."""
        cached: dict[str, Any] = self._built  # type: ignore[attr-defined]
        if name not in cached:
            cached[name] = build(self)
        return cached[name]

    def pattern(self, key: str) -> re.Pattern[str]:
        """The list under `key` as one whole-word pattern."""
        return self.built(f"words:{key}", lambda lexicon: compiled(lexicon.words(key)))

    def words(self, key: str) -> list[str]:
        """The list under `key`, folded (made once)."""
        return self.built(f"list:{key}", lambda lex: [fold(str(w)) for w in lex.raw.get(key) or []])

    def table(self, key: str) -> dict[str, Any]:
        """The mapping under `key`, its keys folded (made once)."""
        return self.built(
            f"table:{key}",
            lambda lex: {fold(str(k)): v for k, v in (lex.raw.get(key) or {}).items()},
        )

    def groups(self, key: str) -> dict[str, list[str]]:
        """A mapping of label -> words, words folded, labels as written (made once)."""
        return self.built(
            f"groups:{key}",
            lambda lex: {
                str(k): [fold(str(w)) for w in v] for k, v in (lex.raw.get(key) or {}).items()
            },
        )

    @property
    def months(self) -> list[list[str]]:
        return [[fold(str(w)) for w in month] for month in self.raw["months"]]


def load_lexicon(path: Path | None = None) -> Lexicon:
    """Read and check opener.yaml (the copy in use, or the file at `path`): every key the shipped
    file has, each a list or a mapping as there, so an admin's edit cannot silently drop a list."""
    data, source = prompts.load_mapping(FILE, path=path, error=LexiconError)
    if not isinstance(data, dict):
        raise LexiconError(f"{source}: expected a mapping of word lists")
    shipped = prompts.parse(prompts.packaged(FILE))
    for key, value in shipped.items():
        if key not in data:
            raise LexiconError(f"{source}: {key}: missing (the shipped file has it)")
        if type(data[key]) is not type(value):
            raise LexiconError(f"{source}: {key}: expected a {type(value).__name__}, as shipped")
    if len(data["months"]) != 12 or not all(isinstance(m, list) and m for m in data["months"]):
        raise LexiconError(f"{source}: months: expected 12 lists of names, January first")
    return Lexicon(data)


@cache
def _cached(location: Path | None) -> Lexicon:
    return load_lexicon()


def current_lexicon() -> Lexicon:
    """The lexicon of the prompts in use, read once per copy."""
    return _cached(prompts.location())
