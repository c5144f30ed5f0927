"""Demand that adds up: which open discovery a new one may join, and what supporters add up to."""

from decimal import Decimal

from bot.domain.supporters import Backing, Candidate, backing, lookalike, lookalikes

OPEN = [
    Candidate(1, "Globex", "Onboard a new store in one day instead of two weeks"),
    Candidate(2, "Hooli", "Cut audit preparation from 3 weeks to 3 days"),
    Candidate(3, "Umbrella", "Onboarding new stores within one day", accounts=("Initech",)),
]


def test_the_same_outcome_at_another_account_is_offered_closest_first():
    found = lookalikes(account="Initech ", outcome="Onboard new stores in one day", candidates=OPEN)
    # #3 already counts Initech among its accounts: joining it again would count it twice.
    assert [c.discovery_id for c in found] == [1]


def test_the_same_account_or_another_outcome_is_not_a_lookalike():
    assert lookalike(account="GLOBEX", outcome="Onboard a new store in one day", candidates=OPEN[:1]) is None
    assert lookalike(account="Acme", outcome="Faster payroll runs", candidates=OPEN) is None


def test_one_shared_word_is_a_coincidence_not_the_same_outcome():
    assert lookalike(account="Acme", outcome="Store onboarding", candidates=OPEN[:1]) is None


def test_supporters_add_accounts_once_and_values_in_the_base_currency():
    added = backing(
        account="Globex", value=Decimal(42400), banded=False,
        supporters=[("Initech", Decimal(300000), False), ("globex ", None, False),
                    ("Hooli", Decimal(55000), True)],
    )  # fmt: skip
    assert added == Backing(accounts=3, value=Decimal(397400), approximate=True)


def test_a_discovery_alone_or_without_values_has_nothing_to_add_up():
    assert not backing(account="Globex", value=Decimal(1), banded=False, supporters=[])
    nothing = backing(account="Globex", value=None, banded=False, supporters=[("Initech", None, False)])
    assert nothing == Backing(accounts=2, value=None, approximate=False) and nothing
