"""Demand that adds up: a second scout's look-alike discovery joins the open one instead of a
second card, and its cards count both accounts and their value."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func
from sqlmodel import select

from bot.discoveries.export.options import Window
from bot.discoveries.export.reading import export_records
from bot.domain.money import current_money
from bot.emulator import SEED
from bot.rendering.ids import BlockId, Command
from storage.engine import session_scope
from storage.enums import DialogueStatus
from storage.models import DialogueSession, Discovery, DiscoverySupporter
from storage.queries.digest_routes import largest_per_route
from storage.types import utc_now
from tests.e2e.people import Scout, wait_until
from tests.e2e.test_card_actions import logged
from tests.e2e.test_dialogue_dm import skip_the_rest
from tests.e2e.test_dialogue_modal import modal_state
from tests.e2e.test_themes_command import ask


def look_alike(driver, emulator, *, account: str = "Initech", user: str = SEED.sally) -> Scout:
    """A second scout logs the same outcome at another account, up to the summary."""
    scout = Scout(driver, emulator, user=user)
    for text, expect in (
        ("hi", "Which customer"), (account, "achieve"),
        ("Onboarding a new store in one day, not two weeks", "stands in the way"),
        ("A consultant has to fly in for 3 days to set up every store", "deliver this today"),
    ):  # fmt: skip
        scout.say(text, expect=expect)
    scout.click("Partly", expect="worth")
    scout.say("300k USD", expect="pressure")
    scout.say("skip", expect="Who wants")
    skip_the_rest(scout)
    return scout


def count(engine, model) -> int:
    with session_scope(engine) as session:
        return session.scalar(select(func.count()).select_from(model))


def test_a_look_alike_joins_the_open_discovery_instead_of_a_second_card(driver, emulator, engine):
    _first, _receipt, team = logged(driver, emulator)
    second = look_alike(driver, emulator)
    summary = second.last()
    assert "Add my account to this one" in str(summary) and "#1" in str(summary)
    cards_before = len(emulator.messages(SEED.product)) + len(emulator.messages(SEED.sales))

    second.click("Add my account to this one", expect="now counts", message=summary)

    cards = team.wait_for_cards("2 accounts")
    assert all("Initech" in str(card) and "Globex" in str(card) for card in cards)
    money = current_money()  # 40k EUR + $300k, summed in the base currency
    total = money.show(money.convert(Decimal(40000), "EUR") + Decimal(300000))
    assert all(f"2 accounts*, {total}" in str(card) for card in cards)
    receipt = second.wait_for("No second card")
    assert "see the post" in str(receipt)  # a link to the first discovery's card
    assert len(emulator.messages(SEED.product)) + len(emulator.messages(SEED.sales)) == cards_before
    assert count(engine, Discovery) == 1 and count(engine, DiscoverySupporter) == 1
    with session_scope(engine) as session:
        supporter = session.exec(select(DiscoverySupporter)).one()
        dialogue = session.exec(
            select(DialogueSession).where(DialogueSession.user_id == SEED.sally)
        ).one()
    assert (supporter.account, supporter.scout_user_id) == ("Initech", SEED.sally)
    assert supporter.value_base == 300000 and dialogue.status == DialogueStatus.SUBMITTED


def test_the_summary_joined_shows_what_happened_and_no_controls_left(driver, emulator):
    logged(driver, emulator)
    second = look_alike(driver, emulator)
    summary = second.last()

    second.click("Add my account to this one", expect="now counts", message=summary)

    now = next(m for m in second.bot_messages() if m["ts"] == summary["ts"])
    assert "now counts for discovery #1 at Globex" in str(now)
    assert "Initech" in str(now)  # the answers the scout gave stay readable
    assert not [b for b in now["blocks"] if b["type"] == "actions" or "accessory" in b]
    said = [m for m in second.bot_messages() if "now counts for discovery #1" in str(m)]
    assert len(said) == 1  # said once, on the summary: not again in a message of its own


CLICKS = {  # the first click, then the other button on the same (now stale) summary
    "join then submit": (("Add my account to this one", "now counts"),
                         ("Add my account to this one", "already counts"),
                         ("Submit", "earlier discovery")),
    "submit then join": (("Submit", "on its way"), ("Add my account to this one", "already submitted")),
}  # fmt: skip


@pytest.mark.parametrize("clicks", CLICKS, ids=str)
def test_a_repeated_or_stale_click_on_the_summary_changes_nothing_more(
    driver, emulator, engine, clicks
):
    logged(driver, emulator)
    second = look_alike(driver, emulator)
    summary = second.last()
    for label, expect in CLICKS[clicks]:
        second.click(label, expect=expect, message=summary)
    joined = clicks.startswith("join")
    assert count(engine, DiscoverySupporter) == int(joined)
    assert count(engine, Discovery) == 1 + (not joined)


def test_the_same_account_is_not_offered_to_join_its_own_discovery(driver, emulator):
    logged(driver, emulator)
    second = look_alike(driver, emulator, account="Globex")
    assert "Add my account" not in str(second.last())


def test_a_discovery_closed_meanwhile_is_not_joined(driver, emulator, engine):
    _first, _receipt, team = logged(driver, emulator)
    second = look_alike(driver, emulator)
    summary = second.last()
    for channel in (SEED.product, SEED.sales):
        view = team.modal("Decline", channel=channel)
        team.submit(view, note="Not for us")
    wait_until(lambda: _status(engine) == "declined", what="declined")

    answer = second.click("Add my account to this one", expect="closed meanwhile", message=summary)

    assert "Add my account" not in str(answer)  # the summary shown again offers nothing closed
    assert count(engine, DiscoverySupporter) == 0


def _status(engine) -> str:
    with session_scope(engine) as session:
        return session.exec(select(Discovery.status)).one()


def test_value_by_theme_largest_by_value_and_export_count_the_supporter(driver, emulator, engine):
    logged(driver, emulator)
    second = look_alike(driver, emulator)
    second.click("Add my account to this one", expect="now counts", message=second.last())
    money = current_money()
    total = money.convert(Decimal(40000), "EUR") + Decimal(300000)

    table = ask(driver, emulator, "themes")

    assert f"{money.show(total)}" in str(table) and "1 discovery at 2 accounts" in str(table)
    now = utc_now()
    with session_scope(engine) as session:
        week = {"start": now - timedelta(days=7), "end": now + timedelta(seconds=1)}
        largest = largest_per_route(session=session, team_id=SEED.team_id, **week, limit=3)
    lines = [line for found in largest.values() for line in found]
    assert {line.value_base for line in lines} == {total}
    assert {line.value_amount for line in lines} == {None}  # no one amount "as given"
    [record] = list(export_records(engine=engine, window=Window()))
    [supporter] = record["supporters"]
    assert (supporter["account"], supporter["value_base"]) == ("Initech", "300000.00")


def test_the_modal_path_offers_and_joins_too_and_a_resubmit_adds_once(driver, emulator, engine):
    _scout, _receipt, team = logged(driver, emulator)
    driver.command(Command.SCOUT.value, "", user=SEED.sally)
    emulator.wait_for_call("views.open")
    view = emulator.modal_stack(SEED.sally)[-1]
    answers = {"account": "Initech", "outcome": "Onboarding a new store in one day",
               "gap": "A consultant flies in for each store", "fit": "partly", "value": "100k_1m"}  # fmt: skip
    driver.view_submission(user=SEED.sally, view=view["id"], values=modal_state(view, answers))
    confirm = emulator.modal_stack(SEED.sally)[-1]
    assert "Add my account to this one" in str(confirm) and "#1 Globex" in str(confirm)
    state = modal_state(confirm, {BlockId.JOIN.value: ["1"]})

    first = driver.view_submission(user=SEED.sally, view=confirm["id"], values=state)
    again = driver.view_submission(user=SEED.sally, view=confirm["id"], values=state)

    assert first.json == again.json == {"response_action": "clear"}
    team.wait_for_cards("2 accounts")
    Scout(driver, emulator, user=SEED.sally).wait_for("now counts for discovery #1")
    assert count(engine, Discovery) == 1 and count(engine, DiscoverySupporter) == 1
