"""The discoveries to export and their related rows, read batch by batch by id (a query per
kind of row, never one per discovery), and one discovery's record as a transaction sees it."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from bot.discoveries.export.options import Window
from bot.discoveries.export.records import Stages, discovery_record
from storage.engine import session_scope
from storage.models import (
    Account,
    Discovery,
    DiscoveryRoute,
    DiscoverySupporter,
    FollowUp,
    StageChange,
    StatusChange,
)

BATCH_SIZE = 1000


def export_records(
    *, engine: Engine, window: Window, batch_size: int = BATCH_SIZE, after: int = 0,
    team_id: str | None = None,
) -> Iterator[dict[str, Any]]:  # fmt: skip
    """Yield one plain record per discovery in the window with an id above `after`, by id,
    batch after batch; of one workspace when team_id is given (every record names its own)."""
    while True:
        # A short transaction per batch: on SQLite every transaction holds the write lock
        # (BEGIN IMMEDIATE), and a long export must not stall the bot's writes meanwhile.
        with session_scope(engine) as session:
            batch = _batch(session, window, after=after, limit=batch_size, team_id=team_id)
        yield from batch
        if len(batch) < batch_size:
            return
        after = batch[-1]["id"]


def _batch(
    session: Session, window: Window, *, after: int, limit: int, team_id: str | None
) -> list[dict[str, Any]]:
    """One batch of records: the window's discoveries with an id above `after`, by id."""
    query = select(Discovery).where(col(Discovery.id) > after)
    if team_id is not None:
        query = query.where(Discovery.team_id == team_id)
    if window.start is not None:
        query = query.where(col(Discovery.created_at) >= window.start)
    if window.end is not None:
        query = query.where(col(Discovery.created_at) < window.end)
    return _records(session, session.exec(query.order_by(col(Discovery.id)).limit(limit)).all())


def current_record(*, session: Session, discovery_id: int) -> dict[str, Any] | None:
    """One discovery's record as this transaction sees it now (its own updates included)."""
    query = select(Discovery).where(Discovery.id == discovery_id)
    discovery = session.exec(query.execution_options(populate_existing=True)).first()
    return _records(session, [discovery])[0] if discovery is not None else None


def _records(session: Session, discoveries: Sequence[Discovery]) -> list[dict[str, Any]]:
    """The discoveries' records: their routes, history, supporters, CRM ids and follow-through
    read a query each (never one per discovery)."""
    ids = [discovery.id for discovery in discoveries]
    routes = _by_discovery(session, DiscoveryRoute, ids, col(DiscoveryRoute.id))
    history = _by_discovery(session, StatusChange, ids, col(StatusChange.at), col(StatusChange.id))
    supporters = _by_discovery(session, DiscoverySupporter, ids, col(DiscoverySupporter.id))
    crm_ids = _crm_ids(session, discoveries)
    stages = _follow_through(session, ids)
    return [
        discovery_record(
            d, routes.get(d.id, []), history.get(d.id, []), crm_ids.get(d.account_id), stages,
            supporters.get(d.id, []),
        )
        for d in discoveries
    ]  # fmt: skip


def _follow_through(session: Session, ids: list[Any]) -> Stages:
    """Each actioned route's follow-up and its stage history, by route id."""
    follows = _by_discovery(session, FollowUp, ids, col(FollowUp.id))
    changes = _by_discovery(session, StageChange, ids, col(StageChange.at), col(StageChange.id))
    moves: dict[int, list[StageChange]] = {}
    for change in (c for group in changes.values() for c in group):
        moves.setdefault(change.follow_up_id, []).append(change)
    return {
        f.route_id: (f, moves.get(f.id, []))  # type: ignore[index]
        for group in follows.values()
        for f in group
    }


def _crm_ids(session: Session, discoveries: Sequence[Discovery]) -> dict[int, str | None]:
    """The CRM id of each discovery's account, by account id."""
    ids = {d.account_id for d in discoveries if d.account_id is not None}
    if not ids:
        return {}
    query = select(Account.id, Account.crm_id).where(col(Account.id).in_(ids))
    return dict(session.exec(query).all())


def _by_discovery(session: Session, model: Any, ids: list[Any], *order: Any) -> dict[int, list]:
    """The rows of model that belong to the given discoveries, grouped by discovery id."""
    grouped: dict[int, list] = {}
    if not ids:
        return grouped
    query = select(model).where(col(model.discovery_id).in_(ids)).order_by(*order)
    # Rows this session loaded before a bulk UPDATE would otherwise keep their old values.
    query = query.execution_options(populate_existing=True)
    for row in session.exec(query):
        grouped.setdefault(row.discovery_id, []).append(row)
    return grouped
