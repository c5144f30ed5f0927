"""Amounts in free text ("$250k a year", "40 000 €", "1,2 Mio CHF", "2 millions d'euros") and bands."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from bot.domain.opener.lexicon import Lexicon, fold, words_pattern

_SPACED = r"\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:[.,]\d+)?(?!\d)"
NUMBER = rf"(?:{_SPACED}|\d(?:[\d,'.]*\d)?)"
BANDS = (("under_10k", Decimal(10_000)), ("10k_100k", Decimal(100_000)),
         ("100k_1m", Decimal(1_000_000)), ("over_1m", None))  # fmt: skip


@dataclass(frozen=True)
class Amount:
    """An amount found in the text: its value, currency (if said) and where it is."""

    value: Decimal
    currency: str | None
    start: int
    end: int
    per_year: bool = False
    scaled: bool = False
    edge: str | None = None  # "above" or "below": the amount is a band's edge ("over $1M")


def _symbols(lexicon: Lexicon) -> str:
    return "|".join(
        re.escape(fold(s)) for s in sorted(lexicon.table("currency_symbols"), key=len, reverse=True)
    )


def _joined(words: Iterable[str]) -> str:
    """Phrases that may follow a digit directly ("250k", "200k€"), each ending a word."""
    return words_pattern(words).removeprefix(r"(?<![\w])")


def amount_pattern(lexicon: Lexicon, *, any_code: bool) -> re.Pattern[str]:
    """Sign, currency, number (or number word), scale, currency: on folded text."""
    codes = r"[a-z]{3}(?![a-z])" if any_code else _joined(lexicon.words("currency_codes"))
    currency = f"{_symbols(lexicon)}|{codes}"
    words = _joined(lexicon.table("currency_words"))
    scaled = _joined(lexicon.table("scaled_currencies"))
    numbers = words_pattern(lexicon.table("number_words"))
    scales = _joined(lexicon.table("scales"))
    return re.compile(
        rf"(?P<minus>[-−]|minus\s)?\s*(?P<before>{currency})?\s*(?P<minus2>[-−])?\s*"
        rf"(?:(?P<number>{NUMBER})|(?P<word>{numbers}))\s*"
        rf"(?:(?P<scale>{scales})\.?)?\s*"
        rf"(?P<after>{scaled}|{currency}|{words})?"
    )


def read_number(raw: str, scale: str | None, lexicon: Lexicon) -> Decimal | None:
    """The number with its scale; commas and apostrophes group thousands, a lone comma is a decimal point."""
    raw = raw.replace("'", "")
    if re.fullmatch(_SPACED, raw):
        raw = re.sub(r"[ \u00a0\u202f]", "", raw)
    if re.fullmatch(r"[1-9]\d{0,2}(,\d{3})+(\.\d+)?", raw):
        raw = raw.replace(",", "")
    elif re.fullmatch(r"[1-9]\d{0,2}(\.\d{3})+(,\d+)?", raw) and not scale:
        raw = raw.replace(".", "").replace(",", ".")  # 40.000,50 written the European way
    elif re.fullmatch(r"\d+,\d{1,2}", raw):
        raw = raw.replace(",", ".")
    try:
        number = Decimal(raw)
    except InvalidOperation:
        return None
    return number.scaleb(scale_of(scale, lexicon)) if scale else number


def scale_of(word: str, lexicon: Lexicon) -> int:
    return int(lexicon.table("scales")[fold(word).rstrip(".")])


def currency_of(token: str | None, lexicon: Lexicon) -> str | None:
    """The ISO code a symbol, word or code names."""
    if not token:
        return None
    token = fold(token).strip()
    symbols = {fold(k): v for k, v in lexicon.table("currency_symbols").items()}
    scaled = lexicon.table("scaled_currencies")
    if token in scaled:
        return str(scaled[token][1])
    return symbols.get(token) or lexicon.table("currency_words").get(token) or token.upper()


def value_of(match: re.Match[str], lexicon: Lexicon) -> Decimal | None:
    """The matched amount's value (a number word counts only before a scale: "half a million")."""
    scale, after = match["scale"], fold(match["after"] or "")
    if match["word"] is not None:
        if not scale:
            return None
        number: Decimal | None = Decimal(str(lexicon.table("number_words")[match["word"]]))
        number = number.scaleb(scale_of(scale, lexicon)) if number is not None else None
    else:
        number = read_number(match["number"], scale, lexicon)
    scaled = lexicon.table("scaled_currencies").get(after)
    return number.scaleb(int(scaled[0])) if number is not None and scaled else number


def plain_amount(amount: Decimal) -> str:
    """As answers store it: cents at most, no exponent, no trailing zeros ('40000', '1234.5')."""
    rounded = amount.quantize(Decimal("0.01"))
    return format(rounded.normalize(), "f") if rounded else "0"


def band_of(value: Decimal, edge: str | None = None) -> str:
    """The value band an amount falls in (an upper edge belongs to the band below it)."""
    for band, limit in BANDS:
        if limit is None or value < limit or (edge == "below" and value == limit):
            return band
    return BANDS[-1][0]
