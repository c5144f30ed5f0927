"""The account an opener is about: a known account named in it (fuzzily), else a new name."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from bot.domain.opener.lexicon import Lexicon, fold, words_pattern
from bot.domain.opener.text import Story

# Pure (no SQL): the matcher and legal forms the dialogue and the accounts migration use.
from storage.account_names import LEGAL_SUFFIXES, NameIndex, compared_form

_TOKEN = re.compile(r"[\w][\w&.'’-]*")
_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")
_MOST_WORDS = 5
_CAPITALS_SHARE = 12  # one word in this many capitalised: the scout writes names with capitals


def _legal_forms() -> str:
    """The legal forms the matcher sets aside, as written after a name: "GmbH", "S.A.", "Inc."."""
    forms = sorted((f for f in LEGAL_SUFFIXES if f != "the"), key=len, reverse=True)
    return "(?i:" + "|".join(r"\.?".join(map(re.escape, form)) + r"\.?" for form in forms) + ")"


_LEGAL = _legal_forms()


@dataclass(frozen=True)
class AccountMention:
    """The account as matched: a known account's name, or a new name as written."""

    name: str
    known: bool
    start: int
    end: int


class KnownAccounts:
    """Known account names and aliases, indexed once: exact and fuzzy matches, and first words."""

    def __init__(self, known: Mapping[str, Iterable[str]] | Iterable[Any] = ()) -> None:
        """`known`: name -> aliases, or names, or records with a `name` and `aliases` (keys or attributes)."""
        pairs = (
            known.items() if isinstance(known, Mapping) else (_name_and_aliases(k) for k in known)
        )
        names = {str(name): [str(name), *map(str, aliases or ())] for name, aliases in pairs}
        self.index: NameIndex[str] = NameIndex(names)
        self.first_words: dict[str, set[str]] = {}
        for name, spellings in names.items():
            for spelling in spellings:
                words = compared_form(spelling).split()
                if len(words) > 1:
                    self.first_words.setdefault(words[0], set()).add(name)

    @staticmethod
    def names_of(known: Iterable[Any]) -> dict[str, list[str]]:
        """Names and aliases of records in any of the forms `known` takes."""
        return {str(n): list(map(str, a)) for n, a in (_name_and_aliases(k) for k in known)}


def _name_and_aliases(record: Any) -> tuple[str, Iterable[str]]:
    if isinstance(record, str):
        return record, ()
    if isinstance(record, Mapping):
        return record["name"], record.get("aliases") or ()
    return record.name, getattr(record, "aliases", None) or ()


def find_account(story: Story, known: KnownAccounts, lexicon: Lexicon) -> AccountMention | None:
    """The known account named in the story (best score, then longest, then first), else a new name."""
    joiners = set(lexicon.words("name_joiners"))
    return (
        _known(story, known.index, joiners)
        or _prefix(story, known, lexicon)
        or _new(story, lexicon)
    )


def _known(story: Story, index: NameIndex[str], joiners: set[str]) -> AccountMention | None:
    """The best window of up to five words that names a known account (score, length, first)."""
    tokens = [
        (m.start(), _POSSESSIVE.sub("", m[0]).rstrip("."))
        for m in _TOKEN.finditer(story.text, story.start)
    ]
    best: tuple[float, int, int, AccountMention] | None = None
    for first, last, fuzzy in _windows(tokens, joiners):
        name = " ".join(word for _, word in tokens[first : last + 1])
        exact = index.exact(name)
        found = (exact, 100.0) if exact is not None else index.match(name) if fuzzy else None
        if found is not None and (best is None or (found[1], last - first, -first) > best[:3]):
            start = tokens[first][0]
            best = (
                found[1],
                last - first,
                -first,
                AccountMention(found[0], True, start, start + len(name)),
            )
    return best[3] if best else None


