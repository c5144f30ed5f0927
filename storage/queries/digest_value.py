"""Value by theme: per theme, its accounts, discoveries, value in the base currency, the change
against the period before, and its strongest quote; and one theme's discoveries.

Bounded by time: every query reads the discoveries logged in a range of `created_at` (indexed),
however many there are in all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

from storage.models import Discovery, DiscoveryRoute
from storage.queries.digest_figures import live, routed, theme_values
from storage.queries.digest_week import WeekRow, value_before_per_route
from storage.queries.supporters import supporter_extras, total_value

ROUTE = col(DiscoveryRoute.route)


@dataclass(frozen=True)
class ThemeValue:
    """One theme's discoveries in a period, their value, and the same figures the period before."""

    theme: str
    discoveries: int
    accounts: int
    value: Decimal  # in the base currency; bands at their midpoint
    value_before: Decimal  # the period before, scaled to as long (an average week of four)
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
    *, session: Session, team_id: str | None, start: datetime, end: datetime, before: datetime
) -> list[ThemeValue]:
    """Per theme, every discovery: [start, end) against [before, start); most valuable first.
    team_id None: every workspace's (`/scout themes`, until its listener passes the team)."""
    return value_by_theme_per_route(session=session, team_id=team_id, start=start, end=end,
                                    before=before, per_route=False).get(None, [])  # fmt: skip


def value_by_theme_per_route(
    *, session: Session, team_id: str | None, start: datetime, end: datetime, before: datetime,
    per_route: bool = True, week: Sequence[WeekRow] | None = None,
) -> dict[str | None, list[ThemeValue]]:  # fmt: skip
    """Per current route (or None for all, not per_route) and theme, in one pass over the
    range: [start, end) against [before, start), the latter scaled to the same length (an
    average week when it is four); most valuable first.

    `week`: the week's rows (storage.queries.digest_week, `until` end), already read for the
    route digests' themes: [start, end) is counted from them, only [before, start) is read.
    """
    themes = theme_values(session)
    where = [col(Discovery.created_at) >= before, col(Discovery.created_at) < end, live(team_id)]
    if week is not None and per_route:
        rows = _grouped_with_week(session, team_id, week, (before, start))
    else:
        rows = _grouped(session, themes, where, start, per_route)
    quotes = _quotes(session, team_id, (start, end), per_route)
    scale = Decimal((end - start).total_seconds()) / Decimal((start - before).total_seconds())
    # Supporters count with their discovery: their value, and accounts it does not have yet.
    extra, added = supporter_extras(session=session, themes=themes, where=where, start=start,
                                    end=end, since=before, per_route=per_route, routed=routed)  # fmt: skip
    found: dict[str | None, list[ThemeValue]] = {}
    for route, theme, discoveries, accounts, value, value_before in rows:
        if discoveries:
            quote = quotes.get((route, theme), (None, None))
            more = extra.get((route, theme), (0, 0))
            accounts += len(added.get((route, theme), ()))
            found.setdefault(route, []).append(ThemeValue(
                theme, discoveries, accounts, Decimal(value or 0) + more[0],
                ((Decimal(value_before or 0) + more[1]) * scale).quantize(Decimal("0.01")),
                *quote,
            ))  # fmt: skip
    return {key: sorted(v, key=lambda t: (-t.value, -t.discoveries, t.theme))
            for key, v in found.items()}  # fmt: skip


Grouped = tuple[str | None, str, int, int, Any, Any]  # route, theme, discoveries, accounts, value, before


def _grouped(
    session: Session, themes: Any, where: list[Any], start: datetime, per_route: bool
) -> list[Grouped]:
    """Per route (or None) and theme, of the discoveries `where` holds: those from `start` on,
    their distinct accounts and value; the value of those before."""
    now = col(Discovery.created_at) >= start
    value = sa.func.coalesce(col(Discovery.value_base), 0)
    route = ROUTE if per_route else sa.null()
    account = sa.func.lower(sa.func.trim(col(Discovery.account)))
    query = sa.select(
        route.label("route"), themes.c.value.label("theme"),
        sa.func.count(sa.case((now, col(Discovery.id)))).label("discoveries"),
        sa.func.count(sa.distinct(sa.case((now, account)))).label("accounts"),
        sa.func.sum(sa.case((now, value), else_=0)).label("value"),
        sa.func.sum(sa.case((now, 0), else_=value)).label("value_before"),
    ).select_from(Discovery).join(themes, sa.true())  # fmt: skip
    # The period before counts only its value: its discoveries with none add nothing to read
    # (their supporters still may: `where` stays whole for them).
    counted = sa.or_(now, col(Discovery.value_base).is_not(None))
    query = (routed(query) if per_route else query).where(*where, counted)
    group = (route, themes.c.value) if per_route else (themes.c.value,)  # never GROUP BY NULL
    return [tuple(row) for row in session.exec(query.group_by(*group)).all()]  # type: ignore[misc]


