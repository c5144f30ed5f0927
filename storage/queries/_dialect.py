"""Dialect-specific INSERT … ON CONFLICT, picked from the session's bind."""

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session


def insert_for(session: Session, table: Any) -> Any:
    """Return an INSERT for table that supports on_conflict_do_nothing/do_update."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        return postgresql.insert(table)
    if dialect == "sqlite":
        return sqlite.insert(table)
    raise NotImplementedError(f"no upsert for dialect {dialect!r}")


def is_postgres(session: Session) -> bool:
    """Tell whether the session talks to PostgreSQL."""
    return session.get_bind().dialect.name == "postgresql"


def inserted_one_row(session: Session, statement: Any) -> bool:
    """Execute an INSERT … ON CONFLICT DO NOTHING and tell whether it inserted the row."""
    # SQLAlchemy drops an INSERT's rowcount unless asked to keep it; RETURNING would also
    # work but needs SQLite 3.35+, which older distributions' Pythons lack.
    result = session.exec(statement.execution_options(preserve_rowcount=True))
    return result.rowcount == 1
