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
# Only the last word may be the start of one (typed on): an earlier word is whole. A prefix of
# one or two letters matches too much to mean anything and costs most: it is taken whole too.
PREFIX_FROM = 3
RANKED = 1000  # PostgreSQL ranks the newest so many matches (see _postgres)
# bm25 weights per column (account, outcome, gap, evidence), as PostgreSQL's A, A, B, C.
SQLITE_WEIGHTS = (10.0, 10.0, 4.0, 2.0)


def query_words(text: str) -> list[str]:
    """The words of a typed query, as the index holds them (no operators, no punctuation)."""
    return [word.casefold() for word in _WORD.findall(text)][:MAX_WORDS]


def _prefix(words: list[str]) -> list[bool]:
    """Which words match as a prefix: the last, when it is long enough."""
    return [i == len(words) - 1 and len(word) >= PREFIX_FROM for i, word in enumerate(words)]


def search_discoveries(
    *, session: Session, team_id: str, text: str, limit: int = 10
) -> list[Discovery]:
    """The team's discoveries matching every word (the last as a prefix), best first; withdrawn
    hidden."""
    words = query_words(text)
    if not words:
        return []
    shown = (Discovery.team_id == team_id, Discovery.status != DiscoveryStatus.WITHDRAWN)
    statement = (_postgres if is_postgres(session) else _sqlite)(words, shown)
    newest_first = col(Discovery.created_at).desc(), col(Discovery.id).desc()
    return list(session.exec(statement.order_by(*newest_first).limit(limit)))


def _sqlite(words: list[str], shown: tuple) -> Select:
    """FTS5: each word quoted (never an operator), the last as a prefix; bm25 lower is better."""
    match = " ".join(
        f'"{w}"' + ("*" if p else "") for w, p in zip(words, _prefix(words), strict=True)
    )
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
    found = select(Discovery).join(hits, hits.c.id == Discovery.id).where(*shown)
    return found.order_by(hits.c.rank)


def _postgres(words: list[str], shown: tuple) -> Select:
    """tsvector @@ tsquery: every word, the last a prefix (`onboard:*`); ts_rank higher is better.

    ts_rank reads each match's whole vector: only the newest RANKED matches are ranked, so a
    word in every tenth discovery costs as much as a rarer one."""
    terms = [w + (":*" if p else "") for w, p in zip(words, _prefix(words), strict=True)]
    query = sa.func.to_tsquery(PG_CONFIG, " & ".join(terms))
    vector = sa.literal_column(f"discoveries.{PG_COLUMN}")
    newest = (
        select(Discovery.id)
        .where(vector.op("@@")(query), *shown)
        .order_by(col(Discovery.created_at).desc(), col(Discovery.id).desc())
        .limit(RANKED)
    )
    ranked = select(Discovery).where(col(Discovery.id).in_(newest.scalar_subquery()))
    return ranked.order_by(sa.func.ts_rank(vector, query).desc())
