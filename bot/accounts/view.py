"""`/scout account <name>`: one account's whole picture, or the accounts the name may mean."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy import Engine
from sqlmodel import Session

from bot.domain.accounts import AccountPicture
from bot.domain.views import DiscoveryView, RouteView, view_of
from storage.engine import read_scope
from storage.models import Account
from storage.queries.accounts import (
    account_discoveries,
    account_events,
    account_themes,
    account_value_total,
    accounts_like,
    find_account,
)
from storage.types import utc_now

LISTED = 10  # the newest discoveries; the rest are counted


@dataclass(frozen=True)
class AccountLookup:
    """The account found, or the names it may be (none: no account like it)."""

    picture: AccountPicture | None = None
    candidates: list[str] = field(default_factory=list)


def look_up_account(
    *, engine: Engine, team_id: str, name: str, zone: ZoneInfo, today: date | None = None
) -> AccountLookup:
    """By CRM id, `#id`, name or alias (fuzzy); a single near name is taken, several offered.
    Events count from `today` (default: today in `zone`)."""
    today = today or utc_now().astimezone(zone).date()
    with read_scope(engine) as session:
        account = find_account(session=session, team_id=team_id, ref=name)
        if account is None:
            near = accounts_like(session=session, team_id=team_id, name=name)
            if len(near) != 1:
                return AccountLookup(candidates=[a.name for a in near])
            account = near[0]
        return AccountLookup(picture=_picture(session, account, today))


def _picture(session: Session, account: Account, today: date) -> AccountPicture:
    rows, total = account_discoveries(session=session, account_id=account.id, limit=LISTED)
    value, approximate = account_value_total(session=session, account_id=account.id)
    return AccountPicture(
        id=account.id, name=account.name, owner_user_id=account.owner_user_id,
        crm_url=account.crm_url,
        discoveries=[(view_of(DiscoveryView, d), [view_of(RouteView, r) for r in rs]) for d, rs in rows],
        more=total - len(rows),
        value=value, approximate=approximate,
        events=account_events(session=session, account_id=account.id, since=today),
        themes=account_themes(session=session, account_id=account.id),
    )  # fmt: skip
