"""Every row scoped by workspace: team_id on accounts, route_channels, app_settings,
digest_runs, outbox_messages and theme_additions. What was unique globally becomes unique per
team: a route's channel, a setting's key, a digest run's digest+channel+period, an account's
CRM id, a theme's key.

Accounts and outbox rows take their discoveries' team, else the single workspace's (the
discoveries', else the dialogues'). Route channels, settings, digest runs and added themes
keep team "": the deployment's default, which single-workspace mode reads and writes as
before and which every installed workspace falls back to (the environment's role today).

Revision ID: 0025
Revises: 0023
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0025"
down_revision: str | None = "0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCOPED = (
    "accounts", "route_channels", "app_settings", "digest_runs", "outbox_messages",
    "theme_additions",
)  # fmt: skip

# (table, constraint kind, name, columns before, columns after)
PER_TEAM = (
    ("route_channels", "primary", "pk_route_channels", ["route"], ["team_id", "route"]),
    ("app_settings", "primary", "pk_app_settings", ["key"], ["team_id", "key"]),
    (
        "digest_runs", "unique", "uq_digest_runs_digest_channel_id_period",
        ["digest", "channel_id", "period"], ["team_id", "digest", "channel_id", "period"],
    ),
    ("accounts", "unique", "uq_accounts_crm_id", ["crm_id"], ["team_id", "crm_id"]),
    ("theme_additions", "unique", "uq_theme_additions_key", ["key"], ["team_id", "key"]),
)  # fmt: skip


def _name_after(table: str, kind: str, columns: list[str]) -> str:
    return f"pk_{table}" if kind == "primary" else f"uq_{table}_{'_'.join(columns)}"


def upgrade() -> None:
    """Add the columns, fill them, then make the global keys per team."""
    for table in SCOPED:
        with op.batch_alter_table(table) as batch:
            batch.add_column(
                sa.Column("team_id", sa.String(32), nullable=False, server_default="")
            )
    _fill_teams()
    for table, kind, name, _before, after in PER_TEAM:
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(name, type_=kind)
            if kind == "primary":
                batch.create_primary_key(name, after)
            else:
                batch.create_unique_constraint(_name_after(table, kind, after), after)
    op.create_index("ix_accounts_team_id_name", "accounts", ["team_id", "name"])


def _fill_teams() -> None:
    """Rows of a discovery take its team; accounts and posts without one the single
    workspace's; the deployment-wide rows keep "" (the server default)."""
    connection = op.get_bind()
    team = _single_team(connection)
    op.execute(
        sa.text(
            "UPDATE accounts SET team_id = COALESCE((SELECT MIN(d.team_id) FROM discoveries d"
            " WHERE d.account_id = accounts.id), :team)"
        ).bindparams(team=team)
    )
    op.execute(
        sa.text(
            "UPDATE outbox_messages SET team_id = COALESCE((SELECT d.team_id FROM discoveries d"
            " WHERE d.id = outbox_messages.discovery_id), :team)"
        ).bindparams(team=team)
    )


def _single_team(connection: sa.Connection) -> str:
    """The one workspace this database served before installs ("" when it has no rows yet)."""
    for table in ("discoveries", "dialogue_sessions"):
        found = connection.execute(sa.text(f"SELECT MIN(team_id) FROM {table}")).scalar()
        if found:
            return found
    return ""


def downgrade() -> None:
    """Global keys again (rows of a second workspace that collide must be deleted first)."""
    op.drop_index("ix_accounts_team_id_name", table_name="accounts")
    for table, kind, name, before, after in PER_TEAM:
        with op.batch_alter_table(table) as batch:
            if kind == "primary":
                batch.drop_constraint(name, type_=kind)
                batch.create_primary_key(name, before)
            else:
                batch.drop_constraint(_name_after(table, kind, after), type_=kind)
                batch.create_unique_constraint(name, before)
    for table in SCOPED:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("team_id")
