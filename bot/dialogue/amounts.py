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
from bot.wording import say

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
        return Invalid(say("value_unreadable", text=quote(text), bands=labels))
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
        subject_ = subject(question).capitalize()
        return Invalid(say("value_band_only", subject=subject_, options=options(question)))
    before, after = _currency(match["before"]), _currency(match["after"])
    if before and after and before != after:
        return Invalid(say("value_two_currencies", text=quote(text), first=before, second=after))
    if match["minus"] or match["minus2"]:
        amount = -amount
    currency = before or after
    if currency is None:
        currencies = ", ".join(question.currencies)
        example = f"{text} {question.currencies[0]}"
        return Invalid(say("value_which_currency", example=example, currencies=currencies))
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
    return Invalid(say("value_malformed"))


def check_amount(question: Question, value: dict) -> Invalid | None:
    try:
        amount = Decimal(str(value["amount"]))
    except InvalidOperation:
        return Invalid(say("value_not_an_amount", amount=quote(str(value["amount"]))))
    if not amount.is_finite() or amount <= 0:
        return Invalid(say("value_not_positive"))
    if amount >= MAX_AMOUNT:
        return Invalid(say("value_too_large", amount=format_amount(amount)))
    if value["currency"] not in question.currencies:
        currencies = ", ".join(question.currencies)
        return Invalid(
            say("value_other_currency", currencies=currencies, currency=value["currency"])
        )
    return None


def _check_band(question: Question, band: Any) -> Invalid | None:
    if any(band == c.value for c in question.choices):
        return None
    return Invalid(say("answer_not_offered", value=quote(str(band)), options=options(question)))
