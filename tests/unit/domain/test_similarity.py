"""Similarity and convergence, as pure functions over plain values."""

from __future__ import annotations

import pytest

from bot.domain.similarity import (
    THRESHOLD,
    Convergence,
    Related,
    RelatedDiscovery,
    account_key,
    convergence,
    resemblance,
    stems,
    wording_similarity,
)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Onboard a new store in one day instead of two weeks", "Onboard new stores in one day"),
        ("Every store is set up by hand from a spreadsheet", "Stores are set up by hand from spreadsheets"),
        ("Close the books in 3 days instead of 10", "Close the books in three days, not 10"),
        ("Invoices are matched manually", "Manual matching of invoices"),
    ],
)  # fmt: skip
def test_rewordings_of_the_same_gap_are_similar(first: str, second: str):
    assert wording_similarity(first, second) >= THRESHOLD


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Onboard a new store in one day", "Cut churn in the enterprise segment"),
        ("Save time on reporting", "Save money on shipping"),
        ("Faster onboarding of stores", "Onboarding of new hires takes weeks"),
        ("", "Onboard a new store in one day"),
        ("the of and", "the of and"),
    ],
)
def test_different_gaps_and_empty_or_stopword_texts_are_not_similar(first: str, second: str):
    assert wording_similarity(first, second) < THRESHOLD


def test_one_shared_word_is_a_coincidence_unless_the_texts_are_that_word():
    assert wording_similarity("Compliance", "compliance") == 1.0
    assert wording_similarity("Compliance audits", "Compliance") == 0.0


def test_stems_ignore_case_punctuation_stop_words_and_plural_or_tense():
    assert stems("Stores ONBOARDED, by hand!") == stems("store onboarding hand")
    assert stems("companies") == stems("company")
    assert "the" not in stems("the process") and stems("processes") == stems("process")


def test_accounts_compare_trimmed_case_insensitive_and_space_collapsed():
    assert account_key("  ACME  Corp ") == account_key("acme corp")
    assert account_key("Acme") != account_key("Acme Corp")


def test_same_account_is_related_whatever_the_wording_and_ranks_above_wording_alone():
    same = resemblance(account="Acme", outcome="Cut churn", gap="No alerts", other=(" acme ", "Ship faster", "Manual QA"))  # fmt: skip
    worded = resemblance(
        account="Acme", outcome="Cut churn in the enterprise segment", gap="No alerts",
        other=("Globex", "Cut enterprise churn segment", "Other"),
    )  # fmt: skip
    assert same is not None and worded is not None and same > 0
    assert resemblance(account="Acme", outcome="Cut churn", gap="No alerts", other=("Globex", "Ship faster", "Manual QA")) is None  # fmt: skip
    closest = resemblance(account="Acme", outcome="Cut churn", gap="x", other=("Acme", "Cut churn", "y"))  # fmt: skip
    assert closest is not None and closest > same


def test_close_gap_wording_relates_discoveries_at_different_accounts():
    score = resemblance(
        account="Acme", outcome="Grow revenue", gap="Every store is set up by hand from a spreadsheet",
        other=("Initech", "Open more shops", "Stores set up by hand from a spreadsheet"),
    )  # fmt: skip
    assert score is not None and score >= THRESHOLD


def test_convergence_counts_this_discovery_and_distinct_scouts_at_the_account():
    earlier = [("acme", "U1"), ("ACME ", "U2"), ("Globex", "U3"), ("Acme", "U1")]
    assert convergence(account="Acme", scout="U3", earlier=earlier) == Convergence("Acme", 4, 3)


def test_no_convergence_for_a_first_discovery_at_an_account():
    assert convergence(account="Acme", scout="U1", earlier=[("Globex", "U2")]) is None


def test_related_is_falsy_only_when_there_is_nothing_to_say():
    assert not Related()
    assert Related(convergence=Convergence("Acme", 2, 1))
    assert Related(discoveries=(RelatedDiscovery(1, "Acme", "x", None, 1.0),))
