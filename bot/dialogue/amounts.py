"""A value: a band the scout picks, or an amount with its currency ("40k EUR", "$1.2M", "40 000 €").

The amount grammar (numbers, scales and currency words in four languages) is the opener
reader's, in bot/domain/opener/money.py, so a typed answer reads as an opener does.
"""

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
    says_dont_know,
    subject,
)
from bot.dialogue.definition import Question
from bot.domain.opener import money
from bot.domain.opener.lexicon import Lexicon, current_lexicon, fold, words_pattern
from bot.domain.opener.money import plain_amount
from bot.wording import say

UNKNOWN_BAND = "unknown"
MAX_AMOUNT = Decimal(10) ** 15  # the database keeps Numeric(18, 2)


def _grammar(lexicon: Lexicon) -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """The typed amount (any three letters may be a currency code), hedges before, "a year" after."""
    hedges = re.compile(rf"^(?:{words_pattern(lexicon.words('hedges'))}\.?\s*)+")
    per_year = re.compile(rf"\s*{words_pattern(lexicon.words('per_year'))}\.?$")
    return money.amount_pattern(lexicon, any_code=True), hedges, per_year


def parse_value(question: Question, text: str, today: date) -> Parsed | Invalid:
    bands = [c.value for c in question.choices]
    if says_dont_know(text) and UNKNOWN_BAND in bands:
        return Parsed({"band": UNKNOWN_BAND})
    choice = match_choice(question.choices, text)
    if choice is not None:
        return Parsed({"band": choice.value})
    lexicon = current_lexicon()
    pattern, hedges, per_year = lexicon.built("typed_amount", _grammar)
    match = pattern.fullmatch(per_year.sub("", hedges.sub("", fold(text).strip())))
    match = match or _the_one_amount_in(text, lexicon)
    if match is None or (amount := money.value_of(match, lexicon)) is None:
        labels = ", ".join(c.label for c in question.choices)
        return Invalid(say("value_unreadable", text=quote(text), bands=labels))
    return _amount(question, text, match, amount)


def _amount(question: Question, text: str, match: re.Match, amount: Decimal) -> Parsed | Invalid:
    if not question.currencies:
        subject_ = subject(question).capitalize()
        return Invalid(say("value_band_only", subject=subject_, options=options(question)))
    lexicon = current_lexicon()
    before = money.currency_of(match["before"], lexicon)
    after = money.currency_of(match["after"], lexicon)
    if before and after and before != after:
        return Invalid(say("value_two_currencies", text=quote(text), first=before, second=after))
    if match["minus"] or match["minus2"]:
        amount = -amount
    currency = before or after
    if currency is None:
        refused = check_amount(
            question, {"amount": plain_amount(amount), "currency": question.currencies[0]}
        )
        if refused is not None:
            return refused
        currencies = ", ".join(question.currencies)
        example = f"{match[0].strip()} {question.currencies[0]}"
        message = say("value_which_currency", example=example, currencies=currencies)
        return Invalid(message, amount_only=plain_amount(amount))
    value = {"amount": plain_amount(amount), "currency": currency}
    return check_amount(question, value) or Parsed(value)


def currency_named(text: str) -> str | None:
    """The currency a reply names and nothing else ("EUR", "€", "dollars"), as its code."""
    lexicon = current_lexicon()
    token = fold(normal(text))
    symbols = {fold(symbol) for symbol in lexicon.table("currency_symbols")}
    named = token in lexicon.words("currency_codes") or token in lexicon.table("currency_words")
    return money.currency_of(token, lexicon) if named or token in symbols else None


def with_currency(question: Question, amount: str, currency: str) -> Parsed | Invalid:
    """An amount read before, with the currency named since."""
    value = {"amount": amount, "currency": currency}
    return check_amount(question, value) or Parsed(value)


def _the_one_amount_in(text: str, lexicon: Lexicon) -> re.Match[str] | None:
    """The amount in a sentence ("about 200k a year, maybe more"), when it holds just one: one
    with a scale or a currency, or else the only number (a year such as 2027 is no amount)."""
    pattern = lexicon.built("amounts", lambda lex: money.amount_pattern(lex, any_code=False))
    folded = fold(text)
    numbers = [m for m in pattern.finditer(folded) if m["number"] or m["word"]]
    money_like = [m for m in numbers if m["scale"] or m["before"] or m["after"]]
    found = money_like or [
        m for m in numbers if not re.fullmatch(r"(19|20)\d\d", m["number"] or "")
    ]
    if len(found) != 1:
        return None
    start = min(found[0].start(g) for g in ("before", "number", "word") if found[0][g])
    joined = [folded[m.end() : start].strip() for m in numbers if m.end() <= start]
    ranged = any(j in ("or", "oder", "ou", "o") or lexicon.pattern("range_words").fullmatch(j)
                 for j in joined)  # fmt: skip
    return None if ranged else found[0]  # "2 or 3 million", "40-50k": ask rather than guess


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
