"""The week's discoveries read once, light, and grouped here by current route and theme.

Per route and theme, SQL exploded each row's themes (json_each) and joined its current routes
(discovery_routes), once for the counts and accounts and once for the first few listed: 0.34 s
of CPU per build on SQLite at 20,000 a week (bench/digest.py, 1,000,000 discoveries). The
themes and the routes it is on now (storage.queries.loop_facts) are on each discovery's row:
one index range of the week, grouped in Python, then the few listed are read by id.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from functools import cache
from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlmodel import Session, col

from storage.models import Discovery
from storage.queries.digest_figures import (
    LINE_COLUMNS,
    DiscoveryLine,
    ThemeGroup,
    logged_between,
    theme_values,
)
from storage.queries.loop_facts import routes_of


class WeekRow(NamedTuple):
    """One discovery of the week as its theme tables read it (a tuple: 20,000 frozen
    dataclasses took longer to make than the query took to run)."""

    id: int
    seen: Any  # created_at as the database orders it (compared, never shown)
    account_key: str  # lower(trim(account)), in the database's own lower()
    account: str  # trim(account)
    themes: tuple[str, ...]
    routes: tuple[str, ...]  # its current routes
    value_base: Decimal | None = None
    until: bool = True  # logged before week_rows' `until`


def week_rows(
    *, session: Session, team_id: str | None, start: datetime, end: datetime,
    until: datetime | None = None,
) -> list[WeekRow]:  # fmt: skip
    """The workspace's live discoveries logged in [start, end), in the order they were logged
    (created_at, then id); each says whether it was logged before `until` (value by theme
    counts the week to now)."""
    created, trimmed = col(Discovery.created_at), sa.func.trim(col(Discovery.account))
    query = sa.select(
        col(Discovery.id), sa.type_coerce(created, sa.String), sa.func.lower(trimmed), trimmed,
        sa.cast(col(Discovery.themes), sa.Text), col(Discovery.routes_now),
        col(Discovery.value_base), created < (until or end),
    ).where(logged_between(start, end, team_id))  # fmt: skip
    query = query.order_by(col(Discovery.created_at), col(Discovery.id))
    # A week holds a few distinct theme lists and route sets: each is parsed once (the
    # themes fetched as text: parsed per row, they cost more than the query).
    themes_of, on_routes = cache(_themes), cache(lambda on: tuple(routes_of(on)))
    found = session.connection().execute(query)  # plain rows: the ORM's wrapping cost as much
    return [
        WeekRow(id_, seen, key, name, themes_of(themes), on_routes(on), value, bool(until_))
        for id_, seen, key, name, themes, on, value, until_ in found
    ]


def _themes(text: str | None) -> tuple[str, ...]:
    """A themes column's elements, as json_each reads them (a lone value is one element)."""
    value = None if text is None else json.loads(text)
    if value is None:
        return ()
    return tuple(value) if isinstance(value, list) else (value,)


@dataclass
class _Group:
    count: int = 0
    first: list[int] = field(default_factory=list)
    accounts: dict[str, list[Any]] = field(default_factory=dict)  # key -> [seen, name]


def theme_groups(
    *, session: Session, rows: Iterable[WeekRow], per_theme: int
) -> dict[str, list[ThemeGroup]]:
    """Per route: the rows by theme, biggest first (then by name), each with its first
    `per_theme` discoveries and accounts (by first seen, then spelling). A discovery on two
    routes counts on both; an account is told apart ignoring case and spaces, shown by the
    least of its spellings."""
    groups: dict[tuple[str, str], _Group] = {}
    for row in rows:
        for route in row.routes:
            for theme in row.themes:
                _add(groups.setdefault((route, theme), _Group()), row, per_theme)
    lines = _lines(session, {i for group in groups.values() for i in group.first})
    found: dict[str, list[ThemeGroup]] = {}
    for (route, theme), group in groups.items():
        accounts = sorted(group.accounts.values(), key=lambda seen_name: tuple(seen_name))
        found.setdefault(route, []).append(ThemeGroup(
            theme, group.count, len(group.accounts), tuple(lines[i] for i in group.first),
            tuple(name for _, name in accounts[:per_theme]),
        ))  # fmt: skip
    return {route: sorted(g, key=lambda t: (-t.count, t.theme)) for route, g in found.items()}


def _add(group: _Group, row: WeekRow, per_theme: int) -> None:
    """Count a row in its group (rows come in the order they were logged)."""
    group.count += 1
    if len(group.first) < per_theme:
        group.first.append(row.id)
    account = group.accounts.get(row.account_key)
    if account is None:
        group.accounts[row.account_key] = [row.seen, row.account]
    elif row.account < account[1]:
        account[1] = row.account


def _lines(session: Session, ids: Sequence[int] | set[int]) -> dict[int, DiscoveryLine]:
    """The listed discoveries' lines, by id."""
    if not ids:
        return {}
    query = sa.select(*LINE_COLUMNS).where(col(Discovery.id).in_(sorted(ids)))
    return {row[0]: DiscoveryLine(*row) for row in session.exec(query)}


def value_before_per_route(
    *, session: Session, team_id: str | None, start: datetime, end: datetime
) -> dict[tuple[str, str], Any]:
    """Per current route and theme: the value of the live discoveries logged in [start, end)
    (those with one), summed per theme and set of current routes in the database."""
    themes = theme_values(session)
    on = col(Discovery.routes_now)
    query = (
        sa.select(on, themes.c.value, sa.func.sum(col(Discovery.value_base)))
        .select_from(Discovery)
        .join(themes, sa.true())
        .where(logged_between(start, end, team_id), col(Discovery.value_base).is_not(None))
        .group_by(on, themes.c.value)
    )
    values: dict[tuple[str, str], Any] = {}
    for routes, theme, value in session.exec(query):
        for route in routes_of(routes):
            values[route, theme] = values.get((route, theme), 0) + value
    return values
