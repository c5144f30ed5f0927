"""Accounts: find one by name (fuzzy, aliases included) or CRM id, create, list, merge.

Accounts belong to a workspace (team_id): every lookup by name or CRM id takes it, so one
workspace's accounts are never matched, listed or linked in another; the queries by account
id are scoped through the account."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, TypeVar

import sqlalchemy as sa
from rapidfuzz import fuzz, process
from sqlmodel import Session, col, func, or_, select, update

from storage.account_names import NameIndex, compared_form
from storage.enums import DiscoveryStatus
from storage.models import Account, AppSetting, Discovery, DiscoveryRoute, DiscoverySupporter
from storage.queries.config import set_setting

T = TypeVar("T")


def all_accounts(*, session: Session, team_id: str | None = None) -> list[Account]:
    """Every account of the workspace (of every workspace when None: the admin's CLI), by name."""
    statement = select(Account).order_by(col(Account.name), col(Account.id))
    if team_id is not None:
        statement = statement.where(Account.team_id == team_id)
    return list(session.exec(statement))


def known_accounts(*, session: Session, team_id: str) -> dict[str, list[str]]:
    """Every account's name and aliases, to recognise one in a scout's story."""
    statement = select(Account.name, Account.aliases).where(Account.team_id == team_id)
    return {name: list(aliases or ()) for name, aliases in session.exec(statement).all()}


def matching_account(*, session: Session, team_id: str, name: str) -> Account | None:
    """The account whose name or an alias matches `name` (legal suffixes and case aside)."""
    found = _name_index(session, team_id).match(name)
    return session.get(Account, found[0]) if found else None


# Per database and workspace: the accounts' version (how many, newest, last change) and their
# names indexed. A scout's answer is matched in milliseconds, not after reading every account.
_INDEXES: dict[tuple[str, str], tuple[tuple, NameIndex[int]]] = {}
# The same for what callers build from every account's names (the opener's known accounts).
_BUILT: dict[tuple[str, str, str], tuple[tuple, Any]] = {}
# Built by one thread at a time: fifty scouts' first messages at once each built the same
# index on a cold process, every build holding the GIL that the acks needed.
_BUILDING = threading.Lock()


def _name_index(session: Session, team_id: str) -> NameIndex[int]:
    """The names of the workspace's accounts, indexed again only when one changed."""
    version, database = _accounts_version(session, team_id), _database(session, team_id)
    with _BUILDING:  # one thread builds (~0.1 s of CPU at 4,000 accounts), the others wait
        cached = _INDEXES.get(database)
        if cached is not None and cached[0] == version:
            return cached[1]
        mine = Account.team_id == team_id
        rows = session.exec(select(Account.id, Account.name, Account.aliases).where(mine)).all()
        index: NameIndex[int] = NameIndex({key: [name, *aliases] for key, name, aliases in rows})
        _INDEXES[database] = (version, index)
    return index


def built_from_accounts(
    *, session: Session, team_id: str, build: Callable[[dict[str, list[str]]], T]
) -> T:
    """build(known_accounts), made again only when the workspace's accounts changed: the first
    message of every dialogue read and indexed all of them (4,000 accounts: ~10 ms a dialogue,
    in its write transaction)."""
    version = _accounts_version(session, team_id)
    key = (*_database(session, team_id), getattr(build, "__qualname__", repr(build)))
    with _BUILDING:
        cached = _BUILT.get(key)
        if cached is None or cached[0] != version:
            cached = (version, build(known_accounts(session=session, team_id=team_id)))
            _BUILT[key] = cached
    return cached[1]


def _accounts_version(session: Session, team_id: str) -> tuple:
    """How many accounts the workspace has, the newest, the last change: changes with any edit."""
    mine = Account.team_id == team_id
    changed = select(func.count(), func.max(Account.id), func.max(Account.updated_at)).where(mine)
    return tuple(session.exec(changed).one())


def _database(session: Session, team_id: str) -> tuple[str, str]:
    return session.get_bind().url.render_as_string(hide_password=True), team_id


def account_for_name(*, session: Session, team_id: str, name: str) -> Account:
    """The matching account, or a new one of that name (a scout may name a new customer)."""
    account = matching_account(session=session, team_id=team_id, name=name)
    if account is None:
        account = Account(team_id=team_id, name=" ".join(name.split()))
        session.add(account)
        session.flush()
    return account


ID_MAX = 2**31 - 1  # ids are 32-bit integers: a larger number names no account (and overflows)


def find_account(*, session: Session, team_id: str, ref: str) -> Account | None:
    """The workspace's account by CRM id, by id (`#12`) or by name or alias (fuzzy)."""
    mine = Account.team_id == team_id
    by_crm = session.exec(select(Account).where(mine, Account.crm_id == ref.strip())).first()
    if by_crm is not None:
        return by_crm
    number = ref.strip().removeprefix("#")
    if ref.strip().startswith("#") and number.isdecimal() and int(number) <= ID_MAX:
        found = session.get(Account, int(number))  # "²" is a digit but not a decimal
        return found if found is not None and found.team_id == team_id else None
    return matching_account(session=session, team_id=team_id, name=ref)


def merge_accounts(*, session: Session, source: Account, target: Account) -> int:
    """Move source's discoveries (and the supporters that name it) to target, keep its names as
    aliases, delete it; the count of discoveries moved."""
    moved = session.exec(
        update(Discovery).where(col(Discovery.account_id) == source.id).values(account_id=target.id)
    ).rowcount
    session.exec(
        update(DiscoverySupporter)
        .where(col(DiscoverySupporter.account_id) == source.id)
        .values(account_id=target.id)
    )
    known = set(target.names())
    target.aliases = [*target.aliases, *(n for n in source.names() if n not in known)]
    for field in ("crm_url", "owner_user_id", "segment"):
        if getattr(target, field) is None:
            setattr(target, field, getattr(source, field))
    crm_id, source.crm_id = source.crm_id, None
    session.add(source)
    session.flush()  # the unique crm_id is free before target may take it
    target.crm_id = target.crm_id or crm_id
    session.delete(source)
    session.add(target)
    session.flush()
    return moved


# -- what account owners hear -------------------------------------------------------

OWNER_ALERTS_OFF = "owner_alerts_off:"  # + user id: an AppSetting per person who turned them off


def owner_alerts_off(*, session: Session, user_id: str) -> bool:
    """Whether user_id turned off the DMs about discoveries at the accounts they own."""
    setting = session.get(AppSetting, ("", OWNER_ALERTS_OFF + user_id))  # per person, not team
    return setting is not None and setting.value is True


def set_owner_alerts_off(*, session: Session, user_id: str, off: bool, now: datetime) -> None:
    """Turn a person's account DMs off (or back on); the latest click wins."""
    key = OWNER_ALERTS_OFF + user_id
    set_setting(session=session, key=key, value=off, changed_by=user_id, now=now)


def scouts_at_account(
    *, session: Session, account_id: int, since: datetime, until: datetime
) -> int:
    """How many scouts logged a (not withdrawn) discovery at the account in [since, until]."""
    statement = select(func.count(func.distinct(Discovery.scout_user_id))).where(
        Discovery.account_id == account_id,
        Discovery.created_at >= since,
        Discovery.created_at <= until,
        Discovery.status != DiscoveryStatus.WITHDRAWN,
    )
    return session.exec(statement).one()


def claim_convergence(
    *, session: Session, account_id: int, at: datetime, window: timedelta
) -> bool:
    """Mark the account's convergence announced at `at` unless it was within `window` before:
    one conditional UPDATE, so two processes never both announce one window."""
    statement = (
        update(Account)
        .where(col(Account.id) == account_id)
        .where(or_(col(Account.converged_at).is_(None), col(Account.converged_at) <= at - window))
        .values(converged_at=at, updated_at=Account.updated_at)  # no change to the account itself
    )
    return session.exec(statement.execution_options(preserve_rowcount=True)).rowcount == 1


def owned_accounts(*, session: Session, user_id: str) -> list[Account]:
    """The accounts user_id owns, by name."""
    statement = select(Account).where(Account.owner_user_id == user_id)
    return list(session.exec(statement.order_by(col(Account.name), col(Account.id))))


def owned_accounts_with_counts(*, session: Session, user_id: str) -> list[tuple[Account, int, int]]:
    """The accounts user_id owns, each with its discoveries and those still new (withdrawn aside)."""
    counted = Discovery.status != DiscoveryStatus.WITHDRAWN
    new = func.sum(sa.case((Discovery.status == DiscoveryStatus.NEW, 1), else_=0))
    statement = (
        select(Account, func.count(Discovery.id), func.coalesce(new, 0))
        .outerjoin(Discovery, sa.and_(col(Discovery.account_id) == Account.id, counted))
        .where(Account.owner_user_id == user_id)
        .group_by(col(Account.id))
        .order_by(col(Account.name), col(Account.id))
    )
    return [(account, total, int(fresh)) for account, total, fresh in session.exec(statement)]


# -- one account's picture -----------------------------------------------------------

LIKE_CUTOFF = 70.0  # "did you mean": names this close to what was typed are offered


def accounts_like(*, session: Session, team_id: str, name: str, limit: int = 5) -> list[Account]:
    """Accounts whose name or an alias resembles `name` (words in any order, part of a name),
    closest first: what to offer when no account matches outright."""
    wanted = compared_form(name)
    if not wanted:
        return []
    named = select(Account.id, Account.name, Account.aliases)
    rows = session.exec(named.where(Account.team_id == team_id)).all()
    choices = {
        (key, i): compared_form(n) for key, n, aliases in rows for i, n in enumerate([n, *aliases])
    }
    found = process.extract(
        wanted,
        choices,
        scorer=fuzz.WRatio,
        processor=None,
        score_cutoff=LIKE_CUTOFF,
        limit=limit * 3,
    )
    ids = list(dict.fromkeys(key for _form, _score, (key, _i) in found))[:limit]
    return [session.get(Account, key) for key in ids]


def account_discoveries(
    *, session: Session, account_id: int, limit: int
) -> tuple[list[tuple[Discovery, list[DiscoveryRoute]]], int]:
    """The account's discoveries (withdrawn aside), newest first, with their routes; and how many
    there are in all."""
    shown = Discovery.account_id == account_id, Discovery.status != DiscoveryStatus.WITHDRAWN
    total = session.exec(select(func.count()).select_from(Discovery).where(*shown)).one()
    newest = (
        select(Discovery)
        .where(*shown)
        .order_by(col(Discovery.created_at).desc(), col(Discovery.id).desc())
    )
    return with_routes(session=session, discoveries=list(session.exec(newest.limit(limit)))), total


def with_routes(
    *, session: Session, discoveries: list[Discovery]
) -> list[tuple[Discovery, list[DiscoveryRoute]]]:
    """Each discovery with the routes it went to, in order."""
    routes: dict[int, list[DiscoveryRoute]] = {d.id: [] for d in discoveries}
    found = select(DiscoveryRoute).where(col(DiscoveryRoute.discovery_id).in_(list(routes)))
    for route in session.exec(found.order_by(col(DiscoveryRoute.id))):
        routes[route.discovery_id].append(route)
    return [(d, routes[d.id]) for d in discoveries]


def account_value_total(*, session: Session, account_id: int) -> tuple[Decimal | None, bool]:
    """The yearly value of the account's discoveries in the base currency, and whether a value
    band's midpoint is part of it (the total is then approximate)."""
    banded = sa.case((col(Discovery.value_amount).is_(None), 1), else_=0)
    statement = (
        select(func.sum(Discovery.value_base), func.max(banded))
        .where(Discovery.account_id == account_id, Discovery.status != DiscoveryStatus.WITHDRAWN)
        .where(col(Discovery.value_base).is_not(None))
    )
    total, approximate = session.exec(statement).one()
    return (Decimal(total) if total is not None else None), bool(approximate)


def account_events(
    *, session: Session, account_id: int, since: date, limit: int = 10
) -> list[tuple[date, str, int]]:
    """The compelling events at the account from `since` on, soonest first: (date, pressure, discovery id)."""
    statement = (
        select(Discovery.event_date, Discovery.event_pressure, Discovery.id)
        .where(Discovery.account_id == account_id, Discovery.status != DiscoveryStatus.WITHDRAWN)
        .where(col(Discovery.event_date) >= since)
        .order_by(col(Discovery.event_date), col(Discovery.id))
        .limit(limit)
    )
    return [(day, pressure or "", key) for day, pressure, key in session.exec(statement)]


def account_themes(*, session: Session, account_id: int) -> list[tuple[str, int]]:
    """The themes of the account's discoveries, most frequent first."""
    statement = select(Discovery.themes).where(
        Discovery.account_id == account_id, Discovery.status != DiscoveryStatus.WITHDRAWN
    )
    counts = Counter(theme for themes in session.exec(statement) for theme in themes or [])
    return counts.most_common()


# -- the compelling-event radar -----------------------------------------------------------


@dataclass(frozen=True)
class RadarCandidate:
    """A discovery whose compelling event is near and whose sales card waits for action."""

    discovery_id: int
    event_date: date
    owner_user_id: str | None
    sales_channel_id: str


def events_within(
    *, session: Session, start: date, end: date, route: str = "sales", team_id: str | None = None
) -> list[RadarCandidate]:
    """Discoveries with an event in [start, end] and a card on `route` still new or acknowledged
    (not actioned, declined or withdrawn), soonest first; of one workspace when team_id is
    given (each one's dates are counted on its own clock)."""
    statement = (
        select(Discovery.id, Discovery.event_date, Account.owner_user_id, DiscoveryRoute.channel_id)
        .join(DiscoveryRoute, col(DiscoveryRoute.discovery_id) == Discovery.id)
        .outerjoin(Account, col(Account.id) == Discovery.account_id)
        .where(col(Discovery.event_date) >= start, col(Discovery.event_date) <= end)
        .where(col(Discovery.status).in_([DiscoveryStatus.NEW, DiscoveryStatus.ACKNOWLEDGED]))
        .where(DiscoveryRoute.route == route, col(DiscoveryRoute.rerouted_to).is_(None))
        .where(sa.true() if team_id is None else col(Discovery.team_id) == team_id)
        .order_by(col(Discovery.event_date), col(Discovery.id))
    )
    return [RadarCandidate(*row) for row in session.exec(statement)]


def upcoming_events(
    *, session: Session, team_id: str | None, start: date, end: date, route: str, limit: int
) -> list[tuple[date, str, str | None, DiscoveryStatus]]:
    """Compelling events in [start, end] of discoveries on `route` (not withdrawn or declined),
    soonest first: (date, account, pressure, status)."""
    statement = (
        select(Discovery.event_date, Discovery.account, Discovery.event_pressure, Discovery.status)
        .join(DiscoveryRoute, col(DiscoveryRoute.discovery_id) == Discovery.id)
        .where(col(Discovery.event_date) >= start, col(Discovery.event_date) <= end)
        .where(col(Discovery.status).not_in([DiscoveryStatus.WITHDRAWN, DiscoveryStatus.DECLINED]))
        .where(DiscoveryRoute.route == route, col(DiscoveryRoute.rerouted_to).is_(None))
        .where(sa.true() if team_id is None else col(Discovery.team_id).concat("") == team_id)
        .order_by(col(Discovery.event_date), col(Discovery.id))
        .limit(limit)
    )
    return [tuple(row) for row in session.exec(statement)]
