"""Supporters: other accounts that want the same outcome as a discovery, each with its value."""

from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from storage.enums import ValueBand
from storage.models.base import ENUM_LENGTH, SLACK_ID
from storage.types import UTCDateTime, str_enum, utc_now


class DiscoverySupporter(SQLModel, table=True):
    """An account added to an open discovery: by a scout whose look-alike discovery joined it
    instead of a second card, or by a merge (merged_from_id: the discovery that was merged)."""

    __tablename__ = "discovery_supporters"
    __table_args__ = (sa.Index("ix_discovery_supporters_discovery_id", "discovery_id"),)

    id: int | None = Field(default=None, primary_key=True)
    discovery_id: int = Field(sa_type=sa.Integer, foreign_key="discoveries.id", ondelete="CASCADE")
    account_id: int | None = Field(default=None, sa_type=sa.Integer, foreign_key="accounts.id")
    account: str = Field(sa_type=sa.String(200))
    scout_user_id: str = Field(sa_type=sa.String(SLACK_ID))
    value_band: ValueBand | None = Field(default=None, sa_type=str_enum(ValueBand, ENUM_LENGTH))
    value_amount: Decimal | None = Field(default=None, sa_type=sa.Numeric(18, 2))
    value_currency: str | None = Field(default=None, sa_type=sa.String(3))
    value_base: Decimal | None = Field(default=None, sa_type=sa.Numeric(18, 2))
    evidence: str | None = Field(default=None, sa_type=sa.Text)
    # What made it ("dialogue:<id>", "merge:<id>"): a retried or repeated click adds it once.
    source_key: str = Field(sa_type=sa.String(255), unique=True)
    merged_from_id: int | None = Field(
        default=None, sa_type=sa.Integer, foreign_key="discoveries.id", ondelete="SET NULL"
    )
    created_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)
