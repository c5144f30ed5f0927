"""Value by theme: per theme, its accounts, discoveries, value in the base currency, the change
against the period before, and its strongest quote; and one theme's discoveries.

Bounded by time: every query reads the discoveries logged in a range of `created_at` (indexed),
however many there are in all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

from storage.models import Discovery
from storage.queries.digest_figures import live, on_route, theme_values


@dataclass(frozen=True)
class ThemeValue:
    """One theme's discoveries in a period, their value, and the same figures the period before."""

    theme: str
    discoveries: int
    accounts: int
    value: Decimal  # in the base currency; bands at their midpoint
    value_before: Decimal  # the period before, as long
    quote: str | None = None  # the evidence of its most valuable discovery that has some
    quote_account: str | None = None


@dataclass(frozen=True)
class ThemeDiscovery:
    """One discovery of a theme, as the drill-down lists it."""

    id: int
    account: str
    outcome: str
    value_base: Decimal | None
    value_amount: Decimal | None
    status: str
    created_at: datetime


def value_by_theme(
    *, session: Session, start: datetime, end: datetime, before: datetime, route: str | None = None
) -> list[ThemeValue]:
    """Per theme: [start, end) against [before, start); most valuable first."""
    themes = theme_values(session)
    created, value = col(Discovery.created_at), sa.func.coalesce(col(Discovery.value_base), 0)
    now = created >= start
    account = sa.func.lower(sa.func.trim(col(Discovery.account)))
    query = sa.select(
        themes.c.value.label("theme"),
        sa.func.count(sa.case((now, col(Discovery.id)))).label("discoveries"),
        sa.func.count(sa.distinct(sa.case((now, account)))).label("accounts"),
        sa.func.sum(sa.case((now, value), else_=0)).label("value"),
        sa.func.sum(sa.case((now, 0), else_=value)).label("value_before"),
    ).select_from(Discovery).join(themes, sa.true())  # fmt: skip
    query = on_route(query, route).where(created >= before, created < end, live())
    rows = session.exec(query.group_by(themes.c.value)).all()
    quotes = _quotes(session, start, end, route)
    found = [
        ThemeValue(row.theme, row.discoveries, row.accounts, Decimal(row.value or 0),
                   Decimal(row.value_before or 0), *quotes.get(row.theme, (None, None)))
        for row in rows if row.discoveries
    ]  # fmt: skip
    return sorted(found, key=lambda t: (-t.value, -t.discoveries, t.theme))


def _quotes(
    session: Session, start: datetime, end: datetime, route: str | None
) -> dict[str, tuple[str, str]]:
    """Per theme: the evidence of its most valuable discovery of [start, end) that has some."""
    themes = theme_values(session)
    order = (sa.nulls_last(col(Discovery.value_base).desc()), col(Discovery.created_at).desc())
    rank = sa.func.row_number().over(partition_by=themes.c.value, order_by=order)
    ranked = sa.select(
        themes.c.value.label("theme"), col(Discovery.id).label("id"), rank.label("rank")
    ).select_from(Discovery).join(themes, sa.true())  # fmt: skip
    ranked = on_route(ranked, route).where(
        col(Discovery.created_at) >= start, col(Discovery.created_at) < end, live(),
        col(Discovery.evidence).is_not(None),
    ).subquery()  # fmt: skip
    query = sa.select(ranked.c.theme, col(Discovery.evidence), col(Discovery.account))
    query = query.join(ranked, ranked.c.id == Discovery.id).where(ranked.c.rank == 1)
    return {row.theme: (row.evidence, row.account) for row in session.exec(query)}


def theme_discoveries(
    *, session: Session, theme: str, start: datetime, end: datetime, limit: int
) -> tuple[int, list[ThemeDiscovery]]:
    """How many discoveries of [start, end) carry the theme, and the most valuable few."""
    themes = theme_values(session)
    where = (col(Discovery.created_at) >= start, col(Discovery.created_at) < end, live(),
             themes.c.value == theme)  # fmt: skip
    base = sa.select().select_from(Discovery).join(themes, sa.true()).where(*where)
    count = session.exec(base.add_columns(sa.func.count())).one()[0]
    query = base.add_columns(*_DRILL_COLUMNS).order_by(
        sa.nulls_last(col(Discovery.value_base).desc()), col(Discovery.created_at).desc()
    )
    rows = session.exec(query.limit(limit)).all()
    return count, [ThemeDiscovery(*row) for row in rows]


_DRILL_COLUMNS: tuple[Any, ...] = (
    col(Discovery.id), col(Discovery.account), col(Discovery.outcome),
    col(Discovery.value_base), col(Discovery.value_amount), col(Discovery.status),
    col(Discovery.created_at),
)  # fmt: skip
