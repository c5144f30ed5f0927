"""Themes people set: a discovery re-themed by hand, and themes an admin added from a suggestion."""

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from storage.models.base import SLACK_ID, team_field
from storage.types import UTCDateTime, utc_now


class ThemeCorrection(SQLModel, table=True):
    """A person's choice of a discovery's themes: the latest one wins over the automatic match
    (discoveries.themes is set to it in the same transaction, so every count follows it).
    Scoped through its discovery: it is only read by discovery_id."""

    __tablename__ = "theme_corrections"
    __table_args__ = (sa.Index("ix_theme_corrections_discovery_id", "discovery_id"),)

    id: int | None = Field(default=None, primary_key=True)
    discovery_id: int = Field(sa_type=sa.Integer, foreign_key="discoveries.id", ondelete="CASCADE")
    themes: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    replaced: list[str] = Field(default_factory=list, sa_type=sa.JSON)  # what it carried before
    user_id: str = Field(sa_type=sa.String(SLACK_ID))
    # The modal's view id: the same submission arriving twice stores one correction.
    source_key: str = Field(sa_type=sa.String(255), unique=True)
    created_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)


class ThemeAddition(SQLModel, table=True):
    """A theme an admin added from a digest's suggestion, merged with prompts/value_network.yaml
    when the network is read (the file's theme of the same key wins)."""

    __tablename__ = "theme_additions"
    __table_args__ = (sa.UniqueConstraint("team_id", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = team_field()  # a theme one workspace's admin added, for that workspace
    key: str = Field(sa_type=sa.String(60))
    label: str = Field(sa_type=sa.String(100))
    language: str = Field(sa_type=sa.String(2))  # the phrases' language code (en, de, …)
    phrases: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    added_by: str = Field(sa_type=sa.String(SLACK_ID))
    created_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)
