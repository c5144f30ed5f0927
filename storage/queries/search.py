"""Full-text search over discoveries with the database's own index (storage.search_schema)."""

from __future__ import annotations

import re

import sqlalchemy as sa
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import Select

from storage.enums import DiscoveryStatus
from storage.models import Discovery
from storage.queries._dialect import is_postgres
from storage.search_schema import FTS_TABLE, PG_COLUMN, PG_CONFIG

_WORD = re.compile(r"[^\W_]+")
MAX_WORDS = 12  # a pasted paragraph is not a query: its first words are
# bm25 weights per column (account, outcome, gap, evidence), as PostgreSQL's A, A, B, C.
SQLITE_WEIGHTS = (10.0, 10.0, 4.0, 2.0)


def query_words(text: str) -> list[str]:
    """The words of a typed query, as the index holds them (no operators, no punctuation)."""
    return [word.casefold() for word in _WORD.findall(text)][:MAX_WORDS]


def search_discoveries(
    *, session: Session, team_id: str, text: str, limit: int = 10
) -> list[Discovery]:
    """The team's discoveries matching every word (as a prefix), best first; withdrawn hidden."""
    words = query_words(text)
    if not words:
        return []
    statement = (_postgres if is_postgres(session) else _sqlite)(words)
    statement = (
        statement.where(Discovery.team_id == team_id)
        .where(Discovery.status != DiscoveryStatus.WITHDRAWN)
        .order_by(col(Discovery.created_at).desc(), col(Discovery.id).desc())
        .limit(limit)
    )
    return list(session.exec(statement))


def _sqlite(words: list[str]) -> Select:
    """FTS5: each word quoted (never an operator) and matched as a prefix; bm25 lower is better."""
    match = " ".join(f'"{word}"*' for word in words)
    weights = ", ".join(str(weight) for weight in SQLITE_WEIGHTS)
    hits = (
        sa.select(
            sa.literal_column("rowid").label("id"),
            sa.literal_column(f"bm25({FTS_TABLE}, {weights})").label("rank"),
        )
        .select_from(sa.table(FTS_TABLE))
        .where(sa.text(f"{FTS_TABLE} MATCH :match").bindparams(match=match))
        .subquery()
    )
    return select(Discovery).join(hits, hits.c.id == Discovery.id).order_by(hits.c.rank)


def _postgres(words: list[str]) -> Select:
    """tsvector @@ tsquery: each word a prefix (`onboard:*`), all required; ts_rank higher is better."""
    query = sa.func.to_tsquery(PG_CONFIG, " & ".join(f"{word}:*" for word in words))
    vector = sa.literal_column(f"discoveries.{PG_COLUMN}")
    return (
        select(Discovery)
        .where(vector.op("@@")(query))
        .order_by(sa.func.ts_rank(vector, query).desc())
    )
