"""Values in one base currency: exchange rates and band midpoints from prompts/rates.yaml (pure)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any

import prompts
from prompts import load_mapping

DEFAULT_FILE = "rates.yaml"
DEFAULT_BASE = "USD"
CURRENCY = re.compile(r"[A-Z]{3}")
CENT = Decimal("0.01")
# Compact amounts: the step, its suffix; one decimal below 100 of a step ("$42.4k", "$550k").
SCALES = ((Decimal(10) ** 9, "B"), (Decimal(10) ** 6, "M"), (Decimal(10) ** 3, "k"))

_base = DEFAULT_BASE  # chosen once at start-up, like the prompts directory


class RatesError(Exception):
    """The rates are wrong or incomplete; the message names the file and the key."""


@dataclass(frozen=True)
class Money:
    """Rates to one base currency, and what each value band counts as in it."""

    base: str
    as_of: date
    rates: Mapping[str, Decimal]  # one unit's worth in the quote currency
    midpoints: Mapping[str, Decimal]  # a band's value, in the base currency
    symbols: Mapping[str, str] = field(default_factory=dict)
    source: str = field(default=DEFAULT_FILE, compare=False)

    def convert(self, amount: Decimal, currency: str | None) -> Decimal | None:
        """The amount in the base currency (None for a currency without a rate)."""
        rate = self.rates.get((currency or "").upper())
        if rate is None:
            return None
        return (amount * rate / self.rates[self.base]).quantize(CENT, ROUND_HALF_UP)

    def value(
        self, *, band: str | None, amount: Decimal | None, currency: str | None
    ) -> Decimal | None:
        """A discovery's value in the base currency: its amount converted, else its band's midpoint."""
        if amount is not None:
            return self.convert(amount, currency)
        return self.midpoints.get(str(band)) if band else None

    def show(self, value: Decimal) -> str:
        """A base-currency value, compact: '$55k', '€1.2M', 'CHF 400'."""
        symbol = self.symbols.get(self.base)
        number = compact(value)
        return f"{symbol}{number}" if symbol else f"{self.base} {number}"


def compact(value: Decimal) -> str:
    """A number as people say it: '950', '42.4k', '550k', '1.2M', '-3k'."""
    sign, size = ("-" if value < 0 else ""), abs(value)
    for step, suffix in SCALES:
        if size >= step:
            scaled = size / step
            places = Decimal("0.1") if scaled < 100 else Decimal(1)
            digits = scaled.quantize(places, ROUND_HALF_UP).normalize()
            return f"{sign}{digits:f}{suffix}"
    return f"{sign}{size.quantize(Decimal(1), ROUND_HALF_UP)}"


# --- the rates in use -----------------------------------------------------------------------------


def use_base_currency(code: str) -> None:
    """Normalise values to this currency from now on (VALUESCOUT_BASE_CURRENCY, at start-up)."""
    global _base
    _base = code.upper()


def current_money() -> Money:
    """The rates of the prompts in use, to the base currency chosen at start-up."""
    return _cached(prompts.location(), _base)


@cache
def _cached(_location: Path | None, base: str) -> Money:
    return load_money(base=base)


# --- loading ------------------------------------------------------------------------------------


def load_money(path: Path | None = None, *, base: str = DEFAULT_BASE) -> Money:
    """Read and check prompts/rates.yaml (or the file at path) for values in `base`."""
    data, source = load_mapping(DEFAULT_FILE, path=path, error=RatesError)
    if not isinstance(data, dict):
        raise RatesError(f"{source}: expected a mapping with as_of, quoted_in, rates and bands")
    as_of = data.get("as_of")
    if not isinstance(as_of, date):
        raise RatesError(f"{source}: as_of: {as_of!r} is not a date like 2026-11-30")
    rates = _numbers(data.get("rates"), f"{source}: rates", key=_currency)
    quoted = data.get("quoted_in")
    if quoted not in rates or rates[quoted] != 1:
        raise RatesError(f"{source}: quoted_in: {quoted!r} needs a rate of 1 under rates")
    if base not in rates:
        raise RatesError(
            f"VALUESCOUT_BASE_CURRENCY {base}: {source}: rates: has no rate for {base} "
            f"(it has {', '.join(rates)})"
        )
    midpoints = _numbers(data.get("bands"), f"{source}: bands", key=_band)
    symbols = {
        _currency(code, f"{source}: symbols"): str(symbol)
        for code, symbol in _mapping(data.get("symbols"), f"{source}: symbols")
    }
    return Money(base, as_of, rates, midpoints, symbols, source)


def check_covers(money: Money, *, currencies: Iterable[str], bands: Iterable[str]) -> None:
    """Refuse rates that miss a currency the dialogue accepts or a band it offers."""
    for currency in currencies:
        if currency.upper() not in money.rates:
            raise RatesError(
                f"{money.source}: rates: no rate for {currency.upper()}, which the dialogue "
                f"accepts; add one (what one {currency.upper()} is worth)"
            )
    for band in bands:
        if band not in money.midpoints:
            raise RatesError(f"{money.source}: bands: no midpoint for the value band {band!r}")


def _mapping(raw: Any, where: str) -> Iterable[tuple[Any, Any]]:
    if not isinstance(raw, dict | None):
        raise RatesError(f"{where}: expected a mapping")
    return (raw or {}).items()


def _numbers(raw: Any, where: str, *, key: Any) -> dict[str, Decimal]:
    """A non-empty mapping of names to positive numbers."""
    if not isinstance(raw, dict) or not raw:
        raise RatesError(f"{where}: expected a mapping of names to numbers")
    found: dict[str, Decimal] = {}
    for name, number in raw.items():
        try:
            value = Decimal(str(number))
        except InvalidOperation:
            value = Decimal(0)
        if isinstance(number, bool) or not value.is_finite() or value <= 0:
            raise RatesError(f"{where}.{name}: {number!r} is not a positive number")
        found[key(name, where)] = value
    return found


def _band(name: Any, _where: str) -> str:
    return str(name)


def _currency(code: Any, where: str) -> str:
    if not isinstance(code, str) or not CURRENCY.fullmatch(code):
        raise RatesError(f"{where}.{code}: not a currency code like EUR")
    return code
