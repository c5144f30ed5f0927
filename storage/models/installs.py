"""OAuth installs: the workspaces (or Grid organisations) that installed the app, their bot
tokens, the install flow's one-time states, and which organisation a workspace belongs to.

The columns are those of slack_sdk's SQLAlchemy installation and state stores (same table
and column names), with aware UTC times: bot/installs/store.py reads and writes them on the
app's own engine, in the app's own transactions.
"""

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from storage.models.base import SLACK_ID
from storage.types import UTCDateTime, utc_now

NAME = 200
SCOPES = 1000


class SlackInstallation(SQLModel, table=True):
    """One install by one person: the bot token and the installer's own (user) token, if any."""

    __tablename__ = "slack_installations"
    __table_args__ = (
        sa.Index(
            "slack_installations_idx",
            "client_id", "enterprise_id", "team_id", "user_id", "installed_at",
        ),
    )  # fmt: skip

    id: int | None = Field(default=None, primary_key=True)
    client_id: str = Field(sa_type=sa.String(SLACK_ID))
    app_id: str = Field(sa_type=sa.String(SLACK_ID))
    enterprise_id: str | None = Field(default=None, sa_type=sa.String(SLACK_ID))
    enterprise_name: str | None = Field(default=None, sa_type=sa.String(NAME))
    enterprise_url: str | None = Field(default=None, sa_type=sa.String(NAME))
    team_id: str | None = Field(default=None, sa_type=sa.String(SLACK_ID))  # None: org-wide
    team_name: str | None = Field(default=None, sa_type=sa.String(NAME))
    bot_token: str | None = Field(default=None, sa_type=sa.String(NAME))
    bot_id: str | None = Field(default=None, sa_type=sa.String(SLACK_ID))
    bot_user_id: str | None = Field(default=None, sa_type=sa.String(SLACK_ID))
    bot_scopes: str | None = Field(default=None, sa_type=sa.String(SCOPES))
    bot_refresh_token: str | None = Field(default=None, sa_type=sa.String(NAME))
    bot_token_expires_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    user_id: str = Field(sa_type=sa.String(SLACK_ID))
    user_token: str | None = Field(default=None, sa_type=sa.String(NAME))
    user_scopes: str | None = Field(default=None, sa_type=sa.String(SCOPES))
    user_refresh_token: str | None = Field(default=None, sa_type=sa.String(NAME))
    user_token_expires_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    incoming_webhook_url: str | None = Field(default=None, sa_type=sa.String(NAME))
    incoming_webhook_channel: str | None = Field(default=None, sa_type=sa.String(NAME))
    incoming_webhook_channel_id: str | None = Field(default=None, sa_type=sa.String(NAME))
    incoming_webhook_configuration_url: str | None = Field(default=None, sa_type=sa.String(NAME))
    is_enterprise_install: bool = Field(default=False)
    token_type: str | None = Field(default=None, sa_type=sa.String(SLACK_ID))
    installed_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)


class SlackBot(SQLModel, table=True):
    """The latest bot token of a workspace (or of a Grid organisation, for org-wide installs)."""

    __tablename__ = "slack_bots"
    __table_args__ = (
        sa.Index("slack_bots_idx", "client_id", "enterprise_id", "team_id", "installed_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    client_id: str = Field(sa_type=sa.String(SLACK_ID))
    app_id: str = Field(sa_type=sa.String(SLACK_ID))
    enterprise_id: str | None = Field(default=None, sa_type=sa.String(SLACK_ID))
    enterprise_name: str | None = Field(default=None, sa_type=sa.String(NAME))
    team_id: str | None = Field(default=None, sa_type=sa.String(SLACK_ID))  # None: org-wide
    team_name: str | None = Field(default=None, sa_type=sa.String(NAME))
    bot_token: str | None = Field(default=None, sa_type=sa.String(NAME))
    bot_id: str | None = Field(default=None, sa_type=sa.String(SLACK_ID))
    bot_user_id: str | None = Field(default=None, sa_type=sa.String(SLACK_ID))
    bot_scopes: str | None = Field(default=None, sa_type=sa.String(SCOPES))
    bot_refresh_token: str | None = Field(default=None, sa_type=sa.String(NAME))
    bot_token_expires_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    is_enterprise_install: bool = Field(default=False)
    installed_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)


class SlackOAuthState(SQLModel, table=True):
    """A state handed to Slack at /slack/install: the redirect must bring it back, once, soon."""

    __tablename__ = "slack_oauth_states"

    id: int | None = Field(default=None, primary_key=True)
    state: str = Field(sa_type=sa.String(NAME), index=True)
    expire_at: datetime = Field(sa_type=UTCDateTime)


class SlackTeam(SQLModel, table=True):
    """A workspace seen in a request and the Grid organisation it belongs to: an org-wide
    install's token is stored under the organisation, and delivery knows only the team."""

    __tablename__ = "slack_teams"

    team_id: str = Field(sa_type=sa.String(SLACK_ID), primary_key=True)
    enterprise_id: str | None = Field(default=None, sa_type=sa.String(SLACK_ID))
    seen_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)
