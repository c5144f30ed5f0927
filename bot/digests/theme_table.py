"""Value by theme as people read it: labels, values in the base currency, change, quote (pure)."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from bot.domain.money import Money
from bot.domain.themes import UNTHEMED, ValueNetwork

WEEKS = 4  # the period shown, and the period before it that the change compares with
QUOTE = 200  # characters of a quote shown; the evidence is kept whole
ACCOUNT = 80


class ThemeValue(Protocol):
    """A theme's figures as storage.queries.digest_value finds them (named here, not imported:
    this module stays pure, so rendering may use it)."""

    theme: str
    discoveries: int
    accounts: int
    value: Decimal
    value_before: Decimal
    quote: str | None
    quote_account: str | None


@dataclass(frozen=True)
class ThemeRow:
    """One line of the table."""

    label: str
    discoveries: int
    accounts: int
    value: str  # "$55k"
    change: str | None  # "+40%", "-10%", "new"; None when there is nothing to compare
    quote: str | None
    quote_account: str | None


def theme_rows(values: Iterable[ThemeValue], network: ValueNetwork, money: Money) -> list[ThemeRow]:
    """The rows, most valuable first, each labelled as the value network names its theme."""
    return [
        ThemeRow(
            network.label(v.theme), v.discoveries, v.accounts, money.show(v.value),
            change(v.value, v.value_before), _cut(_unquoted(v.quote), QUOTE),
            _cut(v.quote_account, ACCOUNT),
        )
        for v in values
    ]  # fmt: skip


def change(value: Decimal, before: Decimal) -> str | None:
    """The change against the period before, in whole percent; "new" when there was none."""
    if not before:
        return "new" if value else None
    percent = round((value - before) / before * 100)
    return f"{percent:+d}%"


def find_theme(network: ValueNetwork, word: str) -> str | None:
    """The theme a PM names, when the words name just one (see `themes_named`)."""
    named = themes_named(network, word)
    return named[0] if len(named) == 1 else None


def themes_named(network: ValueNetwork, word: str) -> list[str]:
    """The themes a PM's words name, best first: the whole key or label, else the start of a
    label, else the start of a word of one, else a near miss; several when the words fit several
    as well ("cost": Cost reduction; "support": only Lower support cost)."""
    wanted = " ".join(word.lower().replace("_", " ").split())
    if not wanted:
        return []
    names = {t.key: (t.key.replace("_", " "), t.label.lower()) for t in network.themes}
    names[UNTHEMED] = (UNTHEMED, "unthemed")
    tests = (
        lambda both: wanted in both,
        lambda both: any(name.startswith(wanted) for name in both),
        lambda both: any(w.startswith(wanted) for name in both for w in name.split()),
    )
    for fits in tests:
        found = [key for key, both in names.items() if fits(both)]
        if found:
            return found
    spelled = {word: key for key, both in names.items() for name in both
               for word in (name, *name.split()) if len(word) > 3}  # fmt: skip
    close = difflib.get_close_matches(wanted, list(spelled), n=1, cutoff=0.7)
    return [spelled[close[0]]] if close else []


def _unquoted(text: str | None) -> str | None:
    """The quote without the marks a scout typed around it: the table puts its own."""
    if text and len(text) > 1 and text[0] in "\"“„«'‘" and text[-1] in "\"”“»'’":
        return text[1:-1].strip()
    return text


def _cut(text: str | None, limit: int) -> str | None:
    if not text:
        return None
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
