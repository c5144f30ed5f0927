"""What a typed answer names: the persona who cares ("the CFO"), an event's owner ("owner is Jane Roe")."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.domain.opener import people
from bot.domain.opener.lexicon import Lexicon, current_lexicon, fold, words_pattern
from bot.domain.opener.text import plain, read_story, typed_story

_BREAKS = r"[,;|\n(){}\[\]]|\s[-–—]\s|[–—]"  # between the parts of a typed answer
_SEPARATORS = re.compile(rf"\s*(?:{_BREAKS}|:(?=\s))\s*")
_NAME_END = re.compile(rf"\s*(?:{_BREAKS})")  # a colon may follow a cue: not the name's end
_MOST_NAME_WORDS = 4  # "Jane Roe", "Dr. Jane van Roe": a name, not a sentence
_NAME_WORD = re.compile(r"[A-ZÀ-Þ][\w'’.-]*")


@dataclass(frozen=True)
class Owner:
    """The owner named in a typed answer, and the span to leave out of the rest of it."""

    name: str
    start: int
    end: int


def persona_of(text: str, lexicon: Lexicon | None = None) -> str | None:
    """The persona a typed answer names ("the CFO" → executive, "the admins" → technical owner)."""
    lexicon = lexicon or current_lexicon()
    story = read_story(text, lexicon)
    return people.who_cares(story, people.find_roles(story, lexicon), lexicon)


def segments(text: str) -> list[tuple[int, int]]:
    """The spans between separators (commas, dashes, brackets, semicolons), without spacing."""
    spans, begin = [], 0
    for separator in _SEPARATORS.finditer(text):
        spans.append((begin, separator.start()))
        begin = separator.end()
    spans.append((begin, len(text)))
    return [(a, b) for a, b in spans if text[a:b].strip()]


def find_owner(
    text: str, lexicon: Lexicon | None = None, *, skip: tuple[int, int] = (0, 0)
) -> Owner | None:
    """Who owns the event in a typed answer: a name or role after a cue ("owner is Jane Roe",
    "owned by the CFO"), else a part that is only a role or a name ("CFO, audit, 15 March"),
    else a role inside a part ("the CFO signs at the renewal"), the part then kept as it is.
    The span `skip` (the date) is no owner."""
    lexicon = lexicon or current_lexicon()
    parts = [(a, b) for a, b in segments(text) if not (a >= skip[0] and b <= skip[1])]
    return (
        _after_cue(text, lexicon, skip)
        or _whole_part(text, parts, lexicon)
        or _role_inside(text, lexicon, skip)
    )


def owner_answer(text: str, lexicon: Lexicon | None = None) -> str:
    """A typed owner, as kept: the role or name without a cue or article ("the CFO" → "CFO")."""
    lexicon = lexicon or current_lexicon()
    text = plain(text).strip(" .,;:!?")
    found = _after_cue(text, lexicon, (0, 0))
    return _without_article(found.name if found else text, lexicon)


def _cues(lexicon: Lexicon) -> re.Pattern[str]:
    return lexicon.built(
        "owner_cues", lambda lex: re.compile(words_pattern(lex.words("owner_cues")) + r"\s*:?\s*")
    )


def _after_cue(text: str, lexicon: Lexicon, skip: tuple[int, int]) -> Owner | None:
    """The name after an owner cue, to the end of its part (or the date)."""
    folded = fold(text)
    for cue in _cues(lexicon).finditer(folded):
        if skip[0] <= cue.start() < skip[1]:
            continue
        stop = _NAME_END.search(text, cue.end())
        end = stop.start() if stop else len(text)
        end = skip[0] if cue.end() <= skip[0] < end else end
        name = _without_article(text[cue.end() : end].strip(" .!?"), lexicon)
        if name:
            return Owner(name, _article_before(text, cue.start(), lexicon), end)
    return None


def _article_before(text: str, start: int, lexicon: Lexicon) -> int:
    """Where "the owner is" starts: the article in front of the cue goes with it."""
    before = re.search(r"(\S+)\s+$", text[:start])
    return (
        before.start(1) if before and fold(before[1]) in lexicon.words("owner_articles") else start
    )


def _whole_part(text: str, parts: list[tuple[int, int]], lexicon: Lexicon) -> Owner | None:
    """A part that is only a role ("the CFO") or a name ("Jane Roe"), and names no pressure."""
    story = typed_story(text, lexicon)
    roles = [r for r in people.find_roles(story, lexicon) if _owns(r, lexicon)]
    for start, end in parts:
        written = _without_article(text[start:end].strip(" .!?"), lexicon)
        role = next((r for r in roles if start <= r.start and r.end <= end), None)
        if role is not None and written.lower() == role.text.lower():
            return Owner(role.text, start, end)
        if _is_name(written, lexicon):
            return Owner(written, start, end)
    return None


def _role_inside(text: str, lexicon: Lexicon, skip: tuple[int, int]) -> Owner | None:
    """A role that speaks for the money, named anywhere: recorded, the words left as written."""
    story = typed_story(text, lexicon)
    roles = [r for r in people.find_roles(story, lexicon) if _owns(r, lexicon)]
    roles = [r for r in roles if not skip[0] <= r.start < skip[1]]
    return Owner(roles[0].text, roles[0].start, roles[0].start) if roles else None


def _owns(role: people.Role, lexicon: Lexicon) -> bool:
    return role.persona in lexicon.words("owner_personas")


def _is_name(written: str, lexicon: Lexicon) -> bool:
    """Two to four capitalised words that name no pressure: "Jane Roe", not "Board Decides"."""
    words = written.split()
    if not 2 <= len(words) <= _MOST_NAME_WORDS or not all(_NAME_WORD.fullmatch(w) for w in words):
        return False
    pressures = lexicon.built(
        "pressure_words",
        lambda lex: re.compile(
            words_pattern(w for ws in lex.groups("pressures").values() for w in ws)
        ),
    )
    return pressures.search(fold(written)) is None and not any(c.isdigit() for c in written)


def _without_article(text: str, lexicon: Lexicon) -> str:
    """ "the CFO" → "CFO", "for their head of finance" → "head of finance"."""
    text = text.strip()
    while True:
        head, _, rest = text.partition(" ")
        if not rest or fold(head) not in lexicon.words("owner_articles"):
            return text
        text = rest.strip()


def event_rest(
    text: str, day: tuple[int, int], lexicon: Lexicon | None = None
) -> tuple[str, str | None]:
    """A typed event's pressure and owner, its date at `day` (in any order: "CFO, audit, 15 March",
    "board meeting 2027-02-10 — owner is Jane Roe"). A date and owner written as parts of their
    own are left out of the pressure; a date inside a sentence stays in the scout's words."""
    lexicon = lexicon or current_lexicon()
    owner = find_owner(text, lexicon, skip=day)
    kept = [True] * len(text)
    if owner is not None:
        kept[owner.start : owner.end] = [False] * (owner.end - owner.start)
    start, end = _with_deadline_word(text, day, lexicon)
    part = next(((a, b) for a, b in segments(text) if a <= day[0] < b), (start, end))
    inside = _left(text, kept, part[0], start).strip() and _left(text, kept, end, part[1]).strip()
    if not inside:  # the date is a part of its own, or starts or ends one
        kept[start:end] = [False] * (end - start)
    return _tidy(_left(text, kept, 0, len(text))), owner.name if owner else None


