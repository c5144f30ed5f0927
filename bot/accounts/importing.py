"""Apply an accounts CSV in one transaction: created, updated, unchanged or rejected, by crm_id."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlmodel import Session, select

from bot.accounts.rows import AccountRow, ParsedFile
from storage.models import Account
from storage.queries.accounts import matching_account

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


def apply_rows(*, session: Session, parsed: ParsedFile) -> ImportReport:
    """Create or update an account per row (by crm_id, else an account of that name without one)."""
    report = ImportReport(rejected=list(parsed.rejected))
    for row in parsed.rows:
        account = _existing(session, row)
        wanted = _columns(row)
        if account is not None and not row.crm_id:  # a row without one keeps the CRM's link
            wanted["crm_id"] = account.crm_id
        if account is None:
            session.add(Account(**wanted))
            report.counts["created"] += 1
        elif any(getattr(account, key) != value for key, value in wanted.items()):
            for key, value in wanted.items():
                setattr(account, key, value)
            session.add(account)
            report.counts["updated"] += 1
        else:
            report.counts["unchanged"] += 1
        session.flush()
    return report


def _existing(session: Session, row: AccountRow) -> Account | None:
    """The account a row is about: same crm_id; else the one it names (without another crm_id)."""
    if row.crm_id:
        same = session.exec(select(Account).where(Account.crm_id == row.crm_id)).first()
        if same is not None:
            return same
    named = matching_account(session=session, name=row.name)
    if named is None or (row.crm_id and named.crm_id):
        return None
    return named


def _columns(row: AccountRow) -> dict:
    return {
        "name": row.name, "aliases": list(row.aliases), "crm_id": row.crm_id,
        "crm_url": row.crm_url, "owner_user_id": row.owner, "segment": row.segment,
    }  # fmt: skip
