"""Suggest new themes from what unthemed discoveries keep saying (pure).

Each discovery's outcome and gap are read in the language they are most likely in: its words
as stems, without stop words, and each pair of neighbouring words (a phrase). A word or phrase
that recurs in enough discoveries, at enough accounts, may name a theme; a phrase is preferred
to its words when it says as much, and suggestions that mostly cover the same discoveries
are made once. The rules (how many, how often, the stop words) are prompts/theme_suggestions.yaml.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, Protocol

from bot.domain.added_themes import theme_key
from bot.domain.stems import Language, Phrase, likely, words
from prompts import load_mapping, location

FILE = "theme_suggestions.yaml"
SHORTEST = 4  # letters a single word needs to suggest a theme ("cost" yes, "app" no)
PHRASE_WORD = 3  # letters each word of a phrase needs
OVERLAP = 0.5  # a suggestion sharing more of its discoveries with a better one is left out
COVERED = 2 / 3  # a word most of whose discoveries a suggested phrase holds adds nothing
FORMS = 3  # phrases kept per suggestion: its commonest written forms


class SuggestionsError(Exception):
    """theme_suggestions.yaml is wrong; the message names the file and the key."""


@dataclass(frozen=True)
class SuggestionRules:
    """How themes are suggested, as the admin set it."""

    route: str = "product"
    weeks: int = 4
    most: int = 3
    at_least: int = 3
    accounts: int = 2
    stopwords: Mapping[str, frozenset[str]] = field(default_factory=dict)


class Unthemed(Protocol):
    """A discovery no theme matched, as the suggestions read it."""

    id: int
    account: str
    outcome: str
    gap: str


@dataclass(frozen=True)
class Suggestion:
    """A theme to consider: its label, its phrases in one language, and what it would hold."""

    key: str
    label: str
    language: str
    phrases: tuple[str, ...]
    discoveries: int
    accounts: int
    example: str  # the outcome of one of its discoveries
    ids: tuple[int, ...] = ()


@dataclass
class _Seen:
    """A word or phrase (as stems) and where it was written."""

    language: str
    stems: Phrase
    ids: set[int] = field(default_factory=set)
    accounts: set[str] = field(default_factory=set)
    forms: Counter[str] = field(default_factory=Counter)
    in_outcome: set[int] = field(default_factory=set)  # the discoveries whose outcome says it
    example: str = ""


def suggest_themes(
    discoveries: Iterable[Unthemed], *, languages: Sequence[Language], rules: SuggestionRules,
    taken: Iterable[str] = (),
) -> list[Suggestion]:  # fmt: skip
    """Up to `rules.most` new themes, most recurring first; none when nothing recurs enough.
    `taken`: the keys (and labels) of the themes there are, which a suggestion never repeats."""
    seen = _count(discoveries, languages, rules)
    recurring = [
        s for s in seen.values()
        if len(s.ids) >= rules.at_least and len(s.accounts) >= rules.accounts
    ]  # fmt: skip
    # Most discoveries first; then what customers want (their outcomes) before what is in
    # the way, a phrase before a word, more accounts before fewer.
    recurring.sort(
        key=lambda s: (-len(s.ids), -len(s.in_outcome), -len(s.stems), -len(s.accounts), s.stems)
    )
    chosen: list[_Seen] = []
    for candidate in recurring:
        if len(chosen) == rules.most:
            break
        if not any(_overlaps(candidate, other) for other in chosen) and not _covered(
            candidate, recurring
        ):
            chosen.append(candidate)
    names = {name.lower() for name in taken}
    return [_suggestion(s, names) for s in chosen if _label(s).lower() not in names]


def _count(
    discoveries: Iterable[Unthemed], languages: Sequence[Language], rules: SuggestionRules
) -> dict[tuple[str, Phrase], _Seen]:
    seen: dict[tuple[str, Phrase], _Seen] = {}
    for discovery in discoveries:
        texts = [t for t in (discovery.outcome, discovery.gap) if t]
        found = likely(tuple(languages), " ".join(texts))
        if not found:
            continue
        language = found[0]
        stop = language.stopwords | rules.stopwords.get(language.code, frozenset())
        account = " ".join(discovery.account.lower().split())
        for at, text in enumerate(texts):  # a phrase never spans the outcome and the gap
            for stems, form in _terms(language, text, stop):
                item = seen.get((language.code, stems))
                if item is None:  # made once per term, not per occurrence: 2,000 texts a digest
                    item = seen[(language.code, stems)] = _Seen(language.code, stems)
                item.ids.add(discovery.id)
                if at == 0 and discovery.outcome:
                    item.in_outcome.add(discovery.id)
                item.accounts.add(account)
                item.forms[form] += 1
                item.example = item.example or discovery.outcome
    return seen


def _terms(language: Language, text: str, stop: frozenset[str]) -> list[tuple[Phrase, str]]:
    """The text's words and neighbouring pairs that may name a theme, as stems and as written."""
    written = words(text)
    stems = [_stem(language, word) for word in written]  # one stem per word, in order
    keep = [w.isalpha() and w not in stop for w in written]  # no numbers, no stop words
    terms = [
        ((stems[i],), written[i]) for i in range(len(written))
        if keep[i] and len(written[i]) >= SHORTEST
    ]  # fmt: skip
    terms += [
        ((stems[i], stems[i + 1]), f"{written[i]} {written[i + 1]}")
        for i in range(len(written) - 1)
        if keep[i] and keep[i + 1] and min(len(written[i]), len(written[i + 1])) >= PHRASE_WORD
        and stems[i] != stems[i + 1]
    ]  # fmt: skip
    return list(dict.fromkeys(terms))  # once per text


