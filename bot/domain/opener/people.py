"""Who is named in an opener: roles, the persona who cares, and the owner of the event."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.domain.opener.lexicon import Lexicon, words_pattern
from bot.domain.opener.text import Story

# After these, the department or area belongs to the role: "head of finance", "VP Sales".
_TAKES_AREA = re.compile(r"^(?:head|director|directora|directeur|directrice|jefe|jefa|chef|cheffe|vp|svp|evp|"
                         r"vice president|leiter|leiterin|gerente|gerentes|responsable|abteilungsleiter|"
                         r"abteilungsleiterin)(?: of| de| des| du)?$")  # fmt: skip
_LOWER_AREA = re.compile(r"^(?:vp|svp|evp|responsable)$|(?: of| de| des| du)$")
_AREA = re.compile(
    r"(\s+(?:of|de|des|du|del)\s+(?:la\s+|los\s+|las\s+)?|\s+)([\w&]+)(?:\s+([\w&]+))?"
)
_NOT_AREA = frozenset(
    [
        "the",
        "their",
        "our",
        "and",
        "is",
        "are",
        "was",
        "says",
        "said",
        "wants",
        "want",
        "needs",
        "need",
        "who",
        "to",
        "at",
        "in",
        "on",
        "for",
        "with",
        "by",
        "from",
        "that",
        "says",
        "sagt",
        "dit",
        "dice",
        "est",
        "es",
        "ist",
        "a",
        "de",
        "du",
        "des",
        "del",
        "la",
        "le",
        "el",
        "of",
    ]
)
# A word in front says which: "store managers", "HR director", "regional manager".
_TAKES_KIND = re.compile(
    r"(?:manager|managers|director|directors|supervisor|supervisors|lead|leads)$"
)
_KIND = re.compile(r"([\w&-]+)\s+$")
_NOT_KIND = frozenset(
    [
        "the",
        "their",
        "our",
        "a",
        "an",
        "his",
        "her",
        "its",
        "and",
        "or",
        "der",
        "die",
        "das",
        "le",
        "la",
        "les",
        "el",
        "los",
        "las",
        "su",
        "sus",
        "de",
        "of",
        "to",
        "at",
        "with",
        "for",
        "by",
        "from",
        "is",
        "are",
        "was",
        "who",
        "that",
        "whose",
        "new",
    ]
)


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


def find_roles(story: Story, lexicon: Lexicon) -> list[Role]:
    """Every role named after the greeting, in order."""
    pattern, table = lexicon.built("roles", _role_table)
    capitals = set(lexicon.words("role_abbreviations"))
    stop = lexicon.built(
        "area_stop", lambda lex: set(lex.words("want_cues")) | set(lex.table("roles"))
    )
    roles = []
    for match in pattern.finditer(story.folded, story.start):
        word, written = _normal(match[0]), story.text[match.start() : match.end()]
        if word == "it" and written != "IT":
            continue  # the pronoun
        roles.append(_with_area(story, match, table[word], capitals, stop))
    return roles


def _with_area(
    story: Story, match: re.Match[str], persona: str, capitals: set[str], stop: set[str]
) -> Role:
    end, text = match.end(), story.text[match.start() : match.end()]
    role = _normal(match[0])
    if _TAKES_AREA.search(role) and (area := _AREA.match(story.text, end)):
        lower = bool(_LOWER_AREA.search(role) or area[1].strip())
        if _area_word(area[2], stop) and (lower or area[2][:1].isupper()):
            second = area[3] and _area_word(area[3], stop) and (lower or area[3][:1].isupper())
            end = area.end(3) if second else area.end(2)
            text = story.text[match.start() : end]
    if _normal(match[0]) in capitals:
        text = match[0].upper() + story.text[match.end() : end]
    start = match.start()
    kind = _KIND.search(story.text, max(0, start - 30), start)
    single = " " not in _normal(match[0])
    if single and _TAKES_KIND.search(_normal(match[0])) and kind and _is_kind(kind[1]):
        start = kind.start(1)
        text = story.text[start:end]
    return Role(text, persona, start, end)


def _is_kind(word: str) -> bool:
    return word.lower() not in _NOT_KIND and len(word) > 1 and not word.endswith(("'s", "’s", "'"))


def _area_word(word: str, stop: set[str]) -> bool:
    folded = word.lower()
    return folded not in _NOT_AREA and folded not in stop and not folded.isdigit()


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
    for span in story.sentences():
        if span[0] <= start < span[1] or span[0] < end <= span[1]:
            return span
    return start, end
