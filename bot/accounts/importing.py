"""Apply an accounts CSV in one transaction: created, updated, unchanged or rejected, by crm_id."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlmodel import Session

from bot.accounts.rows import AccountRow, ParsedFile
from storage.account_names import NameIndex
from storage.models import Account
from storage.queries.accounts import all_accounts

NOT_FOUND = {"users_not_found", "user_not_found"}


@dataclass
class ImportReport:
    """What an import did (or, dry, would do): counts and each refused row's line and reason."""

    counts: Counter = field(default_factory=Counter)
    rejected: list[tuple[int, str]] = field(default_factory=list)

    def summary(self) -> str:
        """One line: created, updated, unchanged and rejected counts."""
        kinds = ("created", "updated", "unchanged")
        done = ", ".join(f"{self.counts[kind]} {kind}" for kind in kinds)
        return f"accounts: {done}, {len(self.rejected)} rejected"


class OwnerDirectory:
    """Slack user ids for the owner cells: an id as is (if it exists), an email looked up."""

    def __init__(self, client: WebClient) -> None:
        self._client, self._known = client, {}

    def user_id(self, owner: str) -> str | None:
        """The member's id, or None when Slack knows no such member."""
        if owner not in self._known:
            self._known[owner] = self._look_up(owner)
        return self._known[owner]

    def _look_up(self, owner: str) -> str | None:
        try:
            if "@" in owner:
                return self._client.users_lookupByEmail(email=owner)["user"]["id"]
            return self._client.users_info(user=owner)["user"]["id"]
        except SlackApiError as error:
            if error.response.get("error") in NOT_FOUND:
                return None
            raise


def with_owners(parsed: ParsedFile, owners: OwnerDirectory | None) -> ParsedFile:
    """The rows with each owner as a Slack user id; a row whose owner Slack does not know is refused."""
    kept, rejected = [], list(parsed.rejected)
    for row in parsed.rows:
        owner = owners.user_id(row.owner) if row.owner and owners else None
        if row.owner and owner is None:
            rejected.append((row.line, f"unknown owner {row.owner}"))
        else:
            kept.append(AccountRow(**{**row.__dict__, "owner": owner}))
    return ParsedFile(kept, sorted(rejected))


def apply_rows(*, session: Session, team_id: str, parsed: ParsedFile) -> ImportReport:
    """Create or update an account of the workspace per row (by crm_id, else an account of
    that name without one)."""
    report = ImportReport(rejected=list(parsed.rejected))
    known = _KnownAccounts(session, team_id)
    for row in parsed.rows:
        account = known.for_row(row)
        wanted = _columns(row)
        if account is not None and not row.crm_id:  # a row without one keeps the CRM's link
            wanted["crm_id"] = account.crm_id
        if account is None:
            account = Account(team_id=team_id, **wanted)
            report.counts["created"] += 1
        elif any(getattr(account, key) != value for key, value in wanted.items()):
            report.counts["updated"] += 1
        else:
            report.counts["unchanged"] += 1
            continue
        for key, value in wanted.items():
            setattr(account, key, value)
        session.add(account)
        known.add(account)
    session.flush()  # once: a flush per row would walk every account of the session again
    return report


class _KnownAccounts:
    """Every account, read once per import, by crm_id and by name; the names of those without
    a crm_id apart (the only ones a row with a new crm_id may adopt), so that matching stays fast."""

    def __init__(self, session: Session, team_id: str) -> None:
        self._accounts: list[Account] = []  # keyed by position: new ones have no id yet
        self._by_crm: dict[str, Account] = {}
        self._names: NameIndex[int] = NameIndex()
        self._unlinked: NameIndex[int] = NameIndex()
        for account in all_accounts(session=session, team_id=team_id):
            self.add(account)

    def add(self, account: Account) -> None:
        """Index a new or changed account (its new names match from now on)."""
        key = len(self._accounts)
        self._accounts.append(account)
        self._names.add(key, account.names())
        if account.crm_id:
            self._by_crm[account.crm_id] = account
        else:
            self._unlinked.add(key, account.names())

    def for_row(self, row: AccountRow) -> Account | None:
        """Same crm_id; else the account the row names, unless it has another crm_id."""
        if row.crm_id and row.crm_id in self._by_crm:
            return self._by_crm[row.crm_id]
        found = (self._unlinked if row.crm_id else self._names).match(row.name)
        named = self._accounts[found[0]] if found else None
        if named is None or (row.crm_id and named.crm_id):
            return None
        return named


def _columns(row: AccountRow) -> dict:
    return {
        "name": row.name, "aliases": list(row.aliases), "crm_id": row.crm_id,
        "crm_url": row.crm_url, "owner_user_id": row.owner, "segment": row.segment,
    }  # fmt: skip
