"""The accounts a person owns, as their Home tab shows them."""

from __future__ import annotations

from sqlmodel import Session

from bot.domain.accounts import OwnedAccount, OwnerHome
from storage.queries.accounts import owned_accounts_with_counts, owner_alerts_off


def load_owner_home(*, session: Session, user_id: str, admin: bool) -> OwnerHome:
    """user_id's accounts with their counts, whether their DMs are off, and admin tools."""
    owned = [
        OwnedAccount(account.id, account.name, account.crm_url, total, new)
        for account, total, new in owned_accounts_with_counts(session=session, user_id=user_id)
    ]
    off = owner_alerts_off(session=session, user_id=user_id)
    return OwnerHome(owned=owned, alerts_off=off, admin=admin)