def _grouped_with_week(
    session: Session, team_id: str | None, week: Sequence[WeekRow], before: tuple[datetime, datetime]
) -> list[Grouped]:
    """_grouped per route, the week counted from its rows; only the value of the period
    before is read, per theme and set of current routes (no join of the routes)."""
    counts: dict[tuple[str, str], list[Any]] = {}
    for row in week:
        if row.until:
            for route in row.routes:
                for theme in row.themes:
                    entry = counts.setdefault((route, theme), [0, set(), Decimal(0)])
                    entry[0] += 1
                    entry[1].add(row.account_key)
                    entry[2] += row.value_base or 0
    earlier = value_before_per_route(session=session, team_id=team_id, start=before[0], end=before[1])
    return [
        (route, theme, count, len(keys), value, earlier.get((route, theme)))
        for (route, theme), (count, keys, value) in counts.items()
    ]


def _quotes(
    session: Session, team_id: str | None, span: tuple[datetime, datetime], per_route: bool
) -> dict[tuple[str | None, str], tuple[str, str]]:
    """Per route and theme: the evidence of its most valuable discovery of [start, end) that
    has some. Only ids are ranked; the evidence is read for the winners."""
    themes, route = theme_values(session), ROUTE if per_route else sa.null()
    order = (sa.nulls_last(col(Discovery.value_base).desc()), col(Discovery.created_at).desc())
    parts = (route, themes.c.value) if per_route else (themes.c.value,)
    rank = sa.func.row_number().over(partition_by=parts, order_by=order)
    ranked = sa.select(
        route.label("route"), themes.c.value.label("theme"), col(Discovery.id).label("id"),
        rank.label("rank"),
    ).select_from(Discovery).join(themes, sa.true())  # fmt: skip
    ranked = (routed(ranked) if per_route else ranked).where(
        col(Discovery.created_at) >= span[0], col(Discovery.created_at) < span[1],
        live(team_id), col(Discovery.evidence).is_not(None),
    ).subquery()  # fmt: skip
    query = sa.select(
        ranked.c.route, ranked.c.theme, col(Discovery.evidence), col(Discovery.account)
    )
    query = query.join(ranked, ranked.c.id == Discovery.id).where(ranked.c.rank == 1)
    return {(row.route, row.theme): (row.evidence, row.account) for row in session.exec(query)}


def theme_discoveries(
    *, session: Session, team_id: str | None, theme: str, start: datetime, end: datetime,
    limit: int,
) -> tuple[int, list[ThemeDiscovery]]:  # fmt: skip
    """How many discoveries of [start, end) carry the theme, and the most valuable few (team_id
    None: every workspace's, as value_by_theme)."""
    themes = theme_values(session)
    where = (col(Discovery.created_at) >= start, col(Discovery.created_at) < end, live(team_id),
             themes.c.value == theme)  # fmt: skip
    base = sa.select().select_from(Discovery).join(themes, sa.true()).where(*where)
    count = session.exec(base.add_columns(sa.func.count())).one()[0]
    total = total_value()  # supporters' value counts with their discovery's
    columns = [total.label("value_base") if c is _VALUE else c for c in _DRILL_COLUMNS]
    query = base.add_columns(*columns).order_by(
        sa.nulls_last(total.desc()), col(Discovery.created_at).desc()
    )
    rows = session.exec(query.limit(limit)).all()
    return count, [ThemeDiscovery(*row) for row in rows]


_VALUE = col(Discovery.value_base)
_DRILL_COLUMNS: tuple[Any, ...] = (
    col(Discovery.id), col(Discovery.account), col(Discovery.outcome),
    _VALUE, col(Discovery.value_amount), col(Discovery.status),
    col(Discovery.created_at),
)  # fmt: skip