@lru_cache(maxsize=65536)
def _stem(language: Language, word: str) -> str:
    """A word's stem in the language, as theme matching makes it (remembered: words recur)."""
    return language.stems(word)[0] if word else word


def _overlaps(candidate: _Seen, other: _Seen) -> bool:
    """Mostly the same discoveries, or a word the other already says."""
    shared = len(candidate.ids & other.ids)
    return shared > OVERLAP * len(candidate.ids) or bool(set(candidate.stems) & set(other.stems))


def _covered(candidate: _Seen, recurring: list[_Seen]) -> bool:
    """A single word whose discoveries a recurring phrase with it mostly holds: the phrase says
    it better ("audit" where "audit trail" recurs)."""
    if len(candidate.stems) > 1:
        return False
    return any(
        len(other.stems) > 1 and candidate.stems[0] in other.stems
        and len(other.ids & candidate.ids) >= COVERED * len(candidate.ids)
        for other in recurring
    )  # fmt: skip


def _label(seen: _Seen) -> str:
    form = seen.forms.most_common(1)[0][0]
    return form[:1].upper() + form[1:]


def _suggestion(seen: _Seen, taken: set[str]) -> Suggestion:
    label = _label(seen)
    phrases = tuple(form for form, _n in seen.forms.most_common(FORMS))
    return Suggestion(
        theme_key(label, taken), label, seen.language, phrases, len(seen.ids),
        len(seen.accounts), seen.example, tuple(sorted(seen.ids)),
    )  # fmt: skip


# --- loading ------------------------------------------------------------------------------------


def current_suggestion_rules() -> SuggestionRules:
    """The rules of the prompts in use (read once per copy of prompts/)."""
    return _rules_at(location())


@cache
def _rules_at(directory: Path | None) -> SuggestionRules:
    return load_suggestion_rules()


def load_suggestion_rules(path: Path | None = None) -> SuggestionRules:
    """Read and check prompts/theme_suggestions.yaml (or the file at `path`)."""
    data, source = load_mapping(FILE, path=path, error=SuggestionsError)
    if not isinstance(data, dict):
        raise SuggestionsError(f"{source}: expected route, weeks, most, at_least and stopwords")
    numbers = {name: _number(data, name, source) for name in ("weeks", "most", "at_least",
                                                                "accounts")}  # fmt: skip
    route = data.get("route")
    if not isinstance(route, str) or not route:
        raise SuggestionsError(f"{source}: route: expected a route id, like product")
    return SuggestionRules(route=route, stopwords=_stopwords(data.get("stopwords"), source),
                           **numbers)  # fmt: skip


def _number(data: Mapping[str, Any], name: str, source: str) -> int:
    value = data.get(name, getattr(SuggestionRules, name))
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise SuggestionsError(f"{source}: {name}: expected a whole number of at least 1")
    return value


def _stopwords(raw: Any, source: str) -> dict[str, frozenset[str]]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise SuggestionsError(f"{source}: stopwords: expected lists by language, like en: […]")
    found = {}
    for code, terms in raw.items():
        if not isinstance(terms, list) or not all(isinstance(t, str) for t in terms):
            raise SuggestionsError(f"{source}: stopwords.{code}: expected a list of words")
        found[str(code)] = frozenset(word for term in terms for word in words(term))
    return found
