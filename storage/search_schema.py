"""The full-text index over discoveries, as each database keeps it (outside the models).

SQLite: an FTS5 external-content table that triggers keep in step with `discoveries`.
PostgreSQL: a generated `tsvector` column with a GIN index. Neither is a model column, so
schema comparisons leave these names out (`include_name`).
"""

from __future__ import annotations

from typing import Any

FTS_TABLE = "discoveries_fts"
PG_COLUMN = "search"
PG_INDEX = "ix_discoveries_search"
COLUMNS = ("account", "outcome", "gap", "evidence")
# Weights by column: a word in the account or outcome ranks above one in the evidence.
PG_WEIGHTS = {"account": "A", "outcome": "A", "gap": "B", "evidence": "C"}
PG_CONFIG = "english"  # stems, as SQLite's porter tokenizer does: "onboarding" finds "onboard"


def include_name(name: str | None, type_: str, parent_names: Any) -> bool:
    """Leave the search index out of model-to-database comparisons (autogenerate, tests)."""
    if type_ == "table":
        return not (name or "").startswith(FTS_TABLE)
    return name not in (PG_COLUMN, PG_INDEX)


def sqlite_statements() -> list[str]:
    """Create the FTS5 table, its triggers, and index every discovery already there."""
    columns = ", ".join(COLUMNS)
    new = ", ".join(f"new.{c}" for c in COLUMNS)
    old = ", ".join(f"old.{c}" for c in COLUMNS)
    delete = (
        f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {columns}) VALUES('delete', old.id, {old});"
    )
    insert = f"INSERT INTO {FTS_TABLE}(rowid, {columns}) VALUES (new.id, {new});"
    watched = ", ".join(COLUMNS)
    return [
        f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5({columns}, content='discoveries', "
        "content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')",
        f"CREATE TRIGGER {FTS_TABLE}_ai AFTER INSERT ON discoveries BEGIN {insert} END",
        f"CREATE TRIGGER {FTS_TABLE}_ad AFTER DELETE ON discoveries BEGIN {delete} END",
        f"CREATE TRIGGER {FTS_TABLE}_au AFTER UPDATE OF {watched} ON discoveries "
        f"BEGIN {delete} {insert} END",
        f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES('rebuild')",
    ]


def sqlite_drop_statements() -> list[str]:
    """Remove the triggers and the FTS5 table."""
    triggers = [f"DROP TRIGGER IF EXISTS {FTS_TABLE}_{s}" for s in ("ai", "ad", "au")]
    return [*triggers, f"DROP TABLE IF EXISTS {FTS_TABLE}"]


def pg_vector() -> str:
    """The weighted tsvector of a discovery's searchable columns."""
    parts = [
        f"setweight(to_tsvector('{PG_CONFIG}', coalesce({c}, '')), '{PG_WEIGHTS[c]}')"
        for c in COLUMNS
    ]
    return " || ".join(parts)


def pg_statements() -> list[str]:
    """Add the generated column (computed for existing rows as it is added) and its GIN index."""
    return [
        f"ALTER TABLE discoveries ADD COLUMN {PG_COLUMN} tsvector "
        f"GENERATED ALWAYS AS ({pg_vector()}) STORED",
        f"CREATE INDEX {PG_INDEX} ON discoveries USING gin ({PG_COLUMN})",
    ]


def pg_drop_statements() -> list[str]:
    """Remove the index and the column."""
    return [f"DROP INDEX IF EXISTS {PG_INDEX}", f"ALTER TABLE discoveries DROP COLUMN {PG_COLUMN}"]
