"""What admins change in Slack (stored in app_settings), read with the environment as default.

Per workspace: read with the workspace's team (its own rows, else the deployment's); written
under it when installed by OAuth, under the deployment's ("") in single-workspace mode, so
that one workspace's admin never changes another's channels or schedule."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from sqlmodel import Session

from bot.discoveries.blocked import retarget_blocked
from bot.discoveries.nudges import SETTING as NUDGE_SETTING
from bot.discoveries.nudges import nudge_days
from bot.domain.actor import Actor, AdminsOnly
from bot.domain.workspace import MAX_NUDGE_DAYS as MAX_NUDGE_DAYS
from bot.domain.workspace import WorkspaceConfig
from bot.settings import DigestSchedule, Settings, parse_weekly
from storage.queries import get_setting, route_channels, set_route_channel, set_setting
from storage.queries.config import ADMINS, COACHES, workspace_setting

DIGEST_SCHEDULE = "digest_schedule"  # text like 'mon 09:00'


def workspace_admins(*, session: Session, settings: Settings, team_id: str) -> frozenset[str]:
    """Who administers the workspace: its own list (its installer first, then as its admins
    changed it), else its organisation's or the deployment's, else VALUESCOUT_ADMINS."""
    stored = workspace_setting(session=session, key=ADMINS, team_id=team_id)
    return settings.admins if stored is None else frozenset(stored)


def workspace_coaches(*, session: Session, settings: Settings, team_id: str) -> frozenset[str]:
    """Who reads `/scout coach` besides the coach channel's members: the workspace's list, else
    VALUESCOUT_COACHES (an install starts its workspace with none named)."""
    stored = workspace_setting(session=session, key=COACHES, team_id=team_id)
    return settings.coaches if stored is None else frozenset(stored)


def digest_schedule(*, session: Session, settings: Settings, team_id: str = "") -> DigestSchedule:
    """The digest schedule an admin set in Slack, else VALUESCOUT_DIGEST_SCHEDULE."""
    stored = get_setting(session=session, key=DIGEST_SCHEDULE, default=None, team_id=team_id)
    try:
        return parse_weekly(stored) if stored else settings.schedule
    except ValueError:  # validated when saved; a hand-edited row must not stop digests
        return settings.schedule


def load_config(*, session: Session, settings: Settings, team_id: str = "") -> WorkspaceConfig:
    """The configuration in force now in the workspace."""
    return WorkspaceConfig(
        channels=route_channels(session=session, team_id=team_id),
        schedule=digest_schedule(session=session, settings=settings, team_id=team_id),
        nudge_days=nudge_days(session, team_id),
        admins=workspace_admins(session=session, settings=settings, team_id=team_id),
        coaches=workspace_coaches(session=session, settings=settings, team_id=team_id),
    )


def settings_scope(settings: Settings, team_id: str) -> str:
    """Where a workspace's changes are stored: its team installed by OAuth, else ""."""
    return team_id if settings.oauth_configured else ""


def save_config(
    *, session: Session, config: WorkspaceConfig, admin: str, now: datetime, scope: str = ""
) -> None:
    """Store an admin's changes (already validated); every process reads them from here.
    Cards waiting on a channel that refused them go to their route's new channel."""
    for role, channel in config.channels.items():
        set_route_channel(
            session=session, route=role, channel_id=channel, changed_by=admin, now=now,
            team_id=scope,
        )  # fmt: skip
    retarget_blocked(session=session, channels=config.channels, now=now, team_id=scope or None)
    set_setting(session=session, key=DIGEST_SCHEDULE, value=str(config.schedule),
                changed_by=admin, now=now, team_id=scope)  # fmt: skip
    set_setting(session=session, key=NUDGE_SETTING, value=config.nudge_days,
                changed_by=admin, now=now, team_id=scope)  # fmt: skip
    for key, people in ((ADMINS, config.admins), (COACHES, config.coaches)):
        if people is not None and (people or key != ADMINS):  # someone must stay admin
            set_setting(session=session, key=key, value=sorted(people),
                        changed_by=admin, now=now, team_id=scope)  # fmt: skip


def settings_to_change(*, session: Session, settings: Settings, actor: Actor) -> WorkspaceConfig:
    """The configuration in force in the admin's workspace, for them to change."""
    _require_admin(actor)
    return load_config(session=session, settings=settings, team_id=actor.team_id)


def change_settings(
    *, session: Session, actor: Actor, config: WorkspaceConfig, now: datetime, scope: str = "",
    settings: Settings | None = None,
) -> None:  # fmt: skip
    """An admin's validated changes, stored; anyone else is refused (a forged submit too).
    With `settings`, admins and coaches are stored only when changed: saving a channel must
    not freeze the lists that follow VALUESCOUT_ADMINS and VALUESCOUT_COACHES."""
    _require_admin(actor)
    if settings is not None:
        config = _people_changed(config, load_config(
            session=session, settings=settings, team_id=actor.team_id
        ))  # fmt: skip
    save_config(session=session, config=config, admin=actor.user_id, now=now, scope=scope)


def _people_changed(config: WorkspaceConfig, current: WorkspaceConfig) -> WorkspaceConfig:
    """The config with the people lists that did not change left out (None)."""
    return replace(
        config,
        admins=None if config.admins == current.admins else config.admins,
        coaches=None if config.coaches == current.coaches else config.coaches,
    )


def _require_admin(actor: Actor) -> None:
    if not actor.is_admin:
        raise AdminsOnly(actor.user_id)
