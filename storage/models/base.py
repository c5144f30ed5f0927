"""The shared MetaData, with a naming convention so that every constraint has a stable name."""

from sqlmodel import SQLModel

# Explicit names make Alembic migrations identical on SQLite and PostgreSQL and let later
# migrations drop or alter a constraint by name (SQLite batch mode needs the names too).
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = SQLModel.metadata
# Set before any table class is declared: names are computed when constraints attach.
metadata.naming_convention = NAMING_CONVENTION

# Column sizes: Slack ids are short (U0123ABCD, T0123ABCD), a message ts is like 1712345678.123456.
SLACK_ID = 32
SLACK_TS = 32
ENUM_LENGTH = 20