def _left(text: str, kept: list[bool], start: int, end: int) -> str:
    """The text from start to end, each character taken out as a space."""
    return "".join(c if k else " " for c, k in zip(text[start:end], kept[start:end], strict=True))


def pressure_and_owner(text: str, lexicon: Lexicon | None = None) -> tuple[str, str | None]:
    """A pressure typed on its own (a form's field), and the owner it names, if any."""
    return event_rest(text, (len(text), len(text)), lexicon)


def _with_deadline_word(text: str, day: tuple[int, int], lexicon: Lexicon) -> tuple[int, int]:
    """The date's span with the word that leads to it ("audit ON 15 March", "bis zum 31. März")."""
    start, end = day
    for words in (2, 1):
        found = re.search(rf"((?:\S+\s+){{{words}}})$", text[:start])
        if found and fold(found[1].strip()) in lexicon.words("deadline_words"):
            return found.start(1), end
    return start, end


def _tidy(text: str) -> str:
    """What is left once parts are taken out: no empty brackets, doubled separators or spacing."""
    text = re.sub(r"\(\s*\)|\[\s*\]", " ", text)
    text = re.sub(r"\s*([,;|])(?:\s*[,;|])+", r"\1", text)
    text = re.sub(r"\s+([,;|:])", r"\1", text)
    text = re.sub(r"[ \t]{2,}", " ", text)
    return text.strip(" \t\n,;:|-–—.")
