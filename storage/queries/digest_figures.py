"""A route channel's weekly figures, aggregated in the database: counts, capped lists, no table scans.

Every query is bounded by a time range on an indexed column (discoveries.created_at,
status_changes.at) or by a LIMIT, so what comes back never grows with the table. A
discovery belongs to a route while its route row there is current (not re-routed away).
Withdrawn discoveries count nowhere: their scout took them back.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

from storage.enums import DiscoveryStatus
from storage.models import Discovery, DiscoveryRoute, StatusChange
from storage.queries._dialect import is_postgres

Status = DiscoveryStatus
REACHED = (Status.ACKNOWLEDGED, Status.ACTIONED, Status.DECLINED)
CLOSED = (Status.ACTIONED, Status.DECLINED)


@dataclass(frozen=True)
class DiscoveryLine:
    """One discovery as a digest lists it."""

    id: int
    account: str
    outcome: str
    scout_user_id: str
    created_at: datetime
    value_amount: Decimal | None = None
    value_currency: str | None = None
    value_band: str | None = None
    value_base: Decimal | None = None  # in the base currency; a band at its midpoint


@dataclass(frozen=True)
class ThemeGroup:
    """A theme's discoveries this week: how many, at how many accounts, the first few."""

    theme: str
    count: int
    account_count: int
    items: tuple[DiscoveryLine, ...] = ()
    accounts: tuple[str, ...] = ()


@dataclass(frozen=True)
class LoopLine:
    """A status change that closed (or moved) a discovery's loop, with what came of it."""

    discovery_id: int
    account: str
    scout_user_id: str
    to_status: str
    actor_user_id: str
    at: datetime
    outcome_kind: str | None = None
    note: str | None = None
    link: str | None = None
    route: str | None = None  # the team whose answer it was (None: every route, as before 0015)


@dataclass(frozen=True)
class ScoutCount:
    """A scout and how many of their discoveries something happened to."""

    scout_user_id: str
    count: int


LINE_COLUMNS = (
    col(Discovery.id),
    col(Discovery.account),
    col(Discovery.outcome),
    col(Discovery.scout_user_id),
    col(Discovery.created_at),
    col(Discovery.value_amount),
    col(Discovery.value_currency),
    col(Discovery.value_band),
    col(Discovery.value_base),
)


def of_team(team_id: str | None) -> sa.ColumnElement[bool]:
    """Discoveries of one workspace (Slack team id). None: of every workspace in the database,
    as a single-workspace deployment built its digests before they were scoped.

    A filter no index serves: where a query finds its rows by another index (changes by time,
    open cards by arrival, a scout's history), the team index on discoveries would tempt the
    planner to read the workspace's whole history (SQLite: 0.6 s per open-loop list at
    1,000,000). logged_between finds a week by the team index itself.
    """
    if team_id is None:
        return sa.true()
    return col(Discovery.team_id).concat("") == team_id


def live(team_id: str | None) -> sa.ColumnElement[bool]:
    """A workspace's discoveries that still count: not withdrawn."""
    return sa.and_(of_team(team_id), col(Discovery.status) != Status.WITHDRAWN)


def logged_between(start: datetime, end: datetime, team_id: str | None) -> sa.ColumnElement[bool]:
    """A workspace's live discoveries logged in [start, end)."""
    created = col(Discovery.created_at)
    team = sa.true() if team_id is None else col(Discovery.team_id) == team_id  # its index
    return sa.and_(team, created >= start, created < end, live(None))


def changed_between(start: datetime, end: datetime, to: tuple[Status, ...], team_id: str | None) -> Any:
    """A workspace's status changes (not re-routes) to one of `to` in [start, end): the query
    joins each change's discovery."""
    return sa.and_(
        of_team(team_id),
        col(StatusChange.at) >= start,
        col(StatusChange.at) < end,
        col(StatusChange.to_status).in_(to),
        col(StatusChange.rerouted_to).is_(None),
    )


def routed(query: Any, discovery_id: Any = None) -> Any:
    """Join each row to its discovery's current routes: one row per route it is on now.

    Given a status change's discovery_id, a change joins only the route it changed (each
    team's answer is its own) or, when it covered every route (route_id NULL), each of them.
    """
    current = sa.and_(
        col(DiscoveryRoute.discovery_id) == (discovery_id or col(Discovery.id)),
        col(DiscoveryRoute.rerouted_to).is_(None),
    )
    if discovery_id is not None:
        mine = col(StatusChange.route_id) == col(DiscoveryRoute.id)
        current = sa.and_(current, sa.or_(col(StatusChange.route_id).is_(None), mine))
    return query.join(DiscoveryRoute, current)


def on_route(query: Any, route: str | None, discovery_id: Any = None) -> Any:
    """Keep the rows whose discovery's current route is `route`; None keeps them all."""
    if route is None:
        return query
    return routed(query, discovery_id).where(col(DiscoveryRoute.route) == route)


