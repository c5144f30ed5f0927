"""The account an opener names: known accounts by any spelling the matcher forgives, else a new name."""

from datetime import date

import pytest

from bot.domain.opener import read_opener
from bot.domain.opener.accounts import KnownAccounts
from storage.account_names import NameIndex

KNOWN = KnownAccounts(
    {"Tyrell Systems": [], "Umbrella Health": [], "Globex International": ["Globex"],
     "Nova Bank": [], "Nova Foods": []}
)  # fmt: skip


def account(text: str) -> tuple[str | None, bool]:
    reading = read_opener(text, today=date(2026, 12, 2), known_accounts=KNOWN)
    return reading.account, reading.account_is_new


@pytest.mark.parametrize(
    ("text", "name"),
    [("Tyrell's CIO wants fewer outages.", "Tyrell Systems"),
     ("servus, umbrella health möchte die Abrechnungsfehler halbieren.", "Umbrella Health"),
     ("Met GLOBEX today: they want faster onboarding.", "Globex International"),
     ("Umbrela Health wants shorter waits.", "Umbrella Health")],
)  # fmt: skip
def test_a_known_account_is_found_however_it_is_written(text, name):
    assert account(text) == (name, False)


def test_a_first_word_shared_by_two_accounts_names_neither():
    assert account("Nova's CFO wants daily cash reports.") == ("Nova", True)


@pytest.mark.parametrize(
    ("text", "name"),
    [("Northwind Traders' finance director wants X.", "Northwind Traders"),
     ("Hi, die Schmidt Logistik GmbH möchte Lieferzeiten halbieren.", "Schmidt Logistik GmbH"),
     ("New prospect, Orchid Labs: their head of R&D wants faster setups.", "Orchid Labs"),
     ("Le PDG de Maison Verte veut ouvrir 10 boutiques par an.", "Maison Verte")],
)  # fmt: skip
def test_an_unknown_name_is_kept_as_new(text, name):
    assert account(text) == (name, True)


@pytest.mark.parametrize(
    ("text", "name"),
    [("Borealis CFO wants to close the books in 2 days.", "Borealis"),
     ("Quartz Mining CEO asked for audit trails.", "Quartz Mining"),
     ("Fennel Foods IT needs single sign-on.", "Fennel Foods")],
)  # fmt: skip
def test_a_role_written_after_a_new_name_is_not_part_of_it(text, name):
    assert account(text) == (name, True)


def test_no_name_no_account():
    assert account("the customer wants faster closes") == (None, False)


def test_the_index_answers_exact_spellings_only_when_asked():
    index = NameIndex({"acme": ["Acme Corp"]})
    assert index.exact("ACME corp.") == "acme"
    assert index.exact("Acme Corpp") is None


def test_known_accounts_come_as_names_mappings_or_records():
    class Record:
        name, aliases = "Initech GmbH", ["Initrode"]

    for known in (
        ["Initech GmbH"],
        {"Initech GmbH": ["Initrode"]},
        [{"name": "Initech GmbH"}],
        [Record()],
    ):
        reading = read_opener(
            "Initech wants faster closes.", today=date(2026, 12, 2), known_accounts=known
        )
        assert (reading.account, reading.account_is_new) == ("Initech GmbH", False)
