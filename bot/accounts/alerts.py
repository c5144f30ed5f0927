"""What an account's owner hears: each new discovery at their account, and when several scouts
converge on it (that also to the sales channel, once per account and window).

bot.effects.handlers calls these when a submission is dispatched: they decide in the database
and queue outbox rows with dedupe keys, so each message is queued once.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from bot.domain.similarity import CONVERGENCE_WINDOW
from storage.models import Account, Discovery
from storage.queries import enqueue_outbox
from storage.queries.accounts import claim_convergence, owner_alerts_off, scouts_at_account
from storage.queries.config import route_channels

OWNER_NEW = "account_owner_new"  # the owner's DM about one new discovery
CONVERGENCE = "account_convergence"  # to the owner and to the sales channel
KINDS = (OWNER_NEW, CONVERGENCE)
CONVERGING_SCOUTS = 3  # "3 scouts on the same account in 30 days"
SALES = "sales"


def queue_owner_alert(*, session: Session, discovery_id: int, now: datetime) -> None:
    """One DM to the account's owner, unless they logged it or turned these off."""
    discovery, account = _discovery_and_account(session, discovery_id)
    owner = account and account.owner_user_id
    if not owner or owner == discovery.scout_user_id:
        return
    if owner_alerts_off(session=session, user_id=owner):
        return
    enqueue_outbox(
        session=session, kind=OWNER_NEW, dedupe_key=f"owner:{discovery.id}", channel_id=owner,
        payload={"discovery_id": discovery.id}, now=now, discovery_id=discovery.id,
    )  # fmt: skip


def queue_convergence(*, session: Session, discovery_id: int, now: datetime) -> None:
    """When this discovery makes CONVERGING_SCOUTS scouts at its account within the window."""
    discovery, account = _discovery_and_account(session, discovery_id)
    if account is None:
        return
    at = discovery.created_at
    scouts = scouts_at_account(
        session=session, account_id=account.id, since=at - CONVERGENCE_WINDOW, until=at
    )
    if scouts < CONVERGING_SCOUTS:
        return
    if not claim_convergence(
        session=session, account_id=account.id, at=at, window=CONVERGENCE_WINDOW
    ):
        return
    payload = {"discovery_id": discovery.id, "account_id": account.id, "scouts": scouts}
    channels = route_channels(session=session, team_id=discovery.team_id)  # its workspace's
    places = {"sales": channels.get(SALES)}
    if account.owner_user_id and not owner_alerts_off(
        session=session, user_id=account.owner_user_id
    ):
        places["owner"] = account.owner_user_id
    for place, channel in places.items():
        if channel:
            enqueue_outbox(
                session=session, kind=CONVERGENCE, channel_id=channel, payload=payload,
                dedupe_key=f"convergence:{account.id}:{discovery.id}:{place}", now=now,
                discovery_id=discovery.id,
            )  # fmt: skip


def _discovery_and_account(session: Session, discovery_id: int) -> tuple[Discovery, Account | None]:
    discovery = session.get(Discovery, discovery_id)
    assert discovery is not None
    account = session.get(Account, discovery.account_id) if discovery.account_id else None
    return discovery, account
