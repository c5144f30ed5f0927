"""What a follow-through stage's modal reads: an amount (with the opener's money grammar) or a
web link, checked before any stage moves."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlsplit

from bot.domain.opener import money as grammar
from bot.domain.opener.lexicon import current_lexicon, fold

URL_LIMIT = 2000
REASON_LIMIT = 1000
MAX_AMOUNT = Decimal(10) ** 15  # the database keeps Numeric(18, 2)


@dataclass(frozen=True)
class Amount:
    """An amount typed for a won stage, and its currency (the base one when none was typed)."""

    amount: Decimal
    currency: str


def read_amount(text: str, *, base: str) -> Amount | None:
    """ "50k EUR", "$1.2M", "40 000 €" or "120000" (in the base currency); None if unreadable,
    not positive or too large."""
    lexicon = current_lexicon()
    match = grammar.amount_pattern(lexicon, any_code=True).fullmatch(fold(text).strip())
    if match is None or match["minus"] or match["minus2"]:
        return None
    value = grammar.value_of(match, lexicon)
    if value is None or not 0 < value < MAX_AMOUNT:
        return None
    before = grammar.currency_of(match["before"], lexicon)
    after = grammar.currency_of(match["after"], lexicon)
    if before and after and before != after:
        return None
    return Amount(value.quantize(Decimal("0.01")), (before or after or base).upper())


def read_link(text: str) -> str | None:
    """An http(s) link with a host and no spaces, within Slack's limits; None if not one."""
    url = text.strip()
    if not url or len(url) > URL_LIMIT or any(char.isspace() for char in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme in ("http", "https") and parts.hostname else None
