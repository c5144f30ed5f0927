"""OAuth installs: slack_installations, slack_bots, slack_oauth_states (the tables of
slack_sdk's SQLAlchemy stores, with aware UTC times) and slack_teams (which Grid
organisation a workspace belongs to). A single-workspace deployment leaves them empty.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID, NAME, SCOPES = 32, 200, 1000


def _bot_columns() -> list[sa.Column]:
    """The columns slack_installations and slack_bots share, in slack_sdk's order."""
    return [
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.String(ID), nullable=False),
        sa.Column("app_id", sa.String(ID), nullable=False),
        sa.Column("enterprise_id", sa.String(ID), nullable=True),
        sa.Column("enterprise_name", sa.String(NAME), nullable=True),
    ]


def _token_columns() -> list[sa.Column]:
    return [
        sa.Column("team_id", sa.String(ID), nullable=True),
        sa.Column("team_name", sa.String(NAME), nullable=True),
        sa.Column("bot_token", sa.String(NAME), nullable=True),
        sa.Column("bot_id", sa.String(ID), nullable=True),
        sa.Column("bot_user_id", sa.String(ID), nullable=True),
        sa.Column("bot_scopes", sa.String(SCOPES), nullable=True),
        sa.Column("bot_refresh_token", sa.String(NAME), nullable=True),
        sa.Column("bot_token_expires_at", sa.DateTime(timezone=True), nullable=True),
    ]


def upgrade() -> None:
    """Create the install tables and their lookup indexes."""
    op.create_table(
        "slack_installations",
        *_bot_columns(),
        sa.Column("enterprise_url", sa.String(NAME), nullable=True),
        *_token_columns(),
        sa.Column("user_id", sa.String(ID), nullable=False),
        sa.Column("user_token", sa.String(NAME), nullable=True),
        sa.Column("user_scopes", sa.String(SCOPES), nullable=True),
        sa.Column("user_refresh_token", sa.String(NAME), nullable=True),
        sa.Column("user_token_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("incoming_webhook_url", sa.String(NAME), nullable=True),
        sa.Column("incoming_webhook_channel", sa.String(NAME), nullable=True),
        sa.Column("incoming_webhook_channel_id", sa.String(NAME), nullable=True),
        sa.Column("incoming_webhook_configuration_url", sa.String(NAME), nullable=True),
        sa.Column("is_enterprise_install", sa.Boolean(), nullable=False),
        sa.Column("token_type", sa.String(ID), nullable=True),
        sa.Column("installed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_slack_installations"),
    )
    op.create_index(
        "slack_installations_idx", "slack_installations",
        ["client_id", "enterprise_id", "team_id", "user_id", "installed_at"],
    )  # fmt: skip
    op.create_table(
        "slack_bots",
        *_bot_columns(),
        *_token_columns(),
        sa.Column("is_enterprise_install", sa.Boolean(), nullable=False),
        sa.Column("installed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_slack_bots"),
    )
    op.create_index(
        "slack_bots_idx", "slack_bots", ["client_id", "enterprise_id", "team_id", "installed_at"]
    )
    op.create_table(
        "slack_oauth_states",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(NAME), nullable=False),
        sa.Column("expire_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_slack_oauth_states"),
    )
    op.create_index("ix_slack_oauth_states_state", "slack_oauth_states", ["state"])
    op.create_table(
        "slack_teams",
        sa.Column("team_id", sa.String(ID), nullable=False),
        sa.Column("enterprise_id", sa.String(ID), nullable=True),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("team_id", name="pk_slack_teams"),
    )


def downgrade() -> None:
    """Drop the install tables: every installed workspace's tokens go with them."""
    op.drop_table("slack_teams")
    op.drop_index("ix_slack_oauth_states_state", table_name="slack_oauth_states")
    op.drop_table("slack_oauth_states")
    op.drop_index("slack_bots_idx", table_name="slack_bots")
    op.drop_table("slack_bots")
    op.drop_index("slack_installations_idx", table_name="slack_installations")
    op.drop_table("slack_installations")
