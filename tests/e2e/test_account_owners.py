"""The account owner hears: one DM per new discovery at their account (unless they turned these
off), and when three scouts converge on it within 30 days, once, also in the sales channel."""

import time
from datetime import timedelta

from bot.emulator import SEED
from storage.engine import session_scope
from storage.enums import DiscoverySource, Fit
from storage.models import Discovery
from storage.types import utc_now
from tests.e2e.people import Scout, wait_until
from tests.e2e.test_accounts_dialogue import known_acme, log_about


def owner_dms(emulator, owner=SEED.sally) -> list[dict]:
    """What the bot wrote to the owner."""
    dm = emulator.dm_channel_for(owner)
    return [m for m in emulator.messages(dm) if m.get("user") == SEED.bot_user_id]


def earlier_discovery(engine, account_id: int, scout: str, days_ago: int) -> None:
    """A discovery at the account logged by `scout` some days ago (its cards long posted)."""
    with session_scope(engine) as session:
        session.add(
            Discovery(
                team_id=SEED.team_id, scout_user_id=scout, account="Acme Corporation",
                account_id=account_id, outcome="Faster audits", gap="Manual exports",
                fit=Fit.YES, source=DiscoverySource.DM, source_key=f"earlier:{scout}:{days_ago}",
                created_at=utc_now() - timedelta(days=days_ago),
            )
        )  # fmt: skip


def settle(emulator, seconds: float = 0.6) -> None:
    """Let the worker deliver whatever else it would (a second DM would show by then)."""
    time.sleep(seconds)


def test_the_owner_gets_one_dm_with_the_cards_link(driver, emulator, engine):
    known_acme(engine)
    log_about(Scout(driver, emulator), "acme corp", expect="known account")
    dms = wait_until(lambda: owner_dms(emulator), what="the owner's DM")
    text = str(dms[0])
    assert "*Acme Corporation*, an account you own" in text and f"<@{SEED.scout}>" in text
    assert f"<#{SEED.sales}>" in text and "see the card" in text  # the card's permalink
    settle(emulator)
    assert len(owner_dms(emulator)) == 1


def test_turned_off_by_the_owner_no_more_dms_and_home_offers_them_back(driver, emulator, engine):
    known_acme(engine)
    sally = Scout(driver, emulator, user=SEED.sally)
    log_about(Scout(driver, emulator), "acme corp", expect="known account")
    wait_until(lambda: owner_dms(emulator), what="the owner's DM")
    sally.click("Turn off these DMs")
    wait_until(lambda: "won't get DMs" in str(emulator.ephemerals(sally.dm)) or
               "won't get DMs" in str(owner_dms(emulator)), what="the confirmation")  # fmt: skip
    log_about(Scout(driver, emulator, user=SEED.dana), "ACME", expect="known account")
    settle(emulator)
    assert sum("an account you own" in str(m) for m in owner_dms(emulator)) == 1
    driver.app_home_opened(SEED.sally)
    home = wait_until(lambda: emulator.home_view(SEED.sally), what="Sally's Home tab")
    assert "Accounts I own" in str(home) and "Turn the DMs back on" in str(home)


def test_someone_else_clicking_a_forwarded_button_turns_off_only_their_own(
    driver, emulator, engine
):
    known_acme(engine)
    log_about(Scout(driver, emulator), "acme corp", expect="known account")
    wait_until(lambda: owner_dms(emulator), what="the owner's DM")
    stranger = Scout(driver, emulator, user=SEED.coach)
    dm = owner_dms(emulator)[0]
    driver.block_action(
        user=SEED.coach, action_id="account_alerts_off", value="off", message=dm,
        channel=stranger.dm,
    )  # fmt: skip
    settle(emulator)
    log_about(Scout(driver, emulator, user=SEED.dana), "ACME", expect="known account")
    wait_until(lambda: len(owner_dms(emulator)) == 2, what="Sally's second DM")


def test_the_owner_logging_at_their_own_account_hears_nothing(driver, emulator, engine):
    known_acme(engine)
    log_about(Scout(driver, emulator, user=SEED.sally), "acme corp", expect="known account")
    wait_until(lambda: emulator.messages(SEED.sales), what="the card")
    settle(emulator)
    assert not any("account you own" in str(m) for m in owner_dms(emulator))


def test_three_scouts_in_30_days_converge_once_to_the_owner_and_sales(driver, emulator, engine):
    acme = known_acme(engine)
    earlier_discovery(engine, acme, SEED.dana, days_ago=20)
    earlier_discovery(engine, acme, SEED.coach, days_ago=40)  # outside the window
    log_about(Scout(driver, emulator), "acme corp", expect="known account")
    settle(emulator, 1.0)
    assert not any("scouts have logged" in str(m) for m in emulator.messages(SEED.sales))
    earlier_discovery(engine, acme, SEED.admin, days_ago=1)  # the third scout within 30 days
    log_about(Scout(driver, emulator), "Acme Corp.", expect="known account")

    def converged(messages):
        return [m for m in messages if "3 scouts have logged" in str(m)]

    wait_until(lambda: converged(emulator.messages(SEED.sales)), what="the sales channel's alert")
    wait_until(lambda: converged(owner_dms(emulator)), what="the owner's alert")
    log_about(Scout(driver, emulator, user=SEED.dana), "acme", expect="known account")
    settle(emulator, 1.0)
    assert len(converged(emulator.messages(SEED.sales))) == 1
    assert len(converged(owner_dms(emulator))) == 1
