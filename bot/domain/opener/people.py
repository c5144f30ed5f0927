"""Who is named in an opener: roles, the persona who cares, and the owner of the event."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.domain.opener.lexicon import Lexicon, words_pattern
from bot.domain.opener.text import Story

_MOST_KIND_WORDS = 2
_KIND = re.compile(r"([\w&-]+)\s+$")


@dataclass(frozen=True)
class _RoleWords:
    """The lexicon's words about roles, as sets."""

    with_area: frozenset[str]
    lower_area: frozenset[str]
    with_kind: frozenset[str]
    not_area: frozenset[str]
    not_kind: frozenset[str]
    capitals: frozenset[str]
    links: str  # "of", "de": between a role and its area
    area: re.Pattern[str]  # after a role: its link (or a space) and up to two words of its area


def _role_words(lexicon: Lexicon) -> _RoleWords:
    def words(key: str) -> frozenset[str]:
        return frozenset(_normal(w) for w in lexicon.words(key))

    stop = words("want_cues") | frozenset(_normal(w) for w in lexicon.table("roles"))
    links = "|".join(map(re.escape, lexicon.words("role_links")))
    joiners = "|".join(
        w.replace(" ", r"\s+") for w in map(re.escape, lexicon.words("area_joiners"))
    )
    area = re.compile(
        rf"(?P<link>\s+(?:{links})\s+(?:{'|'.join(map(re.escape, lexicon.words('articles')))}\s+)?|\s+)"
        rf"(?P<first>[\w&]+)(?:\s+(?:{joiners})\s+(?P<joined>[\w&]+)|\s+(?P<second>[\w&]+))?"
    )
    return _RoleWords(
        words("roles_with_area"), words("roles_with_lower_area"), words("roles_with_kind"),
        words("not_area") | stop, words("not_kind"), words("role_abbreviations"), links, area,
    )  # fmt: skip


@dataclass(frozen=True)
class Role:
    """A role as written (with its area), the persona it stands for, and where it is."""

    text: str
    persona: str
    start: int
    end: int


def _normal(phrase: str) -> str:
    return re.sub(r"[\s-]+", " ", phrase)


def _role_table(lexicon: Lexicon) -> tuple[re.Pattern[str], dict[str, str]]:
    table = {
        _normal(w): persona for persona, words in lexicon.groups("roles").items() for w in words
    }
    return re.compile(words_pattern(table)), table


def find_roles(story: Story, lexicon: Lexicon, *, name: tuple[int, int] = (0, 0)) -> list[Role]:
    """Every role named after the greeting, in order (none reaching back into the account's
    `name`: "globex procurement manager" is a procurement manager)."""
    pattern, table = lexicon.built("roles", _role_table)
    known = lexicon.built("role_words", _role_words)
    roles = []
    for match in pattern.finditer(story.folded, story.start):
        word, written = _normal(match[0]), story.text[match.start() : match.end()]
        if (word == "it" and written != "IT") or (roles and match.start() < roles[-1].end):
            continue  # the pronoun, or the area of the role before: "head of IT"
        roles.append(_with_kind(story, _with_area(story, match, table[word], known), known, name))
    return roles


def _with_area(story: Story, match: re.Match[str], persona: str, known: _RoleWords) -> Role:
    """The role with its area: "head of finance", "VP supply chain", "directora de atención al cliente"."""
    role = _normal(match[0]).lower()
    text = story.text[match.start() : match.end()]
    text = text.upper() if role in known.capitals else text
    base = re.sub(rf" (?:{known.links})$", "", role)
    area = known.area.match(story.text, match.end()) if base in known.with_area else None
    if area is None or not _area_word(area["first"], known):
        return Role(text, persona, match.start(), match.end())
    linked = base != role or bool(area["link"].strip())  # "head of X", "directeur des X"
    if not (linked or base in known.lower_area or area["first"][:1].isupper()):
        return Role(text, persona, match.start(), match.end())
    end = area.end("first")
    same_case = area["joined"] and area["joined"][:1].isupper() == area["first"][:1].isupper()
    if same_case and _area_word(area["joined"], known):
        end = area.end("joined")
    elif area["second"] and _second_area_word(
        area["first"], area["second"], linked or base == "vp", known
    ):
        end = area.end("second")
    return Role(text + story.text[match.end() : end], persona, match.start(), end)


def _second_area_word(first: str, second: str, lower: bool, known: _RoleWords) -> bool:
    """A second word keeps the first one's case: "VP supply chain", not "VP Maintenance presents"."""
    same_case = second[:1].isupper() == first[:1].isupper()
    return same_case and _area_word(second, known) and (lower or second[:1].isupper())


def _with_kind(story: Story, role: Role, known: _RoleWords, name: tuple[int, int]) -> Role:
    """The role with the word in front that says which: "store managers", "HR director"."""
    word = _normal(story.folded[role.start : role.end])
    if word not in known.with_kind:
        return role
    start = role.start
    for _ in range(_MOST_KIND_WORDS):  # "network ops manager"
        kind = _KIND.search(story.text, max(0, start - 30), start)
        if not kind or not _is_kind(kind[1], known) or name[0] <= kind.start(1) < name[1]:
            break
        start = kind.start(1)
    return Role(story.text[start : role.end], role.persona, start, role.end)


def _is_kind(word: str, known: _RoleWords) -> bool:
    return (
        word.lower() not in known.not_kind
        and len(word) > 1
        and not word.endswith(("'s", "’s", "'"))
    )


def _area_word(word: str | None, known: _RoleWords) -> bool:
    return bool(word) and word.lower() not in known.not_area and not word.isdigit()


def who_cares(story: Story, roles: list[Role], lexicon: Lexicon) -> str | None:
    """The persona of the role that wants something (the one before a want), else the first named."""
    if not roles:
        return None
    for want in lexicon.pattern("want_cues").finditer(story.folded, story.start):
        before = [
            r for r in roles if r.end <= want.start() and _same_sentence(story, r.end, want.start())
        ]
        if before:
            return before[-1].persona
    return roles[0].persona


def _same_sentence(story: Story, start: int, end: int) -> bool:
    return not re.search(r"[.!?\n;]", story.text[start:end])


def event_owner(
    story: Story, roles: list[Role], near: tuple[int, int] | None, lexicon: Lexicon
) -> str | None:
    """The role that owns the money: one named in the event's sentence first, else the first such role."""
    owners = [r for r in roles if r.persona in lexicon.words("owner_personas")]
    if near is not None:
        span = _sentence_around(story, *near)
        inside = [r for r in owners if span[0] <= r.start < span[1]]
        if inside:
            return _best(inside).text
    return _best(owners).text if owners else None


def _best(roles: list[Role]) -> Role:
    return next((r for r in roles if r.persona == "executive"), roles[0])


def _sentence_around(story: Story, start: int, end: int) -> tuple[int, int]:
    for span in story.spans:
        if span[0] <= start < span[1] or span[0] < end <= span[1]:
            return span
    return start, end
