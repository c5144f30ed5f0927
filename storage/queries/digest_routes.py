"""A week's figures for every route channel at once: each query groups by the current route.

Asked route by route, three route digests ran every query three times, each reading the
whole week (bench/digest.py at 1,000,000 discoveries: nine theme queries over the week's
20,000 discoveries). Here each figure reads the week once and ranks within each route
(ROW_NUMBER … PARTITION BY route), so what one figure costs does not grow with the routes.
A discovery on two routes counts on both; one re-routed away counts on its new route only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlmodel import Session, col

from storage.enums import DiscoveryStatus
from storage.models import Discovery, DiscoveryRoute, StatusChange
from storage.queries.digest_figures import (
    CLOSED,
    LINE_COLUMNS,
    REACHED,
    DiscoveryLine,
    LoopLine,
    ScoutCount,
    ThemeGroup,
    changed_between,
    logged_between,
    routed,
    theme_values,
)
from storage.queries.supporters import total_value, with_supporters

T = TypeVar("T")
Status = DiscoveryStatus
ROUTE = col(DiscoveryRoute.route)
LOOP_COLUMNS = (
    col(StatusChange.discovery_id), col(Discovery.account), col(Discovery.scout_user_id),
    col(StatusChange.to_status), col(StatusChange.actor_user_id), col(StatusChange.at),
    col(StatusChange.outcome_kind), col(StatusChange.note), col(StatusChange.link),
)  # fmt: skip


def _by_route(rows: Iterable[Any], make: Callable[[Any], T]) -> dict[str, list[T]]:
    """Rows that carry a `route` column, made into values and gathered per route (a route id
    is data: a route with no rows has no entry, and the caller reads it as empty)."""
    grouped: dict[str, list[T]] = {}
    for row in rows:
        grouped.setdefault(row.route, []).append(make(row))
    return grouped


def _first(session: Session, query: Any, order: Iterable[Any], limit: int, *within: Any) -> Any:
    """The rows of `query` ranked by `order` within each route (and `within`), up to `limit`."""
    rank = sa.func.row_number().over(partition_by=(ROUTE, *within), order_by=tuple(order))
    ranked = query.add_columns(ROUTE.label("route"), rank.label("rank")).subquery()
    listed = sa.select(ranked).where(ranked.c.rank <= limit)
    return session.exec(listed.order_by(ranked.c.route, ranked.c.rank)).all()


def _week_changes(start: datetime, end: datetime, to: tuple[Status, ...], team_id: str | None) -> Any:
    """A workspace's status changes to one of `to` in [start, end), with their discovery, on
    each current route."""
    discovery = col(StatusChange.discovery_id)
    joined = sa.select().select_from(StatusChange).join(Discovery, col(Discovery.id) == discovery)
    return routed(joined, discovery).where(changed_between(start, end, to, team_id))


# --- counts -------------------------------------------------------------------------------------


def changes_per_route(
    *, session: Session, team_id: str | None, start: datetime, end: datetime
) -> dict[str, dict[Status, int]]:
    """Per route: how many discoveries were acknowledged, actioned, declined in [start, end)."""
    discovery = col(StatusChange.discovery_id)
    query = sa.select(ROUTE, col(StatusChange.to_status), sa.func.count(sa.distinct(discovery)))
    query = query.select_from(StatusChange).join(Discovery, col(Discovery.id) == discovery)
    query = routed(query, discovery).where(changed_between(start, end, REACHED, team_id))
    counts: dict[str, dict[Status, int]] = {}
    for route, status, count in session.exec(query.group_by(ROUTE, col(StatusChange.to_status))):
        counts.setdefault(route, dict.fromkeys(REACHED, 0))[Status(status)] = count
    return counts


# --- lists --------------------------------------------------------------------------------------


def themes_per_route(
    *, session: Session, team_id: str | None, start: datetime, end: datetime, per_theme: int
) -> dict[str, list[ThemeGroup]]:
    """Per route: discoveries logged in [start, end) by theme, biggest first, each with its first few."""
    themes = theme_values(session)
    base = routed(sa.select().select_from(Discovery).join(themes, sa.true()))
    base = base.where(logged_between(start, end, team_id))
    items: dict[tuple[str, str], list[DiscoveryLine]] = {}
    for row in _first_per_theme(session, base, themes, per_theme):
        items.setdefault((row.route, row.theme), []).append(
            DiscoveryLine(*row[: len(LINE_COLUMNS)])
        )
    groups: dict[str, list[ThemeGroup]] = {}
    for (route, theme), (count, accounts, names) in _accounts(session, base, themes, per_theme):
        shown = tuple(items.get((route, theme), ()))
        groups.setdefault(route, []).append(ThemeGroup(theme, count, accounts, shown, tuple(names)))
    return {
        route: sorted(found, key=lambda g: (-g.count, g.theme)) for route, found in groups.items()
    }


def _first_per_theme(session: Session, base: Any, themes: Any, limit: int) -> Any:
    """The first `limit` discoveries of each route and theme, by time logged.

    Only ids are ranked (ROW_NUMBER over the week's rows); the wide columns (the outcome's
    text) are read for the few listed, not carried through the sort of every row.
    """
    order = (col(Discovery.created_at), col(Discovery.id))
    rank = sa.func.row_number().over(partition_by=(ROUTE, themes.c.value), order_by=order)
    ranked = base.add_columns(
        col(Discovery.id).label("id"), ROUTE.label("route"), themes.c.value.label("theme"),
        rank.label("rank"),
    ).subquery()  # fmt: skip
    listed = sa.select(*LINE_COLUMNS, ranked.c.route, ranked.c.theme)
    listed = listed.join(ranked, ranked.c.id == Discovery.id).where(ranked.c.rank <= limit)
    return session.exec(listed.order_by(ranked.c.route, ranked.c.theme, ranked.c.rank)).all()


def _accounts(
    session: Session, base: Any, themes: Any, limit: int
) -> Iterable[tuple[tuple[str, str], tuple[int, int, list[str]]]]:
    """Per (route, theme): its discoveries, its distinct accounts, the first few of them.

    One pass: the week's (route, theme, account) groups, then window sums over each route
    and theme. An account is told apart ignoring case and spaces, shown as one spelling.
    """
    account = sa.func.lower(sa.func.trim(col(Discovery.account)))
    pairs = base.add_columns(
        ROUTE.label("route"), themes.c.value.label("theme"), sa.func.count().label("n"),
        sa.func.min(sa.func.trim(col(Discovery.account))).label("name"),
        sa.func.min(col(Discovery.created_at)).label("seen"),
    ).group_by(ROUTE, themes.c.value, account).subquery()  # fmt: skip
    key = (pairs.c.route, pairs.c.theme)
    ranked = sa.select(
        *key, pairs.c.name, sa.func.sum(pairs.c.n).over(partition_by=key).label("count"),
        sa.func.count().over(partition_by=key).label("accounts"),
        sa.func.row_number().over(partition_by=key, order_by=(pairs.c.seen, pairs.c.name))
        .label("rank"),
    ).subquery()  # fmt: skip
    query = sa.select(ranked).where(ranked.c.rank <= limit)
    found: dict[tuple[str, str], tuple[int, int, list[str]]] = {}
    for row in session.exec(query.order_by(ranked.c.route, ranked.c.theme, ranked.c.rank)):
        entry = found.setdefault((row.route, row.theme), (int(row.count), row.accounts, []))
        entry[2].append(row.name)
    return found.items()


def largest_per_route(
    *, session: Session, team_id: str | None, start: datetime, end: datetime, limit: int
) -> dict[str, list[DiscoveryLine]]:
    """Per route: the discoveries of [start, end) worth most in the base currency (a band at its
    midpoint), so 40k EUR, $300k and ¥5M compare as the same money."""
    value = total_value()  # with its supporters' value: demand at several accounts adds up
    columns = with_supporters(LINE_COLUMNS)
    query = routed(sa.select(*columns))
    query = query.where(logged_between(start, end, team_id), value.is_not(None))
    order = (value.desc(), col(Discovery.id))
    rows = _first(session, query, order, limit)
    return _by_route(rows, lambda row: DiscoveryLine(*row[: len(LINE_COLUMNS)]))


def closed_per_route(
    *, session: Session, team_id: str | None, start: datetime, end: datetime, limit: int
) -> dict[str, tuple[int, list[LoopLine]]]:
    """Per route: discoveries actioned or declined in [start, end), how many, the first few."""
    changes = _week_changes(start, end, CLOSED, team_id)
    discovery = col(StatusChange.discovery_id)
    counted = changes.add_columns(ROUTE, sa.func.count(sa.distinct(discovery))).group_by(ROUTE)
    counts = dict(session.exec(counted).all())
    order = (col(StatusChange.at), col(StatusChange.id))
    rows = _first(session, changes.add_columns(*LOOP_COLUMNS), order, limit)
    lines = _by_route(rows, lambda row: LoopLine(*row[:9]))
    return {route: (counts.get(route, 0), lines.get(route, [])) for route in counts.keys() | lines}


def thanked_per_route(
    *, session: Session, team_id: str | None, start: datetime, end: datetime, limit: int
) -> dict[str, tuple[int, list[ScoutCount]]]:
    """Per route: scouts whose discoveries were actioned in [start, end), how many, the most-actioned."""
    scout = col(Discovery.scout_user_id)
    actioned = sa.func.count(sa.distinct(col(StatusChange.discovery_id)))
    pairs = _week_changes(start, end, (Status.ACTIONED,), team_id).add_columns(
        ROUTE.label("route"), scout.label("scout"), actioned.label("actioned")
    ).group_by(ROUTE, scout).subquery()  # fmt: skip
    ranked = sa.select(
        pairs, sa.func.count().over(partition_by=pairs.c.route).label("scouts"),
        sa.func.row_number().over(
            partition_by=pairs.c.route, order_by=(pairs.c.actioned.desc(), pairs.c.scout)
        ).label("rank"),
    ).subquery()  # fmt: skip
    query = sa.select(ranked).where(ranked.c.rank <= limit).order_by(ranked.c.route, ranked.c.rank)
    found: dict[str, tuple[int, list[ScoutCount]]] = {}
    for row in session.exec(query):
        scouts = found.get(row.route, (0, []))[1]
        scouts.append(ScoutCount(row.scout, row.actioned))
        found[row.route] = (row.scouts, scouts)
    return found
