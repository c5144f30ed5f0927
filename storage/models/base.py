"""The shared MetaData, with a naming convention so that every constraint has a stable name."""

from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

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


def team_field(*, primary_key: bool = False) -> Any:
    """The workspace (Slack team id) a row belongs to. "" names the deployment's default: a
    setting or route channel from the environment, which every workspace falls back to."""
    return Field(
        default="", primary_key=primary_key, sa_type=sa.String(SLACK_ID),
        sa_column_kwargs={"server_default": ""},
    )  # fmt: skip
