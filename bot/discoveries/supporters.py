"""Demand that adds up: find the open discovery a new one looks like, add an account to it as a
supporter (one transaction, once per source), and read what a discovery's supporters add up to."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from bot.discoveries.event_log import record
from bot.discoveries.route_status import lock_discovery
from bot.discoveries.service import account_link, discovery_columns
from bot.domain.events import DiscoverySupported
from bot.domain.lifecycle import OPEN
from bot.domain.supporters import Candidate, Support, backing, lookalike, lookalikes
from storage.models import Discovery, DiscoveryRoute, DiscoverySupporter
from storage.queries._dialect import insert_for, inserted_one_row

LOOKBACK = timedelta(days=180)  # as related cards: older discoveries are history
MAX_CANDIDATES = 500  # newest first: bounds the work per summary however big the team gets
VALUE_COLUMNS = ("value_band", "value_amount", "value_currency", "value_base")


@dataclass(frozen=True)
class Supported:
    """What adding a supporter did: the supporter and discovery, whether this call added it,
    and why not ("gone", "closed") when refused."""

    discovery_id: int
    account: str = ""  # the supported discovery's account
    supporter_id: int | None = None
    created: bool = False
    refused: str | None = None


def find_lookalike(
    *, session: Session, team_id: str, answers: Mapping[str, Any], now: datetime
) -> Candidate | None:
    """The team's open discovery with the same outcome at another account, if there is one."""
    if not answers.get("account") or not answers.get("outcome"):
        return None
    candidates = _open_candidates(session, team_id, now)
    found = lookalike(account=answers["account"], outcome=answers["outcome"], candidates=candidates)
    if found is None:
        return None
    return Candidate(**{**vars(found), "channel_id": first_channel(session, found.discovery_id)})


def merge_hints(*, session: Session, discovery: Discovery, now: datetime) -> list[Candidate]:
    """Open discoveries with the same outcome as this one, to offer when merging."""
    candidates = [
        c for c in _open_candidates(session, discovery.team_id, now)
        if c.discovery_id != discovery.id
    ]  # fmt: skip
    return lookalikes(account=discovery.account, outcome=discovery.outcome, candidates=candidates)


def _open_candidates(session: Session, team_id: str, now: datetime) -> list[Candidate]:
    """The team's open discoveries of the last LOOKBACK, newest first, bounded."""
    rows = session.exec(
        select(Discovery.id, Discovery.account, Discovery.outcome)
        .where(Discovery.team_id == team_id, col(Discovery.status).in_(OPEN))
        .where(Discovery.created_at >= now - LOOKBACK)
        .order_by(col(Discovery.created_at).desc(), col(Discovery.id).desc())
        .limit(MAX_CANDIDATES)
    ).all()
    accounts = _supporter_accounts(session, [row[0] for row in rows])
    return [Candidate(i, a, o, tuple(accounts.get(i, ()))) for i, a, o in rows]


def _supporter_accounts(session: Session, ids: list[int]) -> dict[int, list[str]]:
    accounts: dict[int, list[str]] = {}
    if ids:
        rows = session.exec(
            select(DiscoverySupporter.discovery_id, DiscoverySupporter.account).where(
                col(DiscoverySupporter.discovery_id).in_(ids)
            )
        ).all()
        for discovery_id, account in rows:
            accounts.setdefault(discovery_id, []).append(account)
    return accounts


def first_channel(session: Session, discovery_id: int) -> str | None:
    """The first channel the discovery's card was posted in (none until posted)."""
    return session.exec(
        select(DiscoveryRoute.channel_id)
        .where(DiscoveryRoute.discovery_id == discovery_id)
        .where(col(DiscoveryRoute.message_ts).is_not(None))
        .order_by(col(DiscoveryRoute.id))
    ).first()


def support_with_answers(
    *, session: Session, discovery_id: int, team_id: str, scout_user_id: str,
    answers: Mapping[str, Any], source_key: str, now: datetime,
) -> Supported:  # fmt: skip
    """A scout's answers join an open discovery as a supporter: their account, value, evidence."""
    columns = discovery_columns({**answers, "account": answers["account"]})
    link = account_link(session=session, team_id=team_id, name=answers["account"])
    row = {k: columns[k] for k in (*VALUE_COLUMNS, "evidence")} | link
    return add_supporter(
        session=session, discovery_id=discovery_id, team_id=team_id, source_key=source_key,
        row=row | {"scout_user_id": scout_user_id}, now=now,
    )  # fmt: skip


def add_supporter(
    *, session: Session, discovery_id: int, team_id: str, source_key: str, row: dict[str, Any],
    now: datetime, actor_user_id: str | None = None,
) -> Supported:  # fmt: skip
    """Add the supporter once per source_key while the discovery is open; its cards redraw."""
    existing = _by_source(session, source_key)
    if existing is not None:  # a repeated click or a retry: the first one stands
        return Supported(existing.discovery_id, "", existing.id, created=False)
    target = lock_discovery(session, discovery_id)
    if target is None or target.team_id != team_id:
        return Supported(discovery_id, refused="gone")
    if target.status not in OPEN:
        return Supported(discovery_id, target.account, refused="closed")
    values = row | {"discovery_id": discovery_id, "source_key": source_key, "created_at": now}
    statement = insert_for(session, DiscoverySupporter).values(**values)
    created = inserted_one_row(
        session, statement.on_conflict_do_nothing(index_elements=["source_key"])
    )
    supporter = _by_source(session, source_key)
    assert supporter is not None
    if created:
        # The cards show the new total: updated_at is part of what a card was drawn from.
        session.exec(
            sa.update(Discovery).where(col(Discovery.id) == discovery_id).values(updated_at=now)
        )
        actor = actor_user_id or row["scout_user_id"]  # who added it: its scout, or a PM merging
        event = DiscoverySupported(discovery_id, actor, supporter_id=supporter.id)
        record(session=session, event=event, now=now)
    return Supported(discovery_id, target.account, supporter.id, created=created)


def _by_source(session: Session, source_key: str) -> DiscoverySupporter | None:
    statement = select(DiscoverySupporter).where(DiscoverySupporter.source_key == source_key)
    return session.exec(statement).first()


def supporters_of(*, session: Session, discovery_id: int) -> list[DiscoverySupporter]:
    """The discovery's supporters, oldest first."""
    return list(
        session.exec(
            select(DiscoverySupporter)
            .where(DiscoverySupporter.discovery_id == discovery_id)
            .order_by(col(DiscoverySupporter.id))
        )
    )


def load_support(*, session: Session, discovery_id: int) -> Support | None:
    """What the discovery's cards say about its supporters, or where it was merged to."""
    discovery = session.get(Discovery, discovery_id)
    if discovery is None:
        return None
    rows = supporters_of(session=session, discovery_id=discovery_id)
    added_up = backing(
        account=discovery.account, value=discovery.value_base,
        banded=discovery.value_amount is None and discovery.value_band is not None,
        supporters=[(s.account, s.value_base, s.value_amount is None and s.value_band is not None)
                    for s in rows],
    )  # fmt: skip
    into = session.exec(
        select(DiscoverySupporter.discovery_id).where(
            DiscoverySupporter.merged_from_id == discovery_id
        )
    ).first()
    merged = tuple(s.merged_from_id for s in rows if s.merged_from_id is not None)
    channel = first_channel(session, into) if into is not None else None
    return Support(added_up, tuple(s.account for s in rows), merged, into, channel)
