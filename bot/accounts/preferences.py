"""An account owner turns the DMs about their accounts off, or back on: only for themselves."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine

from storage.engine import session_scope
from storage.queries.accounts import set_owner_alerts_off
from storage.types import utc_now


def switch_owner_alerts(
    *, engine: Engine, user_id: str, off: bool, now: datetime | None = None
) -> None:
    """Turn the DMs about user_id's accounts off (or on again) for user_id, who clicked."""
    with session_scope(engine) as session:
        set_owner_alerts_off(session=session, user_id=user_id, off=off, now=now or utc_now())
