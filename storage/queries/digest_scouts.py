"""Each scout's discoveries of a week with their loops, and the week's decline reasons."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

from storage.enums import DiscoveryStatus
from storage.models import Discovery, StatusChange
from storage.queries.digest_figures import changed_between, logged_between
from storage.queries.digest_loops import LoopWeek, trend_loops
from storage.queries.digest_trends import seconds_between

Status = DiscoveryStatus


COLUMNS = (
    col(Discovery.id), col(Discovery.scout_user_id), col(Discovery.account),
    col(Discovery.outcome), col(Discovery.created_at), col(Discovery.who_cares),
    col(Discovery.evidence), col(Discovery.evidence_url), col(Discovery.value_amount),
    col(Discovery.value_currency), col(Discovery.value_band), col(Discovery.value_base),
    col(Discovery.event_date), col(Discovery.event_pressure),
)  # fmt: skip
# What scout_rows gives, in this order: bot.digests.quality.ScoutRow's fields (a test holds
# them equal), so each row is made positionally (a mapping per row was a tenth of a second).
SCOUT_ROW_FIELDS = (*(c.name for c in COLUMNS), "answer_seconds", "actioned", "quality_missing")


def scout_rows(
    *, session: Session, team_id: str | None, start: datetime, end: datetime, as_of: datetime
) -> list[tuple[Any, ...]]:
    """The live discoveries logged in [start, end), each once, with its loop as of `as_of`:
    seconds to the first answer (any team, re-routes aside) and whether any team actioned it.

    Each a tuple of SCOUT_ROW_FIELDS (bot.digests.quality.ScoutRow's; its own module is pure).
    """
    answered = col(Discovery.answered_at)
    seconds = seconds_between(session, col(Discovery.created_at), answered)
    seconds = sa.case((answered < as_of, seconds))
    actioned = sa.case((col(Discovery.actioned_at) < as_of, 1), else_=0)
    # From the loop facts on each row (storage.queries.loop_facts): no status changes read.
    query = (
        sa.select(*COLUMNS, seconds, actioned, col(Discovery.quality_missing))
        .where(logged_between(start, end, team_id))
        .order_by(col(Discovery.id))
    )
    found = session.connection().execute(query)  # plain rows: the ORM's wrapping doubled it
    return [(*row[:-3], _float(row[-3]), bool(row[-2]), row[-1]) for row in found]


def decline_reasons(
    *, session: Session, team_id: str | None, start: datetime, end: datetime
) -> dict[str | None, int]:
    """Declines in [start, end) per reason key as stored (None: declined before reasons)."""
    kind = col(StatusChange.outcome_kind)
    query = (
        sa.select(kind, sa.func.count())
        .select_from(StatusChange)
        .join(Discovery, col(Discovery.id) == col(StatusChange.discovery_id))
        .where(changed_between(start, end, (Status.DECLINED,), team_id))
        .group_by(kind)
    )
    return {key: count for key, count in session.exec(query)}


def _float(value: object) -> float | None:
    return None if value is None else float(value)  # type: ignore[arg-type]


# --- the coach chart's twelve weeks ---------------------------------------------------------------


def weekly_loops(
    *, session: Session, team_id: str | None, edges: Sequence[datetime], as_of: datetime
) -> list[LoopWeek]:
    """Per week [edges[i], edges[i+1]): its discoveries' loops as of `as_of`, each once."""
    return list(trend_loops(session=session, team_id=team_id, edges=edges, as_of=as_of).weeks)
