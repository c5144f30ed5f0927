"""How account names compare: legal suffixes and punctuation stripped, then a fuzzy score.

Pure (no SQL), and in storage so that the migration that links discoveries to accounts
groups their old free-text names exactly as the dialogue matches new ones.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Generic, TypeVar

from rapidfuzz import fuzz, process

Key = TypeVar("Key")

# Words that name a company's legal form, not the company: "ACME Corp." is "Acme Corporation".
LEGAL_SUFFIXES = frozenset(
    [
        "ab",
        "ag",
        "as",
        "bv",
        "co",
        "company",
        "corp",
        "corporation",
        "gmbh",
        "inc",
        "incorporated",
        "kg",
        "kk",
        "limited",
        "llc",
        "llp",
        "lp",
        "ltd",
        "nv",
        "oy",
        "plc",
        "pte",
        "pty",
        "sa",
        "sarl",
        "sas",
        "se",
        "spa",
        "srl",
        "the",
    ]
)
# token_sort_ratio on the compared forms: "acme" and "acne" (75) differ, "globex int" and
# "globex intl" (95) do not; a typo in a long name still lands on it.
MATCH_CUTOFF = 90.0
# Below this length one letter is a different company ("Globe" is not "Globex"): exact only.
FUZZY_FROM = 8


def compared_form(name: str) -> str:
    """The name as compared: accents, punctuation and legal suffixes gone, case-folded."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    words = re.sub(r"[^\w\s]|_", " ", plain.replace("&", " and ")).casefold().split()
    kept = [word for word in words if word not in LEGAL_SUFFIXES]
    return " ".join(kept or words)  # "The Company" alone stays a name


class NameIndex(Generic[Key]):
    """Names and aliases by key, compared forms computed once: exact by dict, else fuzzy."""

    def __init__(self, names: Mapping[Key, Iterable[str]] | None = None) -> None:
        self._exact: dict[str, Key] = {}
        # Fuzzy candidates by the numbers in them: "Account 1" never matches "Account 10".
        self._by_numbers: dict[tuple[str, ...], dict[tuple[Key, int], str]] = {}
        for key, key_names in (names or {}).items():
            self.add(key, key_names)

    def add(self, key: Key, names: Iterable[str]) -> None:
        """Index a key's names (a name already indexed keeps its first key)."""
        for name in names:
            form = _sorted_words(compared_form(name))
            self._exact.setdefault(form, key)
            forms = self._by_numbers.setdefault(_numbers(form), {})
            forms[(key, len(forms))] = form

    def exact(self, typed: str) -> Key | None:
        """The key whose name or alias has exactly the compared form of `typed`, or None."""
        return self._exact.get(_sorted_words(compared_form(typed)))

    def match(self, typed: str) -> tuple[Key, float] | None:
        """The key whose name or alias is closest to `typed` (an exact form first), or None."""
        wanted = _sorted_words(compared_form(typed))
        if not wanted:
            return None
        if wanted in self._exact:
            return self._exact[wanted], 100.0
        if len(wanted) < FUZZY_FROM:
            return None
        # The words are sorted once here, so plain ratio is token_sort_ratio at a third the cost.
        candidates = self._by_numbers.get(_numbers(wanted), {})
        found = process.extractOne(
            wanted, candidates, scorer=fuzz.ratio, processor=None, score_cutoff=MATCH_CUTOFF
        )
        return (found[2][0], found[1]) if found else None


def _numbers(form: str) -> tuple[str, ...]:
    return tuple(re.findall(r"\d+", form))


def _sorted_words(form: str) -> str:
    return " ".join(sorted(form.split()))


def group_names(names: Iterable[str]) -> list[list[str]]:
    """Names grouped by match, in order of first appearance; each group's first is its name."""
    groups: list[list[str]] = []
    index: NameIndex[int] = NameIndex()
    for name in names:
        found = index.match(name)
        if found is None:
            index.add(len(groups), [name])
            groups.append([name])
        else:
            index.add(found[0], [name])  # a later spelling may be closer to this one
            groups[found[0]].append(name)
    return groups
