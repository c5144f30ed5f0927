"""Customer accounts: a name, its aliases, the CRM record and the Slack user who owns it."""

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from storage.models.base import SLACK_ID, team_field
from storage.types import UTCDateTime, utc_now


class Account(SQLModel, table=True):
    """A customer; discoveries link to it, imported from the CRM or named first by a scout."""

    __tablename__ = "accounts"
    __table_args__ = (
        # A CRM id names one account per workspace (two workspaces may import one CRM).
        sa.UniqueConstraint("team_id", "crm_id"),
        sa.Index("ix_accounts_team_id_name", "team_id", "name"),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = team_field()  # accounts of one workspace are never matched in another
    name: str = Field(sa_type=sa.String(200))
    aliases: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    # Unique per workspace where set; an account a scout named first has none until an import adopts it.
    crm_id: str | None = Field(default=None, sa_type=sa.String(100))
    crm_url: str | None = Field(default=None, sa_type=sa.Text)
    owner_user_id: str | None = Field(default=None, sa_type=sa.String(SLACK_ID))
    segment: str | None = Field(default=None, sa_type=sa.String(100))
    # When "several scouts at this account" was last announced: one announcement per window.
    converged_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)
    updated_at: datetime = Field(
        default_factory=utc_now, sa_type=UTCDateTime, sa_column_kwargs={"onupdate": utc_now}
    )

    def names(self) -> list[str]:
        """The name and every alias, as matched."""
        return [self.name, *self.aliases]
