"""Accounts: find one by name (fuzzy, aliases included) or CRM id, create, list, merge."""

from __future__ import annotations

from sqlmodel import Session, col, func, select, update

from storage.account_names import NameIndex
from storage.models import Account, Discovery


def all_accounts(*, session: Session) -> list[Account]:
    """Every account, by name."""
    return list(session.exec(select(Account).order_by(col(Account.name), col(Account.id))))


def matching_account(*, session: Session, name: str) -> Account | None:
    """The account whose name or an alias matches `name` (legal suffixes and case aside)."""
    found = _name_index(session).match(name)
    return session.get(Account, found[0]) if found else None


# Per database: the accounts' version (how many, newest, last change) and their names indexed. A
# scout's answer is matched in milliseconds, not after reading every account again.
_INDEXES: dict[str, tuple[tuple, NameIndex[int]]] = {}


def _name_index(session: Session) -> NameIndex[int]:
    """The names of every account, indexed again only when an account changed."""
    changed = select(func.count(), func.max(Account.id), func.max(Account.updated_at))
    version = tuple(session.exec(changed).one())
    database = session.get_bind().url.render_as_string(hide_password=True)
    cached = _INDEXES.get(database)
    if cached is not None and cached[0] == version:
        return cached[1]
    rows = session.exec(select(Account.id, Account.name, Account.aliases)).all()
    index: NameIndex[int] = NameIndex({key: [name, *aliases] for key, name, aliases in rows})
    _INDEXES[database] = (version, index)
    return index


def account_for_name(*, session: Session, name: str) -> Account:
    """The matching account, or a new one of that name (a scout may name a new customer)."""
    account = matching_account(session=session, name=name)
    if account is None:
        account = Account(name=" ".join(name.split()))
        session.add(account)
        session.flush()
    return account


def find_account(*, session: Session, ref: str) -> Account | None:
    """An account by CRM id, by id (`#12`) or by name or alias (fuzzy)."""
    by_crm = session.exec(select(Account).where(Account.crm_id == ref.strip())).first()
    if by_crm is not None:
        return by_crm
    if ref.strip().startswith("#") and ref.strip()[1:].isdigit():
        return session.get(Account, int(ref.strip()[1:]))
    return matching_account(session=session, name=ref)


def merge_accounts(*, session: Session, source: Account, target: Account) -> int:
    """Move source's discoveries to target, keep its names as aliases, delete it; the count moved."""
    moved = session.exec(
        update(Discovery).where(col(Discovery.account_id) == source.id).values(account_id=target.id)
    ).rowcount
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
