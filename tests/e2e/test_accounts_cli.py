"""`valuescout accounts import|list|merge`: real CSV files, owners found in Slack (the emulator)."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest
from sqlmodel import select

from bot.emulator import SEED
from storage.engine import session_scope
from storage.models import Account, Discovery
from tests.e2e.test_digests import log_discovery

HEADER = "name,crm_id,crm_url,owner,aliases,segment\n"
GOOD = (
    "Acme Corporation,CRM-1,https://crm.example/1,sally@acme.example,ACME;Acme Inc,enterprise\n"
    "Globex,CRM-2,,U0DANA,,mid-market\n"
)
BAD = (
    ",CRM-3,,,,\n"  # line 4: no name
    "Initech,CRM-4,,nobody@acme.example,,\n"  # line 5: Slack knows no such person
    "Globex Twin,CRM-2,,,,\n"  # line 6: CRM-2 is already on line 3
    "Umbrella,,,,,smb\n"
)


@pytest.fixture
def accounts(valuescout, capsys, tmp_path):
    """`valuescout accounts ARGS…` with FILE's text written to a real file: (exit code, output)."""

    def run(*args: str, text: str | None = None) -> tuple[int, str]:
        if text is not None:
            (tmp_path / "accounts.csv").write_text(text, encoding="utf-8")
            args = (*args, str(tmp_path / "accounts.csv"))
        code = valuescout("accounts", *args)
        return code, capsys.readouterr().out

    return run


def stored(engine) -> dict[str, Account]:
    with session_scope(engine) as session:
        return {a.name: a for a in session.exec(select(Account))}


def test_valid_rows_are_imported_with_owners_found_by_email_or_id(accounts, engine):
    code, out = accounts("import", text=HEADER + GOOD)
    assert code == 0
    assert out == "accounts: 2 created, 0 updated, 0 unchanged, 0 rejected\n"
    acme = stored(engine)["Acme Corporation"]
    assert (acme.crm_id, acme.owner_user_id, acme.segment) == ("CRM-1", SEED.sally, "enterprise")
    assert acme.aliases == ["ACME", "Acme Inc"] and acme.crm_url == "https://crm.example/1"
    assert stored(engine)["Globex"].owner_user_id == SEED.dana
    # A fresh database names no workspace yet: the bot token's is the accounts' (its scouts').
    assert {account.team_id for account in stored(engine).values()} == {SEED.team_id}


def test_several_workspaces_need_the_team_named_and_each_imports_its_own(accounts, engine):
    for team in ("T0ONE", "T0TWO"):
        assert accounts("import", "--team", team, text=HEADER + GOOD)[0] == 0
    assert accounts("list")[0] == 2  # which workspace's? it says to name one
    code, out = accounts("list", "--team", "T0TWO")
    assert code == 0 and out.count("CRM-1") == 1
    with session_scope(engine) as session:
        teams = session.exec(select(Account.team_id, Account.crm_id)).all()
    assert sorted(teams) == [("T0ONE", "CRM-1"), ("T0ONE", "CRM-2"), ("T0TWO", "CRM-1"),
                             ("T0TWO", "CRM-2")]  # fmt: skip


def test_each_invalid_row_is_named_with_its_line_and_the_valid_ones_still_apply(accounts, engine):
    code, out = accounts("import", text=HEADER + GOOD + BAD)
    assert code == 1
    assert out.splitlines() == [
        "line 4: rejected: no name",
        "line 5: rejected: unknown owner nobody@acme.example",
        "line 6: rejected: duplicate crm_id CRM-2 (line 3)",
        "accounts: 3 created, 0 updated, 0 unchanged, 3 rejected",
    ]
    assert sorted(stored(engine)) == ["Acme Corporation", "Globex", "Umbrella"]


def test_reimporting_updates_by_crm_id_and_counts_what_changed(accounts, engine):
    accounts("import", text=HEADER + GOOD)
    renamed = GOOD.replace("Globex,CRM-2", "Globex Corporation,CRM-2")
    code, out = accounts("import", text=HEADER + renamed + "Initech,CRM-4,,,,\n")
    assert code == 0
    assert out == "accounts: 1 created, 1 updated, 1 unchanged, 0 rejected\n"
    assert stored(engine)["Globex Corporation"].crm_id == "CRM-2"
    assert len(stored(engine)) == 3


def test_a_dry_run_reports_the_same_and_changes_nothing(accounts, engine):
    accounts("import", text=HEADER + GOOD)
    changed = HEADER + GOOD.replace("enterprise", "strategic") + BAD
    code, out = accounts("import", "--dry-run", text=changed)
    assert code == 1
    assert out.splitlines()[-1] == (
        "accounts: 1 created, 1 updated, 1 unchanged, 3 rejected (dry run: nothing changed)"
    )
    assert stored(engine)["Acme Corporation"].segment == "enterprise" and len(stored(engine)) == 2
    assert accounts("import", text=changed)[1].splitlines()[-1] == (
        "accounts: 1 created, 1 updated, 1 unchanged, 3 rejected"
    )


def test_list_prints_the_import_columns_and_reimports_unchanged(accounts):
    accounts("import", text=HEADER + GOOD)
    code, listed = accounts("list")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(listed)))
    assert rows[0] == {
        "name": "Acme Corporation", "crm_id": "CRM-1", "crm_url": "https://crm.example/1",
        "owner": SEED.sally, "aliases": "ACME;Acme Inc", "segment": "enterprise",
    }  # fmt: skip
    assert accounts("import", text=listed) == (
        0, "accounts: 0 created, 0 updated, 2 unchanged, 0 rejected\n"
    )  # fmt: skip


def test_a_file_without_the_name_column_is_refused_whole(accounts, engine):
    assert accounts("import", text="crm_id,owner\nCRM-1,\n")[0] == 2
    assert stored(engine) == {}


def test_merging_moves_the_discoveries_and_keeps_the_names_as_aliases(accounts, engine):
    log_discovery(engine, at=datetime.now(UTC))  # "Globex", linked to a new account of that name
    accounts("import", text=HEADER + "Globex International,CRM-9,,,,\n")
    code, out = accounts("merge", "Globex", "CRM-9")
    assert code == 0 and out.endswith(": 1 discoveries moved\n")
    target = stored(engine)["Globex International"]
    assert "Globex" in target.aliases and "Globex" not in stored(engine)
    with session_scope(engine) as session:
        assert session.exec(select(Discovery.account_id)).one() == target.id
    assert accounts("merge", "Globex", "Globex International")[0] == 2  # one account now
