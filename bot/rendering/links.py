"""Links the app builds from URLs people gave: http(s) only, within Slack's length, never able
to break out of the <url|label> syntax."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from bot.rendering.fitting import LABEL_LIMIT, clip
from bot.rendering.text import Mrkdwn, render

URL_LIMIT = 1000
_LINKABLE = re.compile(r"https?://\S+", re.IGNORECASE)


def link_as(url: str | None, label: str) -> Mrkdwn | None:
    """A <url|label> link the app built, for http(s) URLs only; None when unsafe or too long."""
    url = (url or "").strip()
    if not _LINKABLE.fullmatch(url) or len(url) > URL_LIMIT:
        return None
    # | ends the URL part of a link and < > end the link: percent-encode them instead.
    safe = url.replace("|", "%7C").replace("<", "%3C").replace(">", "%3E").replace("&", "&amp;")
    return Mrkdwn(render("card_link.md.j2", url=Mrkdwn(safe), label=label))


def link_to(url: str | None) -> Mrkdwn | None:
    """A safe link to an http(s) URL someone gave, labelled with its host; None otherwise."""
    url = (url or "").strip()
    try:
        host = urlsplit(url).hostname if _LINKABLE.fullmatch(url) else None
    except ValueError:  # e.g. an unclosed [IPv6 bracket
        host = None
    return link_as(url, clip(host, LABEL_LIMIT)) if host else None