def plan_for_digests(session: Session) -> None:
    """On PostgreSQL, plan the rest of this transaction for reads of a week through indexes."""
    if not is_postgres(session):
        return
    # Per-row subplans (the loop timing) inflate cost estimates past jit_above_cost; the JIT
    # then spent ~0.5 s compiling a query that runs in ~0.25 s (bench/digest.py, 1M rows).
    session.exec(sa.text("SET LOCAL jit = off"))
    # The default 4.0 prices a random read as a disk seek: the planner then hashed the whole
    # discovery_routes table (a scan that grows with the history) rather than look up the
    # week's 20,000 discoveries in its index. 1.1 is the usual figure for SSDs and a cached
    # working set (bench/scale.py: per-route counts 209 -> 52 ms at 1,000,000 rows).
    session.exec(sa.text("SET LOCAL random_page_cost = 1.1"))
    # Even so it hashed (or merge-joined) all of discovery_routes for the trend's 13 weeks:
    # 1.3 million rows read at 1,000,000 discoveries, 13 million at 10,000,000. Every join
    # here looks rows up by key from a bounded range, so nested loops through the indexes
    # are the plan whose cost follows the week (trend counts 1.7 s -> 0.6 s at 1,000,000).
    session.exec(sa.text("SET LOCAL enable_hashjoin = off"))
    session.exec(sa.text("SET LOCAL enable_mergejoin = off"))
    # The loop timing sorts the cohort (80,000 rows at 20,000 a week): in memory, not on disk.
    session.exec(sa.text("SET LOCAL work_mem = '32MB'"))
    # A week's ranges are small: parallel workers cost more to start and feed than they save.
    # Serial, a build at 1,000,000 took 6.1 s of CPU (app and server) against 7.0 s, in about
    # the same wall time (bench/digest.py's database, medians of 4, alternated, 2026-12-03).
    session.exec(sa.text("SET LOCAL max_parallel_workers_per_gather = 0"))


def theme_values(session: Session) -> Any:
    """The elements of discoveries.themes as a table (JSON array → rows), per dialect."""
    explode = sa.func.json_array_elements_text if is_postgres(session) else sa.func.json_each
    return explode(col(Discovery.themes)).table_valued("value", joins_implicitly=True)


def _line(row: Any) -> DiscoveryLine:
    return DiscoveryLine(*row[: len(LINE_COLUMNS)])


# --- counts -------------------------------------------------------------------------------------


def per_route_query(where: Sequence[Any], *labels: Any) -> Any:
    """SELECT route, *labels, count(*) of the discoveries matching `where`, per current route."""
    query = sa.select(col(DiscoveryRoute.route), *labels, sa.func.count()).select_from(Discovery)
    return routed(query).where(*where).group_by(col(DiscoveryRoute.route))


def per_route(*, session: Session, where: Sequence[Any], routes: Sequence[str]) -> dict[str, int]:
    """How many discoveries matching `where` each of `routes` holds now, in one grouped query."""
    counts = dict(session.exec(per_route_query(where)).all())
    return {route: counts.get(route, 0) for route in routes}


def logged_per_route(
    *, session: Session, team_id: str | None, start: datetime, end: datetime, routes: Sequence[str]
) -> dict[str, int]:
    """How many of a workspace's discoveries were logged in [start, end), per current route."""
    return per_route(session=session, where=[logged_between(start, end, team_id)], routes=routes)


def open_per_route(
    *, session: Session, team_id: str | None, before: datetime, cap: int, routes: Sequence[str]
) -> dict[str, int]:
    """How many discoveries that reached a route at or before `before` that team has not
    answered yet, per current route, counted up to `cap` + 1 (which reads "more than cap"):
    the count stops there, so a backlog that grows with the history never makes the digest
    slower."""
    counts = {}
    for route in routes:
        found = on_route(sa.select(col(Discovery.id)), route)
        found = found.where(of_team(team_id), *_still_new(before, route))
        found = found.limit(cap + 1).subquery()
        counts[route] = session.exec(sa.select(sa.func.count()).select_from(found)).one()[0]
    return counts


def _still_new(before: datetime, route: str | None) -> tuple[sa.ColumnElement[bool], ...]:
    """A route's own open loop (its status new since it arrived); with no route, a discovery
    no team has answered yet."""
    if route is None:
        return (col(Discovery.status) == Status.NEW, col(Discovery.created_at) <= before)
    return (col(DiscoveryRoute.status) == Status.NEW, col(DiscoveryRoute.created_at) <= before)


# --- lists --------------------------------------------------------------------------------------


def oldest_open(
    *, session: Session, team_id: str | None, before: datetime, route: str | None, limit: int
) -> list[DiscoveryLine]:
    """The oldest few discoveries still new that were logged at or before `before`; on a
    route, those that reached it by then, longest waiting first.

    A route's are ordered by its arrival, the column its open-loop index holds: read in
    that order, the first few found end the search (ordered by the discovery's own time,
    every open loop of the history was read and sorted: 0.4 s per route at 1,000,000).
    """
    oldest = on_route(sa.select(*LINE_COLUMNS), route)
    oldest = oldest.where(of_team(team_id), *_still_new(before, route))
    if route is None:
        order = (col(Discovery.created_at), col(Discovery.id))
    else:
        order = (col(DiscoveryRoute.created_at), col(DiscoveryRoute.id))
    oldest = oldest.order_by(*order).limit(limit)
    return [_line(row) for row in session.exec(oldest).all()]


def action_scouts(
    *, session: Session, team_id: str | None, start: datetime, end: datetime, route: str | None,
    limit: int,
) -> tuple[int, list[ScoutCount]]:  # fmt: skip
    """Scouts whose discoveries were actioned in [start, end): how many, and the most-actioned."""
    discovery = col(StatusChange.discovery_id)
    joined = sa.select().select_from(StatusChange).join(Discovery, col(Discovery.id) == discovery)
    joined = on_route(joined, route, discovery).where(
        changed_between(start, end, (Status.ACTIONED,), team_id)
    )
    scout = col(Discovery.scout_user_id)
    counted = joined.add_columns(sa.func.count(sa.distinct(scout)))
    actioned = sa.func.count(sa.distinct(discovery))
    listed = joined.add_columns(scout, actioned).group_by(scout)
    listed = listed.order_by(actioned.desc(), scout).limit(limit)
    scouts = [ScoutCount(*row) for row in session.exec(listed).all()]
    return session.exec(counted).one()[0], scouts
