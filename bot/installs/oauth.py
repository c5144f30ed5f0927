"""OAuth mode: Bolt's install flow on the app's database, and what each request of an
installed workspace works with (its team, its client)."""

from __future__ import annotations

import copy
import threading

from slack_bolt import BoltContext
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk import WebClient
from sqlalchemy import Engine

from bot.installs.clients import InstalledWorkspaces, SingleWorkspace, TeamClients, with_token
from bot.installs.store import DatabaseInstallationStore, DatabaseOAuthStateStore
from bot.manifest import BOT_SCOPES, REDIRECT_PATH
from bot.settings import Settings
from storage.engine import session_scope
from storage.queries.installs import note_team
from storage.types import utc_now

INSTALL_PATH = "/slack/install"


def oauth_settings(*, settings: Settings, engine: Engine) -> OAuthSettings:
    """Bolt's OAuth flow: /slack/install hands out a one-time state and Slack's install link;
    /slack/oauth_redirect checks the state, trades the code for the bot token and keeps it."""
    secret = settings.client_secret.get_secret_value()  # type: ignore[union-attr]
    return OAuthSettings(
        client_id=settings.client_id,
        client_secret=secret,
        scopes=BOT_SCOPES,
        installation_store=installation_store(settings=settings, engine=engine),
        installation_store_bot_only=True,  # the bot's token is all the app uses
        state_store=DatabaseOAuthStateStore(engine=engine),
        install_path=INSTALL_PATH,
        redirect_uri_path=REDIRECT_PATH,
        authorization_url=settings.authorization_url,
    )


def installation_store(*, settings: Settings, engine: Engine) -> DatabaseInstallationStore:
    """The installs of this app (its client id) in the app's database."""
    return DatabaseInstallationStore(engine=engine, client_id=settings.client_id or "")


def team_clients(*, settings: Settings, engine: Engine, client: WebClient) -> TeamClients:
    """Each team's client: the one client, or each install's token in OAuth mode."""
    if not settings.oauth_configured:
        return SingleWorkspace(client)
    store = installation_store(settings=settings, engine=engine)
    return InstalledWorkspaces(client=client, store=store, engine=engine)


class RequestTeams:
    """The workspace and client of each request. An org-wide install's events name the
    workspace only in the envelope (their authorization has no team), and delivery, which
    knows only the team, must find the organisation's token: each workspace seen in an
    organisation is noted once per process."""

    def __init__(self, *, client: WebClient, engine: Engine, oauth: bool) -> None:
        self._client, self._engine, self._oauth = client, engine, oauth
        self._noted: set[str] = set()
        self._lock = threading.Lock()

    def workspace_of(self, context: BoltContext, body: dict) -> str | None:
        """The workspace a request comes from."""
        return context.team_id or body.get("team_id") or None

    def client_for(self, context: BoltContext, team_id: str | None) -> WebClient:
        """The app's client (its kept-alive connections), with the token Bolt authorized."""
        if not self._oauth:
            return self._client
        if team_id and context.enterprise_id:
            self._note(team_id, context.enterprise_id)
        if context.bot_token is None:  # uninstall and revocation events: nothing to call
            return copy.copy(self._client)
        org_wide = team_id if context.is_enterprise_install else None
        return with_token(self._client, context.bot_token, team_id=org_wide)

    def _note(self, team_id: str, enterprise_id: str) -> None:
        with self._lock:
            if team_id in self._noted:
                return
        with session_scope(self._engine) as session:  # twice at once is harmless: kept once
            note_team(session=session, team_id=team_id, enterprise_id=enterprise_id, now=utc_now())
        with self._lock:
            self._noted.add(team_id)  # after the commit: a failed write is tried again
