"""How account names compare: legal suffixes and punctuation stripped, then a fuzzy score.

Pure (no SQL), and in storage so that the migration that links discoveries to accounts
groups their old free-text names exactly as the dialogue matches new ones.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import TypeVar

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


def compared_form(name: str) -> str:
    """The name as compared: accents, punctuation and legal suffixes gone, case-folded."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    words = re.sub(r"[^\w\s]|_", " ", plain.replace("&", " and ")).casefold().split()
    kept = [word for word in words if word not in LEGAL_SUFFIXES]
    return " ".join(kept or words)  # "The Company" alone stays a name


def best_match(typed: str, names: Mapping[Key, Iterable[str]]) -> tuple[Key, float] | None:
    """The key whose name or alias is closest to `typed` (an exact form first), or None."""
    wanted = compared_form(typed)
    if not wanted:
        return None
    forms = {(key, i): compared_form(n) for key, ns in names.items() for i, n in enumerate(ns)}
    exact = next((key for (key, _i), form in forms.items() if form == wanted), None)
    if exact is not None:
        return exact, 100.0
    found = process.extractOne(
        wanted, forms, scorer=fuzz.token_sort_ratio, score_cutoff=MATCH_CUTOFF
    )
    return (found[2][0], found[1]) if found else None


def group_names(names: Iterable[str]) -> list[list[str]]:
    """Names grouped by match, in order of first appearance; each group's first is its name."""
    groups: dict[int, list[str]] = {}
    for name in names:
        found = best_match(name, groups)
        if found is None:
            groups[len(groups)] = [name]
        else:
            groups[found[0]].append(name)
    return list(groups.values())
