"""Migration 0011: discoveries typed before accounts existed link to accounts, matching names grouped."""

import json
from datetime import UTC, datetime

import sqlalchemy as sa

from storage.engine import create_engine_for
from storage.migrate import downgrade, upgrade
from tests.integration.storage.conftest import insert_discoveries

BEFORE = "0007"
SPELLINGS = ["Acme Corp", "ACME Corporation", "Acme Corp", "acme corp.", "Globex", "Initech Ltd"]


def _discoveries_before_accounts(url: str) -> None:
    """Discoveries as 0007 kept them: the account as free text."""
    now = datetime(2026, 11, 2, tzinfo=UTC)
    rows = [
        {"team_id": "T1", "scout_user_id": "U1", "account": name, "outcome": "o", "gap": "g",
         "fit": "yes", "themes": "[]", "status": "new", "source": "dm",
         "source_key": f"k{i}", "created_at": now, "updated_at": now}
        for i, name in enumerate(SPELLINGS)
    ]  # fmt: skip
    insert_discoveries(url, rows)


def _linked(url: str) -> tuple[list, dict[str, int]]:
    """The accounts (name, aliases) by id, and each spelling's account id."""
    engine = create_engine_for(url)
    with engine.connect() as connection:
        accounts = connection.execute(sa.text("SELECT id, name, aliases FROM accounts")).all()
        links = connection.execute(sa.text("SELECT account, account_id FROM discoveries")).all()
    engine.dispose()
    return accounts, dict(links)


def test_existing_discoveries_are_linked_one_account_per_group_of_matching_names(
    empty_database_url,
):
    upgrade(engine_or_url=empty_database_url, revision=BEFORE)
    _discoveries_before_accounts(empty_database_url)
    upgrade(engine_or_url=empty_database_url)
    accounts, links = _linked(empty_database_url)
    names = {account.id: account.name for account in accounts}
    assert sorted(names.values()) == ["Acme Corp", "Globex", "Initech Ltd"]  # most used names it
    assert {names[links[spelling]] for spelling in SPELLINGS[:4]} == {"Acme Corp"}
    acme = next(account for account in accounts if account.name == "Acme Corp")
    aliases = acme.aliases if isinstance(acme.aliases, list) else json.loads(acme.aliases)
    assert sorted(aliases) == ["ACME Corporation", "acme corp."]
    assert names[links["Globex"]] == "Globex" and None not in links.values()


def test_downgrading_keeps_the_typed_names(empty_database_url):
    upgrade(engine_or_url=empty_database_url, revision=BEFORE)
    _discoveries_before_accounts(empty_database_url)
    upgrade(engine_or_url=empty_database_url)
    downgrade(engine_or_url=empty_database_url, revision=BEFORE)
    engine = create_engine_for(empty_database_url)
    with engine.connect() as connection:
        names = connection.execute(sa.text("SELECT account FROM discoveries")).scalars().all()
    engine.dispose()
    assert sorted(names) == sorted(SPELLINGS)
