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
    changed_between,
    logged_between,
    routed,
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
