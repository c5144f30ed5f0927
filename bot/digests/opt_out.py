"""A scout switches their weekly digest DM off or back on: only for themselves."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from storage.queries.config import set_scout_digest_opt_out


def switch_scout_digest(*, session: Session, user_id: str, off: bool, now: datetime) -> None:
    """Turn the weekly DM off (or back on) for user_id, the person who clicked."""
    set_scout_digest_opt_out(session=session, user_id=user_id, off=off, now=now)
