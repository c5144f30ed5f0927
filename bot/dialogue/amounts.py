"""A value: a band the scout picks, or an amount with its currency ("40k EUR", "$1.2M")."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from bot.dialogue.answer_common import (
    Invalid,
    Parsed,
    format_amount,
    match_choice,
    normal,
    options,
    quote,
    subject,
)
from bot.dialogue.definition import Question

UNKNOWN_BAND = "unknown"
MAX_AMOUNT = Decimal(10) ** 15  # the database keeps Numeric(18, 2)
SYMBOLS = {"€": "EUR", "$": "USD", "£": "GBP", "¥": "JPY"}
CURRENCY_WORDS = {"euro": "EUR", "euros": "EUR", "dollar": "USD", "dollars": "USD",
                  "pound": "GBP", "pounds": "GBP", "yen": "JPY"}  # fmt: skip
SCALES = {"k": 3, "thousand": 3, "m": 6, "mn": 6, "mio": 6, "million": 6,
          "b": 9, "bn": 9, "billion": 9}  # fmt: skip
DONT_KNOW = {"don't know", "dont know", "do not know", "unknown", "no idea", "dunno", "not sure"}

_CURRENCY = r"[€$£¥]|[a-z]{3}(?![a-z])|euros?|dollars?|pounds?|yen"
_AMOUNT = re.compile(
    rf"(?P<minus>[-−]|minus\s)?\s*(?P<before>{_CURRENCY})?\s*(?P<minus2>[-−])?\s*"
    r"(?P<number>\d(?:[\d,'.]*\d)?)\s*"
    r"(?:(?P<scale>k|mn|mio|m|bn|b|thousand|million|billion)(?![a-z]))?\.?\s*"
    rf"(?P<after>{_CURRENCY})?",
    re.IGNORECASE,
)
_HEDGES = re.compile(r"^(?:about|around|roughly|approx\.?|approximately|ca\.|~)\s*", re.I)
_PER_YEAR = re.compile(r"\s*(?:per year|a year|/\s*y(?:ea)?r|p\.?a\.?|annually|yearly)$", re.I)


def parse_value(question: Question, text: str, today: date) -> Parsed | Invalid:
    bands = [c.value for c in question.choices]
    if normal(text) in DONT_KNOW and UNKNOWN_BAND in bands:
        return Parsed({"band": UNKNOWN_BAND})
    choice = match_choice(question.choices, text)
    if choice is not None:
        return Parsed({"band": choice.value})
    match = _AMOUNT.fullmatch(_PER_YEAR.sub("", _HEDGES.sub("", text)))
    if match is None or (amount := _number(match)) is None:
        labels = ", ".join(c.label for c in question.choices)
        return Invalid(
            f"I couldn't read a value in {quote(text)}. Pick a band ({labels}) "
            "or type an amount such as 40k EUR or $1.2M."
        )
    return _amount(question, text, match, amount)


def _number(match: re.Match) -> Decimal | None:
    """The number with its scale; commas and apostrophes group thousands, a lone comma is a decimal point."""
    raw, scale = match["number"].replace("'", ""), match["scale"]
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
    return number.scaleb(SCALES[scale.lower()]) if scale else number


def _currency(token: str | None) -> str | None:
    if token is None:
        return None
    return SYMBOLS.get(token) or CURRENCY_WORDS.get(token.lower()) or token.upper()


def _amount(question: Question, text: str, match: re.Match, amount: Decimal) -> Parsed | Invalid:
    if not question.currencies:
        return Invalid(
            f"{subject(question).capitalize()} takes a band, not an amount: {options(question)}."
        )
    before, after = _currency(match["before"]), _currency(match["after"])
    if before and after and before != after:
        return Invalid(f"{quote(text)} names two currencies, {before} and {after}. Keep one.")
    if match["minus"] or match["minus2"]:
        amount = -amount
    currency = before or after
    if currency is None:
        return Invalid(
            f"Which currency is that in? Send it again with one, e.g. “{text} {question.currencies[0]}” "
            f"({', '.join(question.currencies)})."
        )
    value = {"amount": plain_amount(amount), "currency": currency}
    return check_amount(question, value) or Parsed(value)


def plain_amount(amount: Decimal) -> str:
    """As answers store it: cents at most, no exponent, no trailing zeros ('40000', '1234.5')."""
    rounded = amount.quantize(Decimal("0.01"))
    return format(rounded.normalize(), "f") if rounded else "0"


def check_value(question: Question, value: Any, today: date) -> Invalid | None:
    if isinstance(value, dict) and set(value) == {"band"}:
        return _check_band(question, value["band"])
    if isinstance(value, dict) and set(value) == {"amount", "currency"}:
        return check_amount(question, value)
    return Invalid("Pick a band, or give an amount and a currency.")


def check_amount(question: Question, value: dict) -> Invalid | None:
    try:
        amount = Decimal(str(value["amount"]))
    except InvalidOperation:
        return Invalid(
            f"{quote(str(value['amount']))} isn't an amount. Type a number such as 40000."
        )
    if not amount.is_finite() or amount <= 0:
        return Invalid("The value has to be more than zero. Type an amount, or pick a band.")
    if amount >= MAX_AMOUNT:
        return Invalid(f"{format_amount(amount)} is more than we can record. Check the amount.")
    if value["currency"] not in question.currencies:
        return Invalid(
            f"I can record amounts in {', '.join(question.currencies)}; "
            f"{value['currency']} isn't one of them. Convert the amount, or pick a band."
        )
    return None


def _check_band(question: Question, band: Any) -> Invalid | None:
    if any(band == c.value for c in question.choices):
        return None
    return Invalid(f"{quote(str(band))} isn't one of the options: {options(question)}.")
