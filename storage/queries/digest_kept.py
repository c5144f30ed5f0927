"""Past weeks' trend figures kept per workspace and week (storage.models.TrendWeek).

A closed week's loop tally and seconds to a first answer change only when one of its
discoveries changes. Triggers on `discoveries` (migration 0026) delete the kept rows of the
week a discovery was logged in, whatever wrote it (a status change, a realisation's loop
facts, an edit, a withdrawal, a merge): a row found is current. So a build reads a kept row
for each past week instead of counting its ~20,000 discoveries again.

Writing a row races with changes made after the figures were read: the figures are counted
in the transaction that writes them, which no change to `discoveries` can overlap (SQLite
has one writer; on PostgreSQL the triggers' DELETE takes a lock that conflicts with the one
taken here, so a change in flight commits first, and one that comes later waits).
"""

from __future__ import annotations

import itertools
import sys
from array import array
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, col

from storage.models import TrendWeek
from storage.queries._dialect import is_postgres
from storage.queries.loop_facts import routes_of

FORM = 1  # bump when what a row holds changes meaning: rows of another form are not read
TABLE = "digest_trend_weeks"
# What the trend reads of a discovery: a change to any of them changes its week's figures.
WATCHED = (
    "team_id", "created_at", "status", "answered_at", "actioned_at", "closed_at",
    "realised_at", "furthest_answer", "routes_now", "value_amount", "value_band",
    "event_pressure", "event_date", "evidence", "evidence_url", "themes",
)  # fmt: skip


@dataclass(frozen=True)
class KeptWeek:
    """A week's tally (flags, routes now, discoveries) and its sorted seconds to an answer, as
    they stand once every moment on its discoveries has passed (settled_at: the latest); its
    live discoveries per theme (as of any moment: they depend on none)."""

    tally: tuple[tuple[int, str, int], ...]
    seconds: Sequence[float]
    settled_at: datetime | None
    themes: Mapping[str, int]

    def per_route(self) -> Counter[str]:
        """Its discoveries per route they are on now (one on two routes counts on both)."""
        counts: Counter[str] = Counter()
        for _flags, on, n in self.tally:
            for route in routes_of(on):
                counts[route] += n
        return counts

    def stands_at(self, moment: datetime) -> bool:
        """Whether the figures as of `moment` are these: every moment they count is before it."""
        return self.settled_at is None or self.settled_at < moment


def team_key(team_id: str | None) -> str:
    """The row's workspace: "" for every workspace's discoveries (single-workspace mode)."""
    return team_id or ""


def kept_weeks(
    *, session: Session, team_id: str | None, edges: Sequence[datetime], seconds: bool = True
) -> dict[tuple[datetime, datetime], KeptWeek]:
    """The kept rows of the weeks [edges[i], edges[i+1]), by (start, end); without their
    seconds to an answer (empty) unless `seconds`: only the medians need them."""
    wanted = set(itertools.pairwise(edges))
    packed = col(TrendWeek.seconds) if seconds else sa.literal(b"", sa.LargeBinary)
    query = sa.select(
        col(TrendWeek.week_start), col(TrendWeek.week_end), col(TrendWeek.tally), packed,
        col(TrendWeek.settled_at), col(TrendWeek.themes),
    ).where(
        col(TrendWeek.team_id) == team_key(team_id), col(TrendWeek.form) == FORM,
        col(TrendWeek.week_start) >= edges[0], col(TrendWeek.week_end) <= edges[-1],
    )  # fmt: skip
    found = {}
    for start, end, tally, blob, settled_at, themes in session.connection().execute(query):
        if (start, end) in wanted:
            groups = tuple((flags, on, n) for flags, on, n in tally)
            found[start, end] = KeptWeek(groups, _floats(blob), settled_at, themes)
    return found


def lock_kept(session: Session) -> None:
    """Wait for changes in flight to discoveries to commit, and hold later ones until this
    transaction ends (PostgreSQL; SQLite's write transaction already has the one writer)."""
    if is_postgres(session):
        session.exec(sa.text(f"LOCK TABLE {TABLE} IN SHARE ROW EXCLUSIVE MODE"))


