"""Message text from Jinja templates in prompts/: user text is escaped by construction."""

from __future__ import annotations

from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined

# Slack decodes only these three entities; escaping them makes <!channel>, <@U…>,
# <#C…> and <url|text> appear literally and notify or link nobody.
SLACK_ENTITIES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


class Mrkdwn(str):
    """Text the app wrote itself (a mention, a link it built): reposted as is."""


def escape(text: object) -> str:
    """Escape user text for Slack mrkdwn and plain text alike."""
    if isinstance(text, Mrkdwn):
        return text
    return str(text).translate(SLACK_ENTITIES)


def shorten(text: str, limit: int, *, more: str = "…") -> str:
    """Cut text to at most `limit` characters, visibly (the full text stays in the database)."""
    return text if len(text) <= limit else text[: max(limit - len(more), 0)] + more


def escape_within(text: object, limit: int) -> str:
    """User text escaped, then cut visibly so the *escaped* text fits, never mid-entity."""
    escaped = escape(text)
    if len(escaped) <= limit:
        return escaped
    cut = escaped[: max(limit - 1, 0)]
    entity = cut.rfind("&")
    if entity != -1 and ";" not in cut[entity:]:
        cut = cut[:entity]
    return cut + "…"


def _finalize(value: object) -> object:
    """Every {{ expression }} is escaped unless the app marked it as its own mrkdwn."""
    if value is None or isinstance(value, Mrkdwn):
        return value
    return escape(value)


@cache
def environment() -> Environment:
    """The one Jinja environment over prompts/messages (built on first use, not at import)."""
    env = Environment(
        loader=PackageLoader("prompts", "messages"),
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
