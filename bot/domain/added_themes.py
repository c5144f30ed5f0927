"""Themes admins added from a digest's suggestion, merged into the value network (pure).

They are stored in the database, not in prompts/value_network.yaml, so that a click adds one;
the file stays the admin's: a theme of the same key there wins over the stored one.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from bot.domain.stems import stem_all
from bot.domain.themes import Theme, ValueNetwork

KEY_LENGTH = 60


@dataclass(frozen=True)
class AddedTheme:
    """A theme as an admin added it: its key, label, and its phrases in one language."""

    key: str
    label: str
    language: str
    phrases: tuple[str, ...]


@lru_cache(maxsize=16)  # the stems are worked out once per set of additions, not per request
def with_additions(network: ValueNetwork, added: tuple[AddedTheme, ...]) -> ValueNetwork:
    """The network with the added themes after the file's (a key the file has is skipped;
    phrases of a language not in use never match)."""
    known = {theme.key for theme in network.themes}
    languages = {language.code: language for language in network.languages}
    extra = []
    for item in added:
        if item.key in known:
            continue
        known.add(item.key)
        language = languages.get(item.language)
        stems = {item.language: frozenset(stem_all(language, item.phrases))} if language else {}
        extra.append(Theme(item.key, item.label, (), (), stems))
    return replace(network, themes=network.themes + tuple(extra)) if extra else network


def theme_key(label: str, taken: set[str] | frozenset[str]) -> str:
    """A key for a new theme from its label ('Audit trail' → audit_trail), not one of `taken`."""
    plain = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode()
    base = re.sub(r"[^a-z0-9]+", "_", plain.lower()).strip("_")[: KEY_LENGTH - 3] or "theme"
    base = base if base[0].isalpha() else f"t_{base}"
    key, n = base, 2
    while key in taken:
        key, n = f"{base}_{n}", n + 1
    return key


def network_with(network: ValueNetwork, rows: Iterable[Any]) -> ValueNetwork:
    """The network with stored additions (rows with key, label, language and phrases)."""
    added = tuple(
        AddedTheme(row.key, row.label, row.language, tuple(row.phrases or ())) for row in rows
    )
    return with_additions(network, added) if added else network
