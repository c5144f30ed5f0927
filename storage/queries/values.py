"""Every discovery's value in the base currency, recomputed in SQL when the base currency or the
rates change: a statement per currency and per band, whatever the number of discoveries."""

from collections.abc import Mapping
from decimal import Decimal

import sqlalchemy as sa
from sqlmodel import Session, col, update

from storage.models import Discovery


def revalue(
    *, session: Session, factors: Mapping[str, Decimal], midpoints: Mapping[str, Decimal]
) -> None:
    """Amounts times their currency's factor (None for a currency without one); a band without
    an amount at its midpoint."""
    amount, currency = col(Discovery.value_amount), col(Discovery.value_currency)
    unchanged = {"updated_at": col(Discovery.updated_at)}  # a new rate is not an edit: no onupdate
    for code, factor in factors.items():
        converted = sa.func.round(amount * sa.literal(factor, sa.Numeric(28, 12)), 2)
        session.exec(update(Discovery).where(currency == code).values(value_base=converted, **unchanged))
    unknown = amount.is_not(None) & (currency.is_(None) | currency.not_in(list(factors)))
    session.exec(update(Discovery).where(unknown).values(value_base=None, **unchanged))
    for band, midpoint in midpoints.items():
        chosen = (col(Discovery.value_band) == band) & amount.is_(None)
        session.exec(update(Discovery).where(chosen).values(value_base=midpoint, **unchanged))
