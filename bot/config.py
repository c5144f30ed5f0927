"""What admins change in Slack (stored in app_settings), read with the environment as default.

Per workspace: read with the workspace's team (its own rows, else the deployment's); written
under it when installed by OAuth, under the deployment's ("") in single-workspace mode, so
that one workspace's admin never changes another's channels or schedule."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.discoveries.blocked import retarget_blocked
from bot.discoveries.nudges import SETTING as NUDGE_SETTING
from bot.discoveries.nudges import nudge_days
from bot.domain.actor import Actor, AdminsOnly
from bot.domain.workspace import MAX_NUDGE_DAYS as MAX_NUDGE_DAYS
from bot.domain.workspace import WorkspaceConfig, known_zone
from bot.settings import DigestSchedule, Settings, parse_weekly
from bot.working_days import known_country
from storage.queries import get_setting, route_channels, set_route_channel, set_setting
from storage.queries.config import ADMINS, COACHES, workspace_setting, workspace_settings_of

DIGEST_SCHEDULE = "digest_schedule"  # text like 'mon 09:00'
TIMEZONE = "timezone"  # an IANA name like 'Europe/Berlin'
HOLIDAYS = "holidays"  # a country code like 'DE' ("" weekdays only)


def workspace_admins(*, session: Session, settings: Settings, team_id: str) -> frozenset[str]:
    """Who administers the workspace: its own list (its installer first, then as its admins
    changed it), else its organisation's or the deployment's, else VALUESCOUT_ADMINS."""
    return _admins(workspace_setting(session=session, key=ADMINS, team_id=team_id), settings)


def admins_and_zone(
    *, session: Session, settings: Settings, team_id: str
) -> tuple[frozenset[str], ZoneInfo]:
    """A request's workspace: its admins and its time zone, read in one query."""
    keys = (ADMINS, TIMEZONE)
    stored = workspace_settings_of(session=session, keys=keys, team_id=team_id)
    zone = ZoneInfo(_zone_name(stored.get(TIMEZONE), settings))
    return _admins(stored.get(ADMINS), settings), zone


def _admins(stored: object, settings: Settings) -> frozenset[str]:
    return settings.admins if stored is None else frozenset(stored)  # type: ignore[arg-type]


def workspace_coaches(*, session: Session, settings: Settings, team_id: str) -> frozenset[str]:
    """Who reads `/scout coach` besides the coach channel's members: the workspace's list, else
    VALUESCOUT_COACHES (an install starts its workspace with none named)."""
    stored = workspace_setting(session=session, key=COACHES, team_id=team_id)
    return settings.coaches if stored is None else frozenset(stored)


def workspace_timezone(*, session: Session, settings: Settings, team_id: str) -> str:
    """The workspace's IANA time zone name: its own (or its organisation's, or the
    deployment's) as an admin set it, else VALUESCOUT_TIMEZONE."""
    return _zone_name(workspace_setting(session=session, key=TIMEZONE, team_id=team_id), settings)


def _zone_name(stored: object, settings: Settings) -> str:
    # Validated when saved; a hand-edited row (or a zone this machine lacks) must not stop jobs.
    return stored if isinstance(stored, str) and known_zone(stored) else settings.timezone


def workspace_holidays(*, session: Session, settings: Settings, team_id: str) -> str:
    """The country whose public holidays the workspace does not work on ("": none), as an
    admin set it, else VALUESCOUT_HOLIDAYS."""
    stored = workspace_setting(session=session, key=HOLIDAYS, team_id=team_id)
    if isinstance(stored, str) and (not stored or known_country(stored)):
        return stored
    return settings.holidays or ""  # a hand-edited row must not stop the jobs


def workspace_zone(*, session: Session, settings: Settings, team_id: str) -> ZoneInfo:
    """The workspace's time zone: its digests, working days and the dates it is shown."""
    return ZoneInfo(workspace_timezone(session=session, settings=settings, team_id=team_id))


def workspace_settings(*, session: Session, settings: Settings, team_id: str) -> Settings:
    """The deployment's settings as one workspace sees them: in its own time zone, with its own
    public holidays (what the jobs and CLI commands read as `settings.zone` and `.calendar`)."""
    mine = {"session": session, "settings": settings, "team_id": team_id}
    own = {"timezone": workspace_timezone(**mine), "holidays": workspace_holidays(**mine) or None}
    same = own == {"timezone": settings.timezone, "holidays": settings.holidays}
    return settings if same else settings.model_copy(update=own)


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
        timezone=workspace_timezone(session=session, settings=settings, team_id=team_id),
        holidays=workspace_holidays(session=session, settings=settings, team_id=team_id),
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
    for key, value in ((TIMEZONE, config.timezone), (HOLIDAYS, config.holidays)):
        if value is not None:
            set_setting(session=session, key=key, value=value, changed_by=admin, now=now,
                        team_id=scope)  # fmt: skip


def settings_to_change(*, session: Session, settings: Settings, actor: Actor) -> WorkspaceConfig:
    """The configuration in force in the admin's workspace, for them to change."""
    _require_admin(actor)
    return load_config(session=session, settings=settings, team_id=actor.team_id)


def change_settings(
    *, session: Session, actor: Actor, config: WorkspaceConfig, now: datetime, scope: str = "",
    settings: Settings | None = None,
) -> None:  # fmt: skip
    """An admin's validated changes, stored; anyone else is refused (a forged submit too).
    With `settings`, admins, coaches, the time zone and holidays are stored only when changed:
    saving a channel must not freeze what follows VALUESCOUT_ADMINS, _COACHES, _TIMEZONE and
    _HOLIDAYS."""
    _require_admin(actor)
    if settings is not None:
        config = _unchanged_left_out(config, load_config(
            session=session, settings=settings, team_id=actor.team_id
        ))  # fmt: skip
    save_config(session=session, config=config, admin=actor.user_id, now=now, scope=scope)


def _unchanged_left_out(config: WorkspaceConfig, current: WorkspaceConfig) -> WorkspaceConfig:
    """The config with what did not change left out (None): people lists, zone, holidays."""
    return replace(
        config,
        admins=None if config.admins == current.admins else config.admins,
        coaches=None if config.coaches == current.coaches else config.coaches,
        timezone=None if config.timezone == current.timezone else config.timezone,
        holidays=None if config.holidays == current.holidays else config.holidays,
    )


def _require_admin(actor: Actor) -> None:
    if not actor.is_admin:
        raise AdminsOnly(actor.user_id)
