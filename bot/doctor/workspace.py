"""The checks of one workspace's own settings: its time zone (as its admins chose it)."""

from __future__ import annotations

from sqlalchemy import Engine

from bot.config import TIMEZONE
from bot.doctor.checks import Check, failed, passed
from bot.domain.workspace import known_zone
from bot.settings import Settings
from storage.engine import read_scope
from storage.queries.config import workspace_setting


def zone_check(settings: Settings, engine: Engine, *, team_id: str = "") -> Check:
    """The zone its digests and working days follow: chosen in Slack, else VALUESCOUT_TIMEZONE;
    a stored name this machine does not know (a hand-edited row, a missing tzdata) is named."""
    with read_scope(engine) as session:
        stored = workspace_setting(session=session, key=TIMEZONE, team_id=team_id)
    if stored is None:
        return passed("timezone", "default", zone=settings.timezone)
    if not isinstance(stored, str) or not known_zone(stored):
        return failed("timezone", "unknown", zone=stored, default=settings.timezone)
    return passed("timezone", zone=stored)
