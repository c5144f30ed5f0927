"""The opener is the story: what read_opener finds in a scout's first message."""

from datetime import date
from decimal import Decimal

import pytest

from bot.domain.opener import read_opener
from bot.domain.opener.reading import Reading

TODAY = date(2026, 12, 2)
KNOWN = {"Acme Corp": [], "Globex International": ["Globex"]}
ISSUE = (
    "Acme Corp's CFO wants month-end close down from 10 days to 3 before their March 31 renewal. "
    "Worth about $250k a year to them."
)


def read(text: str, known=KNOWN) -> Reading:
    return read_opener(text, today=TODAY, known_accounts=known)


def test_the_issue_opener_yields_every_part():
    reading = read(ISSUE)
    assert (reading.account, reading.account_is_new) == ("Acme Corp", False)
    assert (reading.amount, reading.currency, reading.band) == (Decimal(250000), "USD", None)
    assert (reading.event_date, reading.pressure, reading.event_owner) == (
        date(2027, 3, 31),
        "renewal",
        "CFO",
    )
    assert reading.who_cares == "executive"
    assert reading.outcome == "Acme Corp's CFO wants month-end close down from 10 days to 3"
    assert reading.evidence == ISSUE


def test_the_reading_offers_answers_in_the_dialogue_format():
    assert read(ISSUE).answers() == {
        "evidence": ISSUE,
        "account": "Acme Corp",
        "outcome": "Acme Corp's CFO wants month-end close down from 10 days to 3",
        "value": {"amount": "250000", "currency": "USD"},
        "event": {"date": "2027-03-31", "pressure": "renewal", "owner": "CFO"},
        "who_cares": "executive",
    }


def test_a_short_name_finds_the_known_account_and_an_unknown_one_is_new():
    assert read("Acme's CFO wants the close in 3 days.").account == "Acme Corp"
    reading = read("Acme Corp's CFO wants the close in 3 days.", known={})
    assert (reading.account, reading.account_is_new) == ("Acme Corp", True)


def test_a_greeting_in_front_does_not_hide_the_story():
    reading = read("Hi! Quick one: " + ISSUE)
    assert reading.outcome == "Acme Corp's CFO wants month-end close down from 10 days to 3"
    assert reading.evidence == "Hi! Quick one: " + ISSUE


def test_slack_markup_is_read_through():
    reading = read(
        "<@U123> FYI: *Globex* wants <https://x.example/t/1|ticket 1> closed in 2 days, worth &gt; €40k/yr"
    )
    assert reading.account == "Globex International"
    assert (reading.amount, reading.currency) == (Decimal(40000), "EUR")


@pytest.mark.parametrize(
    ("text", "day"),
    [("before their March 31 renewal", "2027-03-31"), ("by end of Q1", "2027-03-31"),
     ("in three weeks", "2026-12-23"), ("next March", "2027-03-31"),
     ("at the board meeting on 2027-02-10", "2027-02-10"), ("bis zum 31. März", "2027-03-31"),
     ("d'ici fin mars", "2027-03-31"), ("antes del 31 de marzo", "2027-03-31"),
     ("in Q1 2027", "2027-03-31"), ("by year-end", "2026-12-31"), ("le mois prochain", "2027-01-31"),
     ("Ende Q2", "2027-06-30"), ("primer trimestre", "2027-03-31"), ("am 15.1.", "2027-01-15"),
     ("by 3/31", "2027-03-31"), ("mid-March", "2027-03-15"), ("Anfang April", "2027-04-01"),
     ("before Christmas", "2026-12-25"), ("in KW 12", "2027-03-26"), ("by H1 2027", "2027-06-30"),
     ("within the next 90 days", "2027-03-02"), ("by Friday", "2026-12-04"),
     ("- renewal 31/03", "2027-03-31")],
)  # fmt: skip
def test_event_dates_are_resolved_from_today(text, day):
    assert read(f"Acme wants faster closes {text}.").event_date == date.fromisoformat(day)


def test_a_duration_is_a_measure_not_a_date():
    assert read("Acme wants invoices paid in 3 days instead of 10.").event_date is None


