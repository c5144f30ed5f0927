"""Keep every stored value in the base currency current: when an admin changes the base currency
or the rates (prompts/rates.yaml), start-up recomputes them all, so totals never mix rates."""

from __future__ import annotations

import logging

from sqlalchemy.engine import Engine

from bot.domain.money import Money, current_money
from storage.engine import session_scope
from storage.queries.config import get_setting, set_setting
from storage.queries.values import revalue

log = logging.getLogger(__name__)
BASIS = "value_basis"  # the base currency, rates and midpoints the stored values were computed with


def keep_values_current(engine: Engine, money: Money | None = None) -> bool:
    """Recompute every discovery's value_base when the basis changed; True when it did."""
    money = money or current_money()
    basis = _basis(money)
    with session_scope(engine) as session:
        if get_setting(session=session, key=BASIS) == basis:
            return False
        factors = {code: rate / money.rates[money.base] for code, rate in money.rates.items()}
        revalue(session=session, factors=factors, midpoints=money.midpoints)
        set_setting(session=session, key=BASIS, value=basis, changed_by=None)
    log.info("values recomputed in %s with the rates as of %s", money.base, money.as_of)
    return True


def _basis(money: Money) -> dict[str, object]:
    return {
        "base": money.base,
        "as_of": money.as_of.isoformat(),
        "rates": {code: str(rate) for code, rate in sorted(money.rates.items())},
        "bands": {band: str(value) for band, value in sorted(money.midpoints.items())},
    }
