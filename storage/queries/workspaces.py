"""The workspaces (Slack teams) a database holds rows of: list them, and delete one's rows.

How each table is scoped (the closing note of issue 16 reads it from here):
- by its team_id column: discoveries, dialogue_sessions, domain_events, accounts,
  outbox_messages, route_channels, app_settings, digest_runs, theme_additions,
  slack_installations, slack_bots, slack_teams;
- through its discovery (discovery_id, deleted with it): discovery_routes, status_changes,
  follow_ups, stage_changes, discovery_supporters, theme_corrections;
- global on purpose: processed_requests (Slack's own ids, unique across workspaces; no
  customer data), channel_pacing (a channel id is one channel, even shared across a Grid),
  scheduler_heartbeats (processes, not workspaces), slack_oauth_states (an install in flight
  has no team yet), alembic_version.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session, col, delete, select

from storage.models import (
    Account,
    AppSetting,
    DialogueSession,
    DigestRun,
    Discovery,
    DiscoveryRoute,
    DiscoverySupporter,
    FollowUp,
    OutboxMessage,
    RecordedEvent,
    RouteChannel,
    SlackBot,
    SlackInstallation,
    SlackTeam,
    StageChange,
    StatusChange,
    ThemeAddition,
    ThemeCorrection,
)

# Child rows first: each table is emptied before the one its rows point at.
THROUGH_DISCOVERY = (
    DiscoverySupporter, ThemeCorrection, StageChange, FollowUp, StatusChange, DiscoveryRoute,
)  # fmt: skip
BY_TEAM = (
    OutboxMessage, RecordedEvent, DialogueSession, Discovery, Account, RouteChannel, AppSetting,
    DigestRun, ThemeAddition, SlackInstallation, SlackBot, SlackTeam,
)  # fmt: skip
WITH_ROWS = (Discovery, DialogueSession, Account, SlackTeam, SlackBot)


def workspace_teams(*, session: Session) -> dict[str, dict[str, int]]:
    """Every workspace with rows, and how many discoveries, dialogues, accounts it has
    (installed: 1 when a bot token of its own or its organisation's is stored)."""
    teams: dict[str, dict[str, int]] = {}
    for model in (Discovery, DialogueSession, Account):
        counted = select(model.team_id, sa.func.count()).group_by(model.team_id)
        for team, count in session.exec(counted).all():
            if team:
                teams.setdefault(team, {})[model.__tablename__] = count
    for team in session.exec(select(SlackTeam.team_id)).all():
        teams.setdefault(team, {})
    for team in teams:
        teams[team]["installed"] = int(_installed(session, team))
    return dict(sorted(teams.items()))


def _installed(session: Session, team_id: str) -> bool:
    own = select(SlackBot.id).where(SlackBot.team_id == team_id)
    if session.exec(own).first() is not None:
        return True
    enterprise = session.exec(select(SlackTeam.enterprise_id).where(SlackTeam.team_id == team_id))
    org = enterprise.first()
    if org is None:
        return False
    org_wide = select(SlackBot.id).where(
        SlackBot.enterprise_id == org, SlackBot.is_enterprise_install
    )
    return session.exec(org_wide).first() is not None


def installed_teams(*, session: Session) -> list[str]:
    """The workspaces with a bot token: their own, or their Grid organisation's org-wide one
    (a workspace of an organisation is known once it sent a request: slack_teams)."""
    own = select(SlackBot.team_id).where(col(SlackBot.team_id).is_not(None))
    orgs = select(SlackBot.enterprise_id).where(SlackBot.is_enterprise_install)
    in_org = select(SlackTeam.team_id).where(col(SlackTeam.enterprise_id).in_(orgs))
    return sorted({*session.exec(own).all(), *session.exec(in_org).all()})


def adopt_unscoped_accounts(*, session: Session, team_id: str) -> int:
    """Give accounts without a workspace ("": imported before the database knew its team)
    to the single workspace's team; how many."""
    adopted = sa.update(Account).where(Account.team_id == "").values(team_id=team_id)
    return session.exec(adopted).rowcount


def only_team(*, session: Session) -> str | None:
    """The one workspace this database holds rows of; None when it holds none or several."""
    teams = list(workspace_teams(session=session))
    return teams[0] if len(teams) == 1 else None


def delete_workspace(*, session: Session, team_id: str) -> dict[str, int]:
    """Delete every row of the workspace, in every table; how many went from each."""
    if not team_id:
        raise ValueError("a workspace's team id is needed (not the deployment's default)")
    ids = select(Discovery.id).where(Discovery.team_id == team_id)
    counts = {}
    for model in THROUGH_DISCOVERY:
        gone = delete(model).where(col(model.discovery_id).in_(ids))
        counts[model.__tablename__] = session.exec(gone).rowcount
    for model in BY_TEAM:
        gone = delete(model).where(model.team_id == team_id)
        counts[model.__tablename__] = session.exec(gone).rowcount
    return counts
