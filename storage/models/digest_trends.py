"""The coaches' trend figures of past weeks, kept per workspace and week (bot/digests)."""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from storage.models.base import team_field
from storage.types import UTCDateTime


class TrendWeek(SQLModel, table=True):
    """A week's loop tally, seconds to a first answer and themes, as they stand once its loops settled.

    Written by storage.queries.digest_kept; a change to any discovery logged in the week
    deletes the row (triggers of migration 0026), so a row found is current.
    """

    __tablename__ = "digest_trend_weeks"

    team_id: str = team_field(primary_key=True)  # "": every workspace's (single-workspace mode)
    week_start: datetime = Field(sa_type=UTCDateTime, primary_key=True)
    week_end: datetime = Field(sa_type=UTCDateTime, primary_key=True)
    form: int  # how tally and seconds are written: a row of another form is not read
    tally: list[Any] = Field(sa_type=sa.JSON)  # [flags, routes now, discoveries] per group
    seconds: bytes = Field(sa_type=sa.LargeBinary)  # to a first answer: sorted float64, LE
    themes: dict[str, int] = Field(sa_type=sa.JSON)  # per theme, its live discoveries
    settled_at: datetime | None = Field(default=None, sa_type=UTCDateTime)  # its latest fact
    kept_at: datetime = Field(sa_type=UTCDateTime)
