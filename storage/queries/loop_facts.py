"""Each discovery's loop facts kept on its row: first answered, actioned, closed and realised,
its current routes' furthest answer, the routes it is on now.

The coaches' 12-week trend read every discovery of those weeks with its status changes and
current routes (230,000 at 20,000 a week: a nested index lookup per discovery, 1.3–2.7 s of a
build at 1,000,000). Kept here, written by one statement from the discovery's own history in
the transaction of every change (settle, a stage move, a submission), the trend reads one
index range of discoveries. The same statement backfills the table (migration 0024).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlmodel import Session, col

from storage.enums import DiscoveryStatus
from storage.models import Discovery, DiscoveryRoute, StageChange, StatusChange

Status = DiscoveryStatus
REACHED = (Status.ACKNOWLEDGED, Status.ACTIONED, Status.DECLINED)
CLOSED = (Status.ACTIONED, Status.DECLINED)
FACTS = ("answered_at", "actioned_at", "closed_at", "realised_at", "furthest_answer", "routes_now")


def refresh_loop_facts(*, session: Session, discovery_id: int) -> None:
    """Write the discovery's loop facts from its history and routes as they are now."""
    session.flush()
    statement = sa.update(Discovery).where(col(Discovery.id) == discovery_id)
    session.exec(statement.values(**loop_fact_values(session.get_bind().dialect.name)))


def backfill_loop_facts(connection: Connection, ids: tuple[int, int] | None = None) -> None:
    """Write the loop facts of every discovery, or of those with ids in [first, last] (migration
    0024; bulk loads such as the bench, a batch a transaction)."""
    statement = sa.update(Discovery).values(**loop_fact_values(connection.dialect.name))
    if ids is not None:
        statement = statement.where(col(Discovery.id).between(*ids))
    connection.execute(statement)


def loop_fact_values(dialect: str) -> dict[str, Any]:
    """The facts as subqueries correlated with the discovery being updated (updated_at kept:
    its onupdate would say the discovery changed when only its facts were written)."""
    return {
        "updated_at": col(Discovery.updated_at),
        "answered_at": _first_change(col(StatusChange.from_status) == Status.NEW, REACHED),
        "actioned_at": _first_change(sa.true(), (Status.ACTIONED,)),
        "closed_at": _first_change(sa.true(), CLOSED),
        "realised_at": sa.select(sa.func.min(col(StageChange.at)))
        .where(col(StageChange.discovery_id) == col(Discovery.id), col(StageChange.realised))
        .scalar_subquery(),
        # Lexically "actioned" > "acknowledged": max() is the furthest of the two. The status
        # is filtered inside the aggregate, not in WHERE: there SQLite's planner took the
        # (status, created_at) index and read every answered route once per discovery (a
        # 100,000-row backfill ran over ten minutes; each refresh read half the table).
        "furthest_answer": _current_routes(sa.func.max(_answered(col(DiscoveryRoute.status)))),
        "routes_now": _current_routes(_joined(dialect, col(DiscoveryRoute.route))),
    }


def _first_change(extra: Any, to: tuple[Status, ...]) -> Any:
    """When the discovery first changed to one of `to` (re-routes aside), or NULL."""
    return (
        sa.select(sa.func.min(col(StatusChange.at)))
        .where(col(StatusChange.discovery_id) == col(Discovery.id))
        .where(col(StatusChange.rerouted_to).is_(None), col(StatusChange.to_status).in_(to), extra)
        .scalar_subquery()
    )


def _current_routes(aggregate: Any) -> Any:
    """An aggregate over the discovery's current routes, as a correlated subquery."""
    return (
        sa.select(aggregate)
        .where(col(DiscoveryRoute.discovery_id) == col(Discovery.id))
        .where(col(DiscoveryRoute.rerouted_to).is_(None))
        .scalar_subquery()
    )


def _answered(status: Any) -> Any:
    """The status when it is an answer that stands (acknowledged or actioned), else NULL."""
    return sa.case((status.in_((Status.ACKNOWLEDGED, Status.ACTIONED)), status))


def _joined(dialect: str, column: Any) -> Any:
    """The values comma-joined (in no set order: readers split them)."""
    if dialect == "postgresql":
        return sa.func.string_agg(column, ",")
    return sa.func.group_concat(column, ",")


def routes_of(routes_now: str | None) -> list[str]:
    """The route ids in a routes_now value."""
    return routes_now.split(",") if routes_now else []
