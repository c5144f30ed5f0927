"""A scout names an account in the DM: a known one is matched by name or alias, a new one is new."""

from sqlmodel import select

from bot.discoveries.export.options import Window
from bot.discoveries.export.reading import export_records
from bot.emulator import SEED
from storage.engine import session_scope
from storage.models import Account, Discovery
from tests.e2e.people import Scout, wait_until
from tests.e2e.test_dialogue_dm import skip_the_rest


def known_acme(engine) -> int:
    """Acme Corporation as a CRM import left it, owned by Sally."""
    with session_scope(engine) as session:
        acme = Account(
            team_id=SEED.team_id,
            name="Acme Corporation", aliases=["ACME"], crm_id="CRM-1", owner_user_id=SEED.sally
        )
        session.add(acme)
        session.flush()
        return acme.id


def log_about(scout: Scout, account: str, *, expect: str) -> dict:
    """Answer every question about `account`; the message that followed the account answer."""
    scout.say("hi", expect="Which customer")
    matched = scout.say(account, expect=expect)
    scout.wait_for("achieve")
    scout.say("Onboard a new store in one day instead of two weeks", expect="stands in the way")
    scout.say("Every store waits two weeks for a consultant", expect="deliver this today")
    scout.click("Partly", expect="worth")
    scout.say("40k EUR", expect="pressure")
    scout.say("2027-03-31 the board decides the rollout budget, owner: the CFO", expect="Who wants")
    skip_the_rest(scout)
    scout.click("Submit", expect="on its way")
    return matched


def test_acme_corp_typed_by_a_scout_lands_on_the_imported_acme_corporation(
    driver, emulator, engine
):
    acme_id = known_acme(engine)
    matched = log_about(Scout(driver, emulator), "acme corp", expect="known account")
    assert "*Acme Corporation* is a known account" in str(matched)
    assert "acme corp" in str(matched)
    with session_scope(engine) as session:
        discovery = session.exec(select(Discovery)).one()
    assert (discovery.account_id, discovery.account) == (acme_id, "Acme Corporation")
    card = wait_until(lambda: emulator.messages(SEED.sales), what="the #sales card")
    assert "Acme Corporation" in str(card[0])
    record = next(export_records(engine=engine, window=Window()))
    assert (record["account_id"], record["crm_id"]) == (acme_id, "CRM-1")


def test_a_new_name_is_allowed_marked_new_and_becomes_an_account(driver, emulator, engine):
    known_acme(engine)
    matched = log_about(Scout(driver, emulator), "Initech", expect="new account")
    assert "*Initech* is a new account" in str(matched)
    with session_scope(engine) as session:
        initech = session.exec(select(Account).where(Account.name == "Initech")).one()
        discovery = session.exec(select(Discovery)).one()
    assert discovery.account_id == initech.id and initech.crm_id is None
    record = next(export_records(engine=engine, window=Window()))
    assert (record["account_id"], record["crm_id"]) == (initech.id, None)
