"""What supporters add to the totals: a discovery's value with its supporters', and per route
and theme the supporters' value and accounts (they count in the period of their discovery)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

from storage.enums import DiscoveryStatus
from storage.models import Discovery, DiscoveryRoute, DiscoverySupporter

CHUNK = 5000  # ids per IN list: far below every backend's limit on bound parameters
Group = tuple[str | None, str]  # (route, or None for all; theme)


def supporters_value() -> Any:
    """The summed value of the discovery's supporters (NULL when none has one): a correlated
    lookup by ix_discovery_supporters_discovery_id, so a week's ranking stays a week's work."""
    supporters = sa.select(sa.func.sum(col(DiscoverySupporter.value_base)))
    return (
        supporters.where(col(DiscoverySupporter.discovery_id) == col(Discovery.id))
        .correlate(Discovery)
        .scalar_subquery()
    )


def total_value() -> Any:
    """A discovery's value with its supporters', in the base currency; NULL when none has one."""
    own, theirs = col(Discovery.value_base), supporters_value()
    return sa.func.coalesce(own + theirs, own, theirs)


def with_supporters(columns: Sequence[Any]) -> list[Any]:
    """Line columns whose value is the total with the supporters'; a total of several accounts
    has no one amount or band "as given" (shown as the approximate sum it is)."""
    given = (col(Discovery.value_amount), col(Discovery.value_currency), col(Discovery.value_band))
    alone = supporters_value().is_(None)
    return [
        total_value().label("value_base") if c is col(Discovery.value_base)
        else sa.case((alone, c), else_=sa.null()).label(c.key) if any(c is g for g in given)
        else c
        for c in columns
    ]  # fmt: skip


def account_key(column: Any) -> Any:
    """An account name as totals compare it (as value by theme counts accounts)."""
    return sa.func.lower(sa.func.trim(column))


def supporter_extras(
    *, session: Session, themes: Any, where: list[Any], start: datetime, end: datetime,
    since: datetime, per_route: bool, routed: Any,
) -> tuple[dict[Group, list[Decimal]], dict[Group, set[str]]]:  # fmt: skip
    """Per group: the supporters' value [now, before] and, for discoveries of [start, end), the
    accounts they add that no discovery of the group already has. Discoveries of [since, end)
    count (not withdrawn); so do supporters added since (they came after their discovery)."""
    supporters: dict[int, list[tuple[str, Decimal]]] = {}
    recent = sa.select(
        col(DiscoverySupporter.discovery_id), account_key(col(DiscoverySupporter.account)),
        sa.func.coalesce(col(DiscoverySupporter.value_base), 0),
    ).where(col(DiscoverySupporter.created_at) >= since)  # fmt: skip
    for discovery_id, account, value in session.exec(recent):
        supporters.setdefault(discovery_id, []).append((account, Decimal(value)))
    values: dict[Group, list[Decimal]] = {}
    accounts: dict[Group, set[str]] = {}
    for row in _groups_of(session, themes, per_route, routed, list(supporters)):
        at = row.created_at if row.created_at.tzinfo else row.created_at.replace(tzinfo=UTC)
        if not since <= at < end or row.status == DiscoveryStatus.WITHDRAWN:
            continue
        key, now = (row.route, row.theme), at >= start
        pair = values.setdefault(key, [Decimal(0), Decimal(0)])
        for account, value in supporters[row.id]:
            pair[0 if now else 1] += value
            if now:
                accounts.setdefault(key, set()).add(account)
    if accounts:
        named = {name for names in accounts.values() for name in names}
        recent_only = col(Discovery.created_at) >= start
        _drop_own(session, themes, where, recent_only, per_route, routed, accounts, named)
    return values, accounts


def _groups_of(session, themes, per_route, routed, ids):
    """The (route, theme) of each of these discoveries, looked up by id (a few): the range is
    checked on the rows, so SQLite never prefers scanning it over the primary key."""
    route = col(DiscoveryRoute.route) if per_route else sa.null()
    query = sa.select(
        col(Discovery.id).label("id"), route.label("route"), themes.c.value.label("theme"),
        col(Discovery.created_at).label("created_at"), col(Discovery.status).label("status"),
    ).select_from(Discovery).join(themes, sa.true())  # fmt: skip
    query = routed(query) if per_route else query
    for chunk in range(0, len(ids), CHUNK):
        yield from session.exec(query.where(col(Discovery.id).in_(ids[chunk : chunk + CHUNK])))


def _drop_own(session, themes, where, now, per_route, routed, accounts, named) -> None:
    """Leave out the supporters' accounts that a discovery of the same group has itself (only
    those names are looked up: as few as there are supporters)."""
    route = col(DiscoveryRoute.route) if per_route else sa.null()
    key = account_key(col(Discovery.account))
    query = (
        sa.select(route.label("route"), themes.c.value.label("theme"), key.label("account"))
        .select_from(Discovery).join(themes, sa.true())
    )  # fmt: skip
    query = (routed(query) if per_route else query).where(*where, now, key.in_(sorted(named)))
    for row in session.exec(query.distinct()).all():
        accounts.get((row.route, row.theme), set()).discard(row.account)