def keep_week(
    *, session: Session, team_id: str | None, start: datetime, end: datetime, week: KeptWeek,
    now: datetime,
) -> None:  # fmt: skip
    """Write a week's row (after lock_kept, in the transaction that counted it)."""
    key = (col(TrendWeek.team_id) == team_key(team_id), col(TrendWeek.week_start) == start)
    session.exec(sa.delete(TrendWeek).where(*key, col(TrendWeek.week_end) == end))
    session.add(TrendWeek(
        team_id=team_key(team_id), week_start=start, week_end=end, form=FORM,
        tally=[list(group) for group in week.tally], seconds=_packed(week.seconds),
        settled_at=week.settled_at, themes=dict(week.themes), kept_at=now,
    ))  # fmt: skip
    session.flush()


def _packed(seconds: Sequence[float]) -> bytes:
    values = array("d", seconds)
    if sys.byteorder == "big":  # stored little-endian, whichever machine wrote it
        values.byteswap()
    return values.tobytes()


def _floats(packed: bytes) -> array[float]:
    values = array("d")
    values.frombytes(packed)
    if sys.byteorder == "big":
        values.byteswap()
    return values


# --- the triggers (migration 0026) --------------------------------------------------------------


def _forget(row: str) -> str:
    """Delete the kept rows of the week `row` (OLD or NEW) was logged in."""
    return (
        f"DELETE FROM {TABLE} WHERE team_id IN ({row}.team_id, '')"
        f" AND week_start <= {row}.created_at AND {row}.created_at < week_end;"
    )


def trigger_statements(dialect: str) -> list[str]:
    """Forget a week's kept row when a discovery logged in it is added or deleted, or one of
    the columns the trend reads changes value (a refresh that finds the same loop facts, a
    change to any other column, forgets nothing): a trigger per row, on both databases."""
    if dialect == "postgresql":
        # json has no equality: themes are compared as text.
        text = {"themes": "::text"}
        distinct = " OR ".join(
            f"OLD.{c}{text.get(c, '')} IS DISTINCT FROM NEW.{c}{text.get(c, '')}" for c in WATCHED
        )
        function = (
            "CREATE FUNCTION digest_trend_forget() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"IF TG_OP IN ('UPDATE', 'DELETE') THEN {_forget('OLD')} END IF; "
            f"IF TG_OP IN ('UPDATE', 'INSERT') THEN {_forget('NEW')} END IF; "
            "RETURN NULL; END $$"
        )
        run = "FOR EACH ROW EXECUTE FUNCTION digest_trend_forget()"
        return [
            function,
            f"CREATE TRIGGER digest_trend_forget_insert AFTER INSERT ON discoveries {run}",
            f"CREATE TRIGGER digest_trend_forget_update AFTER UPDATE OF {', '.join(WATCHED)}"
            f" ON discoveries FOR EACH ROW WHEN ({distinct}) EXECUTE FUNCTION digest_trend_forget()",
            f"CREATE TRIGGER digest_trend_forget_delete AFTER DELETE ON discoveries {run}",
        ]
    changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in WATCHED)
    return [
        f"CREATE TRIGGER digest_trend_forget_insert AFTER INSERT ON discoveries"
        f" BEGIN {_forget('NEW')} END",
        f"CREATE TRIGGER digest_trend_forget_update AFTER UPDATE OF {', '.join(WATCHED)}"
        f" ON discoveries WHEN {changed} BEGIN {_forget('OLD')} {_forget('NEW')} END",
        "CREATE TRIGGER digest_trend_forget_delete AFTER DELETE ON discoveries"
        f" BEGIN {_forget('OLD')} END",
    ]


def drop_trigger_statements(dialect: str) -> list[str]:
    """Remove what trigger_statements made."""
    ops = ("insert", "update", "delete")
    if dialect == "postgresql":
        drops = [f"DROP TRIGGER IF EXISTS digest_trend_forget_{op} ON discoveries" for op in ops]
        return [*drops, "DROP FUNCTION IF EXISTS digest_trend_forget()"]
    return [f"DROP TRIGGER IF EXISTS digest_trend_forget_{op}" for op in ops]
