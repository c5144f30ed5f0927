"""An admin merges two accounts (the CLI and App Home alike): A's discoveries move to B."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine
from sqlmodel import Session

from bot.domain.actor import Actor, AdminsOnly
from storage.engine import read_scope, session_scope
from storage.models import Account
from storage.queries.accounts import account_discoveries, all_accounts, merge_accounts


class MergeRefused(ValueError):
    """The two accounts cannot be merged (one is gone, or they are the same)."""


@dataclass(frozen=True)
class Merged:
    """What a merge did: source into target, and how many discoveries moved."""

    source: str
    target: str
    moved: int

    def describe(self) -> str:
        """One line, as the CLI prints it."""
        return f"merged {self.source} into {self.target}: {self.moved} discoveries moved"


def merge(*, session: Session, source: Account | None, target: Account | None) -> Merged:
    """Merge source into target in this transaction; MergeRefused when it makes no sense."""
    if source is None or target is None:
        raise MergeRefused("that account no longer exists (merged already?)")
    if source.id == target.id:
        raise MergeRefused("they are the same account")
    if source.team_id != target.team_id:
        raise MergeRefused("they belong to different workspaces")
    names = f"{source.name} (#{source.id})", f"{target.name} (#{target.id})"
    return Merged(*names, merge_accounts(session=session, source=source, target=target))


def merge_by_ids(*, engine: Engine, actor: Actor, source_id: int, target_id: int) -> Merged:
    """App Home's merge: by the ids the admin picked and confirmed; only an admin may (an old
    Home tab or a forged submission from anyone else is refused here)."""
    if not actor.is_admin:
        raise AdminsOnly(actor.user_id)
    with session_scope(engine) as session:
        source, target = (_of_team(session, key, actor.team_id) for key in (source_id, target_id))
        return merge(session=session, source=source, target=target)


def _of_team(session: Session, account_id: int, team_id: str) -> Account | None:
    """The account, if it is the workspace's (a forged id of another's is none)."""
    account = session.get(Account, account_id)
    return account if account is not None and account.team_id == team_id else None


def merge_choices(*, engine: Engine, team_id: str, limit: int) -> list[tuple[int, str]]:
    """The workspace's accounts an admin picks from (id, name), by name, at most `limit`."""
    with read_scope(engine) as session:
        return [(a.id, a.name) for a in all_accounts(session=session, team_id=team_id)[:limit]]


def merge_preview(
    *, engine: Engine, team_id: str, source_id: int, target_id: int
) -> tuple[str, str, int]:
    """The two names and how many discoveries would move, for the confirmation."""
    with read_scope(engine) as session:
        source, target = (_of_team(session, key, team_id) for key in (source_id, target_id))
        if source is None or target is None:
            raise MergeRefused("that account no longer exists (merged already?)")
        if source.id == target.id:
            raise MergeRefused("they are the same account")
        _rows, moving = account_discoveries(session=session, account_id=source.id, limit=0)
        return source.name, target.name, moving