def _windows(tokens: list[tuple[int, str]], joiners: set[str]) -> Iterator[tuple[int, int, bool]]:
    """Windows (first, last, matched fuzzily too) that may be a name: none starts or ends with
    "the". Where the scout writes capitals, only windows starting with one are matched fuzzily
    (all are matched exactly): this spares the fuzzy matcher most windows, which counts with
    thousands of accounts."""
    edges = [fold(word) not in joiners for _, word in tokens]
    capitals = _writes_capitals(tokens)
    for first, (_, word) in enumerate(tokens):
        fuzzy = not (capitals and word[:1].islower())
        for last in range(first, min(first + _MOST_WORDS, len(tokens))):
            if edges[first] and edges[last]:
                yield first, last, fuzzy


def _writes_capitals(tokens: list[tuple[int, str]]) -> bool:
    capitalised = sum(word[:1].isupper() and not word.isupper() for _, word in tokens)
    return capitalised >= max(2, len(tokens) // _CAPITALS_SHARE)


def _prefix(story: Story, known: KnownAccounts, lexicon: Lexicon) -> AccountMention | None:
    """A name written as the first word of one known account only: "Tyrell" is Tyrell Systems."""
    vocabulary = _vocabulary(lexicon)
    for match in _TOKEN.finditer(story.text, story.start):
        word = _POSSESSIVE.sub("", match[0]).rstrip(".")
        form = compared_form(word)
        if len(form) < 4 or form in vocabulary or not (word[:1].isupper() or story.text.islower()):
            continue
        names = known.first_words.get(form, set())
        if len(names) == 1:
            return AccountMention(next(iter(names)), True, match.start(), match.start() + len(word))
    return None


def _name_forms(lexicon: Lexicon) -> list[re.Pattern[str]]:
    """Where a new name is written, most telling first: with a legal form, before "'s", before a
    colon or dash, opening a sentence, after "at"/"bei"/"chez"."""
    inner = "|".join(map(re.escape, sorted(lexicon.raw["name_inner_words"], key=len, reverse=True)))
    word = r"(?:[A-Z][\w&.-]*[\w&]|[A-Z])"
    name = rf"{word}(?:\s+(?:{word}|{_LEGAL}|{inner})(?=[\s,.;:!?'’]|$)){{0,4}}"
    cues = f"(?i:{words_pattern(lexicon.words('name_cues'))})"
    forms = (
        rf"(?P<name>(?:[A-Z][\w&.-]*\s+){{1,3}}{_LEGAL})(?!\w)",
        rf"(?P<name>{name})(?:'s|’s|')\s",
        rf"(?P<name>{name})\s*(?::|\s[—–-])\s",
        rf"(?:^|[.!?:\n]\s*)(?P<name>{name})\s+(?=[a-z])",
        rf"{cues}\s+(?P<name>{name})",
    )
    return [re.compile(form) for form in forms]


def _new(story: Story, lexicon: Lexicon) -> AccountMention | None:
    vocabulary = _vocabulary(lexicon)
    for form in lexicon.built("name_forms", _name_forms):
        for match in form.finditer(story.text[story.start :]):
            name = _cleaned(match["name"], vocabulary, set(lexicon.words("name_joiners")))
            if name:
                start = story.start + match.start("name")
                return AccountMention(name, False, start, start + len(name))
    return None


def _vocabulary(lexicon: Lexicon) -> set[str]:
    def build(lex: Lexicon) -> set[str]:
        words = {
            fold(w)
            for group in ("roles", "pressures")
            for ws in lex.groups(group).values()
            for w in ws
        }
        words |= {w for month in lex.months for w in month} | set(lex.words("greetings"))
        return (
            words
            | set(lex.words("want_cues"))
            | set(lex.words("currency_codes"))
            | set(lex.words("not_names"))
        )

    return lexicon.built("name_vocabulary", build)


def _cleaned(name: str, vocabulary: set[str], joiners: set[str]) -> str | None:
    """The name without leading sentence words; None when nothing like a company remains."""
    words = name.split()
    while words and (fold(words[0]).strip(".") in vocabulary or fold(words[0]) in joiners):
        words = words[1:]
    while words and (fold(words[-1]).strip(".") in vocabulary or fold(words[-1]) in joiners):
        words = words[:-1]  # "Globex CFO wants …": the role is not part of the name
    if not words or re.fullmatch(r"Q\d|[A-Z]\d+", words[0]) or len(" ".join(words)) < 2:
        return None
    return " ".join(words)
