"""Route-to-channel map and admin-editable settings, per workspace.

team_id "" is the deployment's scope: single-workspace mode's only one, seeded from the
environment, and the default of every installed workspace without a row of its own.
"""

from collections.abc import Collection
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from storage.models import AppSetting, RouteChannel, SlackTeam
from storage.queries._dialect import insert_for
from storage.types import utc_now

# Per-workspace lists of user ids (JSON arrays): who administers it, who reads /scout coach.
ADMINS, COACHES = "admins", "coaches"


def route_channels(*, session: Session, team_id: str = "") -> dict[str, str]:
    """Return the channel id of every mapped route (and "coach"), keyed by route name: the
    workspace's own, else the deployment's."""
    # Columns, not entities: identity-mapped objects could be stale after an upsert.
    query = select(RouteChannel.team_id, RouteChannel.route, RouteChannel.channel_id)
    rows = session.exec(query.where(col(RouteChannel.team_id).in_({"", team_id}))).all()
    ordered = sorted(rows, key=lambda row: row[0] != "")  # the deployment's first, then own
    return {str(route): channel_id for _team, route, channel_id in ordered}


def set_route_channel(
    *,
    session: Session,
    route: str,
    channel_id: str,
    changed_by: str | None,
    now: datetime | None = None,
    team_id: str = "",
) -> None:
    """Map a route to a channel, replacing any earlier mapping (an admin's choice)."""
    values = {"channel_id": channel_id, "updated_by": changed_by, "updated_at": now or utc_now()}
    statement = insert_for(session, RouteChannel).values(team_id=team_id, route=route, **values)
    keys = ["team_id", "route"]
    session.exec(statement.on_conflict_do_update(index_elements=keys, set_=values))


def seed_route_channels(
    *, session: Session, channels: dict[str, str | None], now: datetime | None = None
) -> None:
    """Map routes from configuration, but only those with no mapping yet (admins win)."""
    # Environment variables give the first map; later changes are made in Slack and must
    # survive restarts, so existing rows are never overwritten here.
    for route, channel_id in channels.items():
        if not channel_id:
            continue
        statement = insert_for(session, RouteChannel).values(
            route=route, channel_id=channel_id, updated_at=now or utc_now()
        )
        session.exec(statement.on_conflict_do_nothing(index_elements=["team_id", "route"]))


def get_setting(*, session: Session, key: str, default: Any = None, team_id: str = "") -> Any:
    """Return a setting's JSON value (the workspace's, else the deployment's), or default
    when it was never set."""
    statement = select(AppSetting.value, AppSetting.team_id).where(
        AppSetting.key == key, col(AppSetting.team_id).in_({"", team_id})
    )
    rows = sorted(session.exec(statement).all(), key=lambda row: row[1] == "")
    return default if not rows else rows[0][0]


def workspace_setting(*, session: Session, key: str, team_id: str) -> Any:
    """A setting's JSON value: the workspace's own, else its Grid organisation's (an org-wide
    install's), else the deployment's (""); None when none holds it. One query."""
    return workspace_settings_of(session=session, keys=(key,), team_id=team_id).get(key)


def workspace_settings_of(*, session: Session, keys: Collection[str], team_id: str) -> dict:
    """Several settings at once, each resolved as workspace_setting does (a key none holds is
    left out). One query: the request middleware reads a workspace's admins and zone so."""
    organisation = select(SlackTeam.enterprise_id).where(SlackTeam.team_id == team_id)
    scopes = col(AppSetting.team_id).in_({team_id, ""}) | (
        col(AppSetting.team_id) == organisation.scalar_subquery()
    )
    wanted = col(AppSetting.key).in_(list(keys))
    statement = select(AppSetting.key, AppSetting.team_id, AppSetting.value).where(wanted, scopes)
    found: dict[str, dict[str, Any]] = {}
    for key, scope, value in session.exec(statement).all():
        found.setdefault(key, {})[scope] = value
    return {key: _nearest(values, team_id) for key, values in found.items()}


def _nearest(values: dict[str, Any], team_id: str) -> Any:
    """The workspace's own value, else its organisation's, else the deployment's."""
    if team_id in values:
        return values[team_id]
    organisation_value = [value for scope, value in values.items() if scope not in ("", team_id)]
    return organisation_value[0] if organisation_value else values.get("")


def set_setting_once(
    *, session: Session, key: str, value: Any, changed_by: str | None, now: datetime,
    team_id: str,
) -> None:  # fmt: skip
    """Set a setting unless the scope holds it already (an install sets its first admin; a
    reinstall must not undo what the workspace's admins chose since)."""
    values = {"value": value, "updated_by": changed_by, "updated_at": now}
    statement = insert_for(session, AppSetting).values(team_id=team_id, key=key, **values)
    session.exec(statement.on_conflict_do_nothing(index_elements=["team_id", "key"]))


def set_setting(
    *,
    session: Session,
    key: str,
    value: Any,
    changed_by: str | None,
    now: datetime | None = None,
    team_id: str = "",
) -> None:
    """Set a setting's JSON value, creating or replacing it."""
    values = {"value": value, "updated_by": changed_by, "updated_at": now or utc_now()}
    statement = insert_for(session, AppSetting).values(team_id=team_id, key=key, **values)
    keys = ["team_id", "key"]
    session.exec(statement.on_conflict_do_update(index_elements=keys, set_=values))


SCOUT_DIGEST_OFF = "scout_digest_off:"  # + user id: one row per scout, so clicks never race


def scout_digest_opt_outs(*, session: Session) -> frozenset[str]:
    """The scouts who turned their weekly digest DM off."""
    prefix = col(AppSetting.key).startswith(SCOUT_DIGEST_OFF, autoescape=True)
    rows = session.exec(select(AppSetting.key, AppSetting.value).where(prefix)).all()
    return frozenset(key.removeprefix(SCOUT_DIGEST_OFF) for key, off in rows if off is True)


def set_scout_digest_opt_out(*, session: Session, user_id: str, off: bool, now: datetime) -> None:
    """Turn a scout's weekly digest DM off (or back on); the latest click wins."""
    key = SCOUT_DIGEST_OFF + user_id
    set_setting(session=session, key=key, value=off, changed_by=user_id, now=now)
