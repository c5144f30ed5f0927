"""The Slack client of each team: one client in single-workspace mode, the team's own bot
token (looked up in the installation store) in OAuth mode.

Delivery, the scheduler and the request middleware ask `clients.for_team(team, enterprise)`;
None means the team has no token (never installed, or uninstalled): its work waits.
"""

from __future__ import annotations

import copy
from typing import Protocol

from slack_sdk import WebClient
from sqlalchemy import Engine

from bot.installs.store import DatabaseInstallationStore
from storage.engine import read_scope
from storage.queries import installs


class TeamClients(Protocol):
    """Who speaks to Slack for a team."""

    def for_team(self, team_id: str | None, enterprise_id: str | None = None) -> WebClient | None:
        """The client for this workspace, or None when it has no token."""
        ...


class SingleWorkspace:
    """Single-workspace mode (SLACK_BOT_TOKEN): one client for every request and job."""

    def __init__(self, client: WebClient) -> None:
        self._client = client

    def for_team(self, team_id: str | None, enterprise_id: str | None = None) -> WebClient:
        """The one client, whatever the team (there is one workspace)."""
        return self._client


class InstalledWorkspaces:
    """OAuth mode: each workspace's newest bot token, from its own install or its Grid
    organisation's org-wide one. The clients share the base client's kept-alive connections."""

    def __init__(self, *, client: WebClient, store: DatabaseInstallationStore, engine: Engine):
        self._client, self._store, self._engine = client, store, engine

    def for_team(self, team_id: str | None, enterprise_id: str | None = None) -> WebClient | None:
        """The team's client; an org-wide token names the workspace in every call (team_id)."""
        if team_id is None:
            return None
        enterprise_id = enterprise_id or self._enterprise_of(team_id)
        bot = self._store.find_bot(enterprise_id=enterprise_id, team_id=team_id)
        if bot is not None:
            return with_token(self._client, bot.bot_token, team_id=None)
        if enterprise_id is None:
            return None
        org = self._store.find_bot(
            enterprise_id=enterprise_id, team_id=None, is_enterprise_install=True
        )
        return None if org is None else with_token(self._client, org.bot_token, team_id=team_id)

    def _enterprise_of(self, team_id: str) -> str | None:
        with read_scope(self._engine) as session:
            return installs.enterprise_of_team(session=session, team_id=team_id)


def with_token(client: WebClient, token: str, *, team_id: str | None) -> WebClient:
    """The client (a KeepAliveWebClient's copy shares its connections) with a team's token;
    an org-wide token needs the workspace named in every call."""
    copied = copy.copy(client)
    copied.token = token
    copied.default_params = dict(client.default_params)  # not the base client's dict
    if team_id is not None:
        copied.default_params["team_id"] = team_id
    return copied
