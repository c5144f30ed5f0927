"""Message text from Jinja templates in prompts/: user text is escaped by construction."""

from __future__ import annotations

import re
from datetime import date
from functools import cache
from numbers import Number
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, PackageLoader, StrictUndefined

import prompts
from bot.wording import Said

# Slack decodes only these three entities; escaping them makes <!channel>, <@U…>,
# <#C…> and <url|text> appear literally and notify or link nobody.
SLACK_ENTITIES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
# Slack has no escape for its formatting marks, so user text gets look-alikes instead
# (as jsx-slack's <Escape> does): *bold*, _italic_, ~strike~ and `code` or ``` fences
# then read as typed and never reformat the message around them.
LOOKALIKES = str.maketrans({"*": "\u2217", "_": "\u02cd", "~": "\u223c", "`": "\u02cb"})
EMOJI = re.compile(r"(:[\w+'-]+:)")  # :white_check_mark: keeps its underscores
# A ">" (escaped or full-width) opening a line quotes it; an invisible soft hyphen first.
QUOTE = re.compile(r"^(?=[ \t]*(?:&gt;|\uff1e))", re.MULTILINE)
# Slack links a bare URL (and may unfurl it): a word joiner after the scheme and one-dot
# leaders for its dots leave it readable but no longer a URL.
BARE_URL = re.compile(r"\b(?:[a-z][a-z0-9+.-]*://|www\.)\S*", re.IGNORECASE)
BROADCAST = re.compile(r"@(?=(?:channel|here|everyone)\b)", re.IGNORECASE)
WORD_JOINER, ONE_DOT_LEADER, SOFT_HYPHEN = "\u2060", "\u2024", "\u00ad"
# Text holding none of these is left as it is by every rule above (most is: names, counts,
# dates): one search instead of five passes (a week's digests escape ~18,000 values).
NEEDS_ESCAPE = re.compile(r"[&<>*_~`@\uff1e]|://|www\.", re.IGNORECASE)
# Every post: the app's own links (a source message, a CRM record) never preview either.
NO_UNFURL = {"unfurl_links": False, "unfurl_media": False}


class Mrkdwn(str):
    """Text the app wrote itself (a mention, a link it built): reposted as is."""


def escape(text: object) -> str:
    """Escape user text for Slack mrkdwn and plain text alike: it mentions nobody, links
    nothing, and formats nothing (its look is kept; the database keeps it as typed)."""
    if isinstance(text, Mrkdwn):
        return text
    if isinstance(text, Said):  # the app's own sentence: only the values in it are user text
        return text.template.format(**{k: _escaped_value(v) for k, v in text.values.items()})
    text = str(text)
    return _escaped(text) if NEEDS_ESCAPE.search(text) else text


def _escaped_value(value: object) -> object:
    """A value for a text's template, escaped; numbers and dates keep their format specs."""
    return value if isinstance(value, Number | date) else escape(value)


def _escaped(text: str) -> str:
    """escape's every rule, applied in turn."""
    escaped = BARE_URL.sub(_unlinked, text.translate(SLACK_ENTITIES))
    parts = EMOJI.split(escaped)
    plain = "".join(
        part if odd % 2 else part.translate(LOOKALIKES) for odd, part in enumerate(parts)
    )
    return QUOTE.sub(SOFT_HYPHEN, BROADCAST.sub("@" + WORD_JOINER, plain))


def _unlinked(url: re.Match[str]) -> str:
    return url.group().replace("://", ":" + WORD_JOINER + "//").replace(".", ONE_DOT_LEADER)


def shorten(text: str, limit: int, *, more: str = "…") -> str:
    """Cut text to at most `limit` characters, visibly (the full text stays in the database)."""
    return text if len(text) <= limit else text[: max(limit - len(more), 0)] + more


def code_block(lines: list[str], limit: int) -> Mrkdwn:
    """Lines in a code block, shown as written (SLACK_BOT_TOKEN keeps its underscores: Slack
    formats nothing in one): only its entities are escaped, and a backtick cannot close it."""
    shown = [_cut(line.translate(SLACK_ENTITIES).replace("`", "\u02cb"), limit) for line in lines]
    return Mrkdwn("```\n" + "\n".join(shown) + "\n```")


def _cut(text: str, limit: int) -> str:
    """Cut visibly to `limit` characters, never inside an entity."""
    if len(text) <= limit:
        return text
    cut = text[: max(limit - 1, 0)]
    entity = cut.rfind("&")
    if entity != -1 and ";" not in cut[entity:]:
        cut = cut[:entity]
    return cut + "…"


def escape_within(text: object, limit: int) -> str:
    """User text escaped, then cut visibly so the *escaped* text fits, never mid-entity."""
    return _cut(escape(text), limit)


def _finalize(value: object) -> object:
    """Every {{ expression }} is escaped unless the app marked it as its own mrkdwn."""
    if value is None or isinstance(value, Mrkdwn):
        return value
    return escape(value)


def environment() -> Environment:
    """The Jinja environment over the messages of the prompts in use (built on first use)."""
    return environment_at(prompts.location())


@cache
def environment_at(location: Path | None) -> Environment:
    """The Jinja environment over the messages of a copy of prompts/ (None: the shipped one)."""
    messages = FileSystemLoader(location / "messages") if location else None
    loader = messages or PackageLoader("prompts", "messages")
    env = Environment(
        loader=loader,
        undefined=StrictUndefined,
        finalize=_finalize,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters["mention"] = lambda user_id: Mrkdwn(f"<@{escape(user_id)}>")
    env.filters["channel"] = lambda channel_id: Mrkdwn(f"<#{escape(channel_id)}>")
    return env


def render(template: str, **values: object) -> str:
    """Render one template from prompts/messages to Slack mrkdwn."""
    return environment().get_template(template).render(**values).strip()
