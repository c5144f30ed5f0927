"""The opener is the story: what a scout writes first is read, kept as evidence, and only what
it did not say is asked."""

import pytest
from sqlmodel import select

from bot.emulator import SEED
from storage.engine import session_scope
from storage.models import Account, DialogueSession, Discovery
from tests.e2e.people import CountingScout, Scout, wait_until

pytestmark = pytest.mark.sqlite_only  # how the app answers, not what storage does

STORY = (
    "Hi! Quick one: Acme Corp's CFO wants month-end close down from 10 days to 3 before "
    "their March 31 renewal. Worth about $250k a year to them."
)


def known_account(engine, name: str) -> None:
    with session_scope(engine) as session:
        session.add(Account(team_id=SEED.team_id, name=name))


def test_a_rich_opener_fills_the_discovery_and_only_the_gaps_are_asked(driver, emulator, engine):
    known_account(engine, "Acme Corp")
    scout = CountingScout(driver, emulator)

    first = scout.say(STORY, expect="What stands in the way")  # account and outcome were told
    told = str(scout.messages_since_start()) if hasattr(scout, "messages_since_start") else ""
    told += str(first)
    assert "From your message" in str(emulator.calls_to("chat.postMessage"))
    assert "250,000" in str(emulator.calls_to("chat.postMessage"))
    scout.say("They reconcile 40 spreadsheets by hand", expect="deliver this today")
    summary = scout.click("Partly", expect="check and submit")

    assert scout.turns == 3  # the story, the gap, the fit: at most four
    scout.click("Submit", expect="on its way")
    wait_until(lambda: emulator.messages(SEED.sales), what="the #sales card")
    with session_scope(engine) as session:
        discovery = session.exec(select(Discovery)).one()
    assert discovery.account == "Acme Corp" and discovery.account_id is not None
    assert discovery.value_amount == 250000 and discovery.value_currency == "USD"
    assert str(discovery.event_date) == "2027-03-31" and discovery.event_pressure == "renewal"
    assert discovery.answers["event"]["owner"] == "CFO"
    assert discovery.who_cares == "executive"
    assert discovery.evidence.startswith(STORY)  # the opener, whole
    assert "Acme Corp" in str(summary)


def test_a_greeting_is_not_a_story(driver, emulator):
    scout = Scout(driver, emulator)
    scout.say("hello!", expect="Which customer")


def test_a_big_not_yet_gap_reaches_sales_as_well_as_product(driver, emulator):
    scout = Scout(driver, emulator)
    scout.say(
        "Initech wants to cut invoice processing from 5 days to 1. Worth about 1.5M EUR a year.",
        expect="stands in the way",
    )
    scout.say("Their AP team keys 5,000 invoices a month by hand", expect="deliver this today")
    scout.click("Not yet", expect="Who wants")  # the story named no one
    summary = scout.say("the head of finance", expect="check and submit")  # evidence: the story

    assert "Worth $1.6M a year: sales should hear of it whatever the fit." in str(summary)
    scout.click("Submit", expect="on its way")
    wait_until(lambda: emulator.messages(SEED.sales), what="the #sales card")
    wait_until(lambda: emulator.messages(SEED.product), what="the #product card")


def test_how_things_stand_today_in_the_opener_is_the_gap_and_not_asked_again(
    driver, emulator, engine
):
    scout = CountingScout(driver, emulator)
    scout.say(
        "Initech's finance team wants invoices approved in one day, it takes two weeks today."
        " Worth about 40k EUR a year.",
        expect="deliver this today",  # the fit: what stands in the way was told
    )
    told = str(emulator.calls_to("chat.postMessage"))
    assert "Gap: it takes two weeks today" in told
    assert "What stands in the way" not in told
    scout.click("Not yet", expect="Who wants")
    scout.click("Skip", expect="check and submit")
    scout.click("Submit", expect="on its way")
    with session_scope(engine) as session:
        discovery = session.exec(select(Discovery)).one()
    assert discovery.outcome == "Initech's finance team wants invoices approved in one day"
    assert discovery.gap == "it takes two weeks today"


def test_a_thin_outcome_in_the_opener_is_challenged_once_as_a_typed_one_is(
    driver, emulator, engine
):
    known_account(engine, "Globex")
    scout = Scout(driver, emulator)

    asked = scout.say("Globex wants better reporting", expect="time, money or risk")
    assert "From your message" in str(emulator.calls_to("chat.postMessage"))
    assert "Keep it" in str(asked) and "Which customer" not in str(asked)  # the account was told
    scout.say("Board reports ready in 10 minutes instead of 2 days", expect="stands in the way")
    with session_scope(engine) as session:
        answers = session.exec(select(DialogueSession)).one().answers
    assert answers["outcome"] == "Board reports ready in 10 minutes instead of 2 days"
    assert answers["evidence"].startswith("Globex wants better reporting")  # the opener, kept


def test_a_thin_opener_kept_as_it_is_goes_on_and_a_measured_one_is_not_challenged(
    driver, emulator, engine
):
    known_account(engine, "Globex")
    scout = Scout(driver, emulator)
    scout.say("Globex wants better reporting", expect="time, money or risk")
    scout.click("Keep it", expect="stands in the way")
    scout.say("cancel", expect="Cancelled")

    measured = scout.say(
        "Globex wants month-end reports in 1 day, not 5", expect="stands in the way"
    )
    assert "time, money or risk" not in str(measured)
