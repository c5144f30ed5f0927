"""Each scout's discoveries of a week with their loops, and the week's decline reasons."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

from storage.enums import DiscoveryStatus
from storage.models import Discovery, StatusChange
from storage.queries.digest_figures import changed_between, logged_between
from storage.queries.digest_trends import loop_changes, seconds_between

Status = DiscoveryStatus


COLUMNS = (
    col(Discovery.id), col(Discovery.scout_user_id), col(Discovery.account),
    col(Discovery.outcome), col(Discovery.created_at), col(Discovery.who_cares),
    col(Discovery.evidence), col(Discovery.evidence_url), col(Discovery.value_amount),
    col(Discovery.value_band), col(Discovery.value_base), col(Discovery.event_date),
    col(Discovery.event_pressure),
)  # fmt: skip


def scout_rows(
    *, session: Session, start: datetime, end: datetime, as_of: datetime
) -> list[dict[str, Any]]:
    """The live discoveries logged in [start, end), each once, with its loop as of `as_of`:
    seconds to the first answer (any team, re-routes aside) and whether any team actioned it.

    Each a mapping of bot.digests.quality.ScoutRow's fields (its own module is pure).
    """
    change, first = loop_changes(as_of)
    actioned = sa.func.max(sa.case((col(StatusChange.to_status) == Status.ACTIONED, 1), else_=0))
    # Grouped by id alone, then joined for the wide columns: texts are read, never grouped.
    loops = (
        sa.select(col(Discovery.id).label("id"), first.label("first"), actioned.label("actioned"))
        .select_from(Discovery)
        .outerjoin(StatusChange, change)
        .where(logged_between(start, end))
        .group_by(col(Discovery.id))
        .subquery()
    )
    seconds = seconds_between(session, col(Discovery.created_at), loops.c.first)
    query = (
        sa.select(*COLUMNS, seconds.label("answer_seconds"), loops.c.actioned)
        .join(loops, loops.c.id == col(Discovery.id))
        .order_by(col(Discovery.id))
    )
    return [
        {
            **row._mapping,
            "answer_seconds": _float(row.answer_seconds),
            "actioned": bool(row.actioned),
        }
        for row in session.exec(query)
    ]


def decline_reasons(*, session: Session, start: datetime, end: datetime) -> dict[str | None, int]:
    """Declines in [start, end) per reason key as stored (None: declined before reasons)."""
    kind = col(StatusChange.outcome_kind)
    query = (
        sa.select(kind, sa.func.count())
        .where(changed_between(start, end, (Status.DECLINED,)))
        .group_by(kind)
    )
    return {key: count for key, count in session.exec(query)}


def _float(value: object) -> float | None:
    return None if value is None else float(value)  # type: ignore[arg-type]
