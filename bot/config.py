"""What admins change in Slack (stored in app_settings), read with the environment as default."""

from __future__ import annotations

from sqlmodel import Session

from bot.settings import DigestSchedule, Settings, parse_schedule
from storage.queries import get_setting

DIGEST_SCHEDULE = "digest_schedule"  # text like 'mon 09:00'


def digest_schedule(*, session: Session, settings: Settings) -> DigestSchedule:
    """The digest schedule an admin set in Slack, else VALUESCOUT_DIGEST_SCHEDULE."""
    stored = get_setting(session=session, key=DIGEST_SCHEDULE, default=None)
    try:
        return parse_schedule(stored) if stored else settings.schedule
    except ValueError:  # validated when saved; a hand-edited row must not stop digests
        return settings.schedule
