"""Matching a typed account against names and aliases: legal forms, punctuation and case aside."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from storage.account_names import LEGAL_SUFFIXES, NameIndex, compared_form, group_names

ACCOUNTS = {
    1: ["Acme Corporation", "ACME"],
    2: ["Globex International", "Globex Intl"],
    3: ["Initech"],
}


@pytest.mark.parametrize("typed", ["ACME Corp.", "Acme Corporation", "acme corp", " Acme, Inc "])
def test_spellings_of_one_company_are_one_account(typed):
    assert best_match(typed, ACCOUNTS) == (1, 100.0)


def test_an_alias_matches_its_account():
    assert best_match("globex intl.", ACCOUNTS)[0] == 2


def test_a_typo_in_a_long_name_still_lands_on_it():
    assert best_match("Globex Internatonal", ACCOUNTS)[0] == 2


@pytest.mark.parametrize(
    "typed", ["Acne", "Initrode", "Umbrella Corp", "", "Inc.", "Globe", "Initech 2", "Acmes"]
)
def test_a_different_customer_is_not_matched(typed):
    assert best_match(typed, ACCOUNTS) is None


def test_names_that_differ_in_a_number_are_different_accounts():
    numbered = {n: [f"Account {n}"] for n in range(25)}
    assert all(best_match(f"Account {n}", numbered)[0] == n for n in range(25))
    assert best_match("Account 1 Ltd", numbered)[0] == 1


def test_a_name_that_is_only_a_legal_form_is_kept_as_a_name():
    assert compared_form("The Company") == "the company"
    assert best_match("Inc.", ACCOUNTS) is None


def test_matching_names_are_grouped_under_the_first_spelling():
    groups = group_names(["Acme Corp", "Globex", "ACME corporation", "acme", "Initech"])
    assert groups == [["Acme Corp", "ACME corporation", "acme"], ["Globex"], ["Initech"]]


def best_match(typed: str, names: dict) -> tuple | None:
    return NameIndex(names).match(typed)


names = st.text(alphabet=st.characters(categories=["Lu", "Ll"]), min_size=3, max_size=20).filter(
    lambda name: name.casefold() not in LEGAL_SUFFIXES and compared_form(name) == name.casefold()
)
decorations = st.sampled_from(["", " Inc.", " Corp", ", LLC", " GmbH", " Ltd.", "!", " (the)"])


@given(name=names, decoration=decorations, upper=st.booleans())
def test_a_legal_form_punctuation_or_case_never_makes_another_account(name, decoration, upper):
    typed = (name.upper() if upper else name) + decoration
    assert best_match(typed, {7: [name]}) == (7, 100.0)


@given(name=st.text(max_size=40))
def test_the_compared_form_is_stable(name):
    assert compared_form(compared_form(name)) == compared_form(name)
