"""slack_sdk's installation and OAuth state stores, kept in the app's own database.

slack_sdk ships SQLAlchemy stores of the same tables, but importing them imports
sqlalchemy.ext.asyncio, which SQLAlchemy 2.1 refuses without greenlet; they also create
their tables at run time and keep naive times. These use migration 0023's tables through
the app's engine and sessions, with aware UTC times.
"""

from __future__ import annotations

import logging
import uuid
from datetime import timedelta

from slack_sdk.oauth.installation_store import Bot, Installation, InstallationStore
from slack_sdk.oauth.state_store import OAuthStateStore
from sqlalchemy import Engine
from sqlmodel import Session

from storage.engine import read_scope, session_scope
from storage.models import SlackBot, SlackInstallation
from storage.queries import installs
from storage.queries.config import ADMINS, COACHES, set_setting_once
from storage.types import utc_now

log = logging.getLogger(__name__)
STATE_LIFETIME = timedelta(minutes=10)  # from /slack/install to the redirect: one sitting


class DatabaseInstallationStore(InstallationStore):
    """Bot tokens (and installers' user tokens) by workspace or Grid organisation."""

    def __init__(self, *, engine: Engine, client_id: str) -> None:
        self._engine, self._client_id = engine, client_id

    @property
    def logger(self) -> logging.Logger:
        return log

    def save(self, installation: Installation) -> None:
        """Keep an install and its bot, and which organisation its workspace is in; the posts
        that waited for the workspace's token (uninstalled before) go out now."""
        values = _columns(installation.to_dict(), SlackInstallation)
        with session_scope(self._engine) as session:
            installs.save_installation(session=session, client_id=self._client_id, values=values)
            if installation.team_id is not None:
                installs.note_team(
                    session=session, team_id=installation.team_id,
                    enterprise_id=installation.enterprise_id, now=utc_now(),
                )  # fmt: skip
            teams = _installed_teams(session, installation)
            installs.wake_waiting_outbox(session=session, team_ids=teams, now=utc_now())
            _first_people(session, installation)

    def save_bot(self, bot: Bot) -> None:
        """Keep a bot token (a rotated one, say)."""
        with session_scope(self._engine) as session:
            values = _columns(bot.to_dict(), SlackBot)
            installs.save_bot(session=session, client_id=self._client_id, values=values)

    def find_bot(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        is_enterprise_install: bool | None = False,
    ) -> Bot | None:
        """The newest bot token of a workspace, or of the organisation for org-wide installs."""
        team_id = None if is_enterprise_install else team_id
        with read_scope(self._engine) as session:
            row = installs.latest_bot(
                session=session, client_id=self._client_id,
                enterprise_id=enterprise_id, team_id=team_id,
            )  # fmt: skip
            return None if row is None else Bot(**_fields(row))

    def find_installation(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None = None,
        is_enterprise_install: bool | None = False,
    ) -> Installation | None:
        """The newest install (by this user, when given), with the newest bot token."""
        team_id = None if is_enterprise_install else team_id
        with read_scope(self._engine) as session:
            row = installs.latest_installation(
                session=session, client_id=self._client_id,
                enterprise_id=enterprise_id, team_id=team_id, user_id=user_id,
            )  # fmt: skip
            installation = None if row is None else Installation(**_fields(row))
        if installation is not None:
            _take_newest_bot(installation, self.find_bot(
                enterprise_id=enterprise_id, team_id=team_id,
                is_enterprise_install=is_enterprise_install,
            ))  # fmt: skip
        return installation

    def delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        """Forget the bot tokens (tokens_revoked, app_uninstalled)."""
        with session_scope(self._engine) as session:
            installs.delete_bots(
                session=session, client_id=self._client_id,
                enterprise_id=enterprise_id, team_id=team_id,
            )  # fmt: skip
        log.info("bot tokens of team %s (enterprise %s) deleted", team_id, enterprise_id)

    def delete_installation(
        self, *, enterprise_id: str | None, team_id: str | None, user_id: str | None = None
    ) -> None:
        """Forget the installs (one person's user token, when user_id is given)."""
        with session_scope(self._engine) as session:
            installs.delete_installations(
                session=session, client_id=self._client_id,
                enterprise_id=enterprise_id, team_id=team_id, user_id=user_id,
            )  # fmt: skip


def _first_people(session: Session, installation: Installation) -> None:
    """The installer becomes the workspace's (or organisation's) first admin, and it starts
    with no coaches named: the deployment's VALUESCOUT_ADMINS and VALUESCOUT_COACHES are
    another workspace's people. A reinstall keeps what its admins set since."""
    scope = installation.team_id or installation.enterprise_id
    if not scope or not installation.user_id:
        return
    now, by = utc_now(), installation.user_id
    for key, people in ((ADMINS, [installation.user_id]), (COACHES, [])):
        set_setting_once(session=session, key=key, value=people, changed_by=by, now=now,
                         team_id=scope)  # fmt: skip


class DatabaseOAuthStateStore(OAuthStateStore):
    """One-time states for the install flow: issued at /slack/install, consumed at the
    redirect, refused when unknown, used or older than STATE_LIFETIME."""

    def __init__(self, *, engine: Engine, lifetime: timedelta = STATE_LIFETIME) -> None:
        self._engine, self._lifetime = engine, lifetime

    @property
    def logger(self) -> logging.Logger:
        return log

    def issue(self, *args: object, **kwargs: object) -> str:
        """A new random state, kept until it expires."""
        state = str(uuid.uuid4())
        with session_scope(self._engine) as session:
            installs.issue_state(session=session, state=state, expire_at=utc_now() + self._lifetime)
        return state

    def consume(self, state: str) -> bool:
        """True once for a state issued here that has not expired."""
        with session_scope(self._engine) as session:
            return installs.consume_state(session=session, state=state, now=utc_now())


def _installed_teams(session: Session, installation: Installation) -> list[str]:
    """The workspace installed, or every one seen in the organisation for org-wide installs."""
    if installation.team_id is not None:
        return [installation.team_id]
    enterprise = installation.enterprise_id or ""
    return installs.teams_of_enterprise(session=session, enterprise_id=enterprise)


def _columns(values: dict, model: type) -> dict:
    """The values a table has columns for (custom values are not kept)."""
    return {key: value for key, value in values.items() if key in model.model_fields}


def _fields(row: SlackInstallation | SlackBot) -> dict:
    """A row's values as slack_sdk's model takes them."""
    return row.model_dump(exclude={"id", "client_id"})


def _take_newest_bot(installation: Installation, bot: Bot | None) -> None:
    """An older install by the same person still answers with the newest bot token."""
    if bot is None or bot.bot_token == installation.bot_token:
        return
    installation.bot_id, installation.bot_user_id = bot.bot_id, bot.bot_user_id
    installation.bot_token, installation.bot_scopes = bot.bot_token, bot.bot_scopes
    installation.bot_refresh_token = bot.bot_refresh_token
    installation.bot_token_expires_at = bot.bot_token_expires_at
