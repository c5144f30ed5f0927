"""Several workspaces and installs by OAuth: Slack's authorize page (which redirects back to
the app with a code), oauth.v2.access (the code for a bot token), org-wide installs on a
Grid organisation, and uninstalling (the tokens stop working)."""

from __future__ import annotations

import base64
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from bot.emulator.seed import Seed
from bot.emulator.workspace import Workspace

Answer = tuple[int, dict[str, str], Any]


@dataclass(frozen=True)
class OAuthApp:
    """The app's credentials and Redirect URL, as set on its Slack config page."""

    client_id: str
    client_secret: str
    redirect_url: str


@dataclass(frozen=True)
class _Grant:
    """What a code from the authorize page stands for: an install by `user` in a workspace
    (team) or a whole organisation (enterprise), with these scopes."""

    team_id: str | None
    enterprise_id: str | None
    user: str
    scopes: str


class Teams:
    """The emulated workspaces by team id, and which workspace each token speaks for."""

    def __init__(self, primary: Workspace, clock: Callable[[], float]) -> None:
        self.workspaces: dict[str, Workspace] = {primary.seed.team_id: primary}
        self._clock = clock
        self.oauth: OAuthApp | None = None
        self._codes: dict[str, _Grant] = {}
        # Who approves an install of a workspace or organisation (its seeded admin if unset).
        self.approvers: dict[str, str] = {}

    def add(self, seed: Seed) -> Workspace:
        """A further workspace (in a Grid organisation when its seed names one)."""
        workspace = Workspace(seed, clock=self._clock)
        self.workspaces[seed.team_id] = workspace
        return workspace

    def holding_file(self, file_id: str) -> Workspace | None:
        """The workspace an upload URL was issued in (each has its own files)."""
        return next((ws for ws in self.workspaces.values() if ws.files.knows(file_id)), None)

    def resolve(self, token: str, team_id: str | None) -> tuple[Workspace, str] | str:
        """The workspace and user a token speaks for, or Slack's error. An org-wide token
        names the workspace in each call (`team_id`); auth.test may leave it out."""
        found = [ws for ws in self.workspaces.values() if token in ws.tokens]
        if not found:
            return "invalid_auth"
        if team_id is not None:
            found = [ws for ws in found if ws.seed.team_id == team_id]
        if not found:
            return "team_access_not_granted"
        return found[0], found[0].tokens[token]

    def authorize(self, query: dict[str, str]) -> Answer:
        """The authorize page, approved at once by the workspace's admin: back to the app's
        Redirect URL with a code and the app's state. `team` picks the workspace, or an
        organisation's id (E…) for an org-wide install."""
        if self.oauth is None or query.get("client_id") != self.oauth.client_id:
            return 400, {}, "invalid_client_id"
        chosen = query.get("team") or next(iter(self.workspaces))
        members = [
            ws
            for ws in self.workspaces.values()
            if chosen in (ws.seed.team_id, ws.seed.enterprise_id)
        ]
        if not members:
            return 400, {}, "team_not_found"
        org_wide = chosen == members[0].seed.enterprise_id
        grant = _Grant(
            team_id=None if org_wide else chosen, enterprise_id=members[0].seed.enterprise_id,
            user=self.approvers.get(chosen, members[0].seed.admin), scopes=query.get("scope", ""),
        )  # fmt: skip
        code = secrets.token_hex(12)
        self._codes[code] = grant
        back = {"code": code, "state": query.get("state", "")}
        return 302, {"Location": f"{self.oauth.redirect_url}?{urlencode(back)}"}, ""

    def access(self, params: dict[str, Any]) -> dict[str, Any]:
        """oauth.v2.access: a code (used once) and the app's credentials for a new bot token."""
        if self.oauth is None or (params.get("client_id"), params.get("client_secret")) != (
            self.oauth.client_id, self.oauth.client_secret,
        ):  # fmt: skip
            return {"ok": False, "error": "invalid_client_id"}
        grant = self._codes.pop(str(params.get("code")), None)
        if grant is None:
            return {"ok": False, "error": "invalid_code"}
        return {"ok": True, **self._issue(grant)}

    def _issue(self, grant: _Grant) -> dict[str, Any]:
        """A bot token valid in the granted workspace, or in every one of the organisation."""
        members = self._granted(grant)
        seed = members[0].seed
        token = f"xoxb-{seed.team_domain}-{secrets.token_hex(6)}"
        for workspace in members:
            workspace.tokens[token] = workspace.seed.bot_user_id
        team = None if grant.team_id is None else {"id": seed.team_id, "name": seed.team_name}
        enterprise = {"id": grant.enterprise_id, "name": "Initech"} if grant.enterprise_id else None
        return {
            "app_id": seed.app_id, "authed_user": {"id": grant.user}, "scope": grant.scopes,
            "token_type": "bot", "access_token": token, "bot_user_id": seed.bot_user_id,
            "team": team, "enterprise": enterprise,
            "is_enterprise_install": grant.team_id is None,
        }  # fmt: skip

    def _granted(self, grant: _Grant) -> list[Workspace]:
        if grant.team_id is not None:
            return [self.workspaces[grant.team_id]]
        return [
            ws for ws in self.workspaces.values() if ws.seed.enterprise_id == grant.enterprise_id
        ]

    def uninstall(self, team_or_enterprise: str) -> None:
        """The app is removed from a workspace (or organisation): its tokens stop working."""
        for workspace in self.workspaces.values():
            if team_or_enterprise in (workspace.seed.team_id, workspace.seed.enterprise_id):
                issued = [token for token in workspace.tokens if token != workspace.seed.bot_token]
                for token in issued:
                    del workspace.tokens[token]


def basic_credentials(header: str | None) -> dict[str, str]:
    """client_id and client_secret from an `Authorization: Basic` header (slack_sdk's way)."""
    scheme, _, encoded = (header or "").partition(" ")
    if scheme.lower() != "basic":
        return {}
    try:
        client_id, _, secret = base64.b64decode(encoded.strip()).decode().partition(":")
    except ValueError:
        return {}
    return {"client_id": client_id, "client_secret": secret}