@pytest.mark.parametrize(
    ("text", "amount", "currency"),
    [("$250k a year", 250000, "USD"), ("40.000 €", 40000, "EUR"), ("40 000 €", 40000, "EUR"),
     ("1,2 Mio CHF", 1200000, "CHF"), ("€1.5M", 1500000, "EUR"), ("250 000 dollars", 250000, "USD"),
     ("2 millions d'euros", 2000000, "EUR"), ("50.000 EUR al año", 50000, "EUR"), ("¥5M", 5000000, "JPY"),
     ("half a million dollars", 500000, "USD"), ("300 TEUR", 300000, "EUR")],
)  # fmt: skip
def test_amounts_are_read_in_their_many_forms(text, amount, currency):
    reading = read(f"Acme wants shorter closes, worth {text}.")
    assert (reading.amount, reading.currency) == (Decimal(amount), currency)


@pytest.mark.parametrize(
    "text", ["$40-50k a year", "40 to 50k USD", "between $40k and $50k", "zwischen 40 und 50k USD"]
)
def test_a_range_is_read_as_its_lower_end(text):
    reading = read(f"Acme wants shorter closes, worth {text}.")
    assert (reading.amount, reading.currency) == (Decimal(40000), "USD")


def test_a_band_said_instead_of_an_amount_is_the_band():
    assert read("Acme wants faster closes; a six-figure problem.").band == "100k_1m"
    reading = read("Acme wants faster closes, savings over $1M a year.")
    assert (reading.amount, reading.band) == (None, "over_1m")


def test_the_value_is_the_amount_beside_a_value_word():
    reading = read(
        "Acme spends $2M a year on staff; they want onboarding in 1 day, which would save about $300k."
    )
    assert reading.amount == Decimal(300000)


@pytest.mark.parametrize(
    ("text", "persona"),
    [("Acme's head of support wants", "department_manager"), ("The admins at Acme need", "technical_owner"),
     ("Acme's users want", "end_user"), ("Acme's VP Sales wants", "executive"),
     ("Acme's finance director wants", "executive")],
)  # fmt: skip
def test_who_cares_follows_the_role_that_wants(text, persona):
    assert read(f"{text} reports in seconds.").who_cares == persona


def test_an_opener_without_parts_yields_only_itself():
    reading = read("hello?")
    assert reading.answers() == {"evidence": "hello?"}


def test_today_may_come_from_the_clock_in_the_workspace_zone():
    reading = read_opener("Acme wants faster closes in three weeks.", zone="Pacific/Kiritimati")
    assert reading.event_date is not None
    assert read_opener("x", today=TODAY, zone="Europe/Berlin").evidence == "x"


@pytest.mark.parametrize(
    ("text", "outcome", "gap"),
    [
        (
            "Initech's finance team wants invoices approved in one day, it takes two weeks today",
            "Initech's finance team wants invoices approved in one day",
            "it takes two weeks today",
        ),
        (
            "Cyberdyne's IT admins need new hires provisioned in under an hour (today it takes"
            " 3 days). Their Okta contract ends next March.",
            "Cyberdyne's IT admins need new hires provisioned in under an hour",
            "today it takes 3 days",
        ),
        (
            "Initech wants invoices approved in a day, and right now approvals take two weeks",
            "Initech wants invoices approved in a day",
            "right now approvals take two weeks",
        ),
        (
            "Hooli wants to get that time back. They still export CSVs manually every Friday.",
            "Hooli wants to get that time back",
            "They still export CSVs manually every Friday",
        ),
        (
            "Bei Initech will die Buchhaltung Rechnungen an einem Tag freigeben; heute dauert es"
            " zwei Wochen.",
            "Bei Initech will die Buchhaltung Rechnungen an einem Tag freigeben",
            "heute dauert es zwei Wochen",
        ),
        (
            "Chez Initech, la DAF veut valider les factures en un jour, aujourd'hui cela prend"
            " deux semaines.",
            "Chez Initech, la DAF veut valider les factures en un jour",
            "aujourd'hui cela prend deux semaines",
        ),
    ],
)
def test_how_things_stand_today_after_the_want_is_the_gap_not_the_outcome(text, outcome, gap):
    reading = read_opener(text, today=TODAY)
    assert (reading.outcome, reading.gap) == (outcome, gap)
    assert reading.answers()["gap"] == gap


@pytest.mark.parametrize(
    "text",
    [
        "Talked to Wayne Retail today. Their store managers want shelf restocking halved.",
        "Globex's sysadmins want patching of 2,000 servers done in a weekend instead of a month",
        "Umbrella wants denied claims down 30% before the audit on 31 March, worth $1.2M",
        "Hooli wants faster onboarding, the CFO is pushing for it",
    ],
)
def test_no_gap_is_read_where_none_is_told(text):
    """Today before the want is the scout's meeting; a cue inside the want is the want's."""
    assert read_opener(text, today=TODAY).gap is None
