"""A route channel that refuses the bot, end to end: the scout and the admins are told once,
and the card goes out when Slack says the channel takes it again (or an admin remaps it)."""

from __future__ import annotations

import logging

from bot.cli.forms import view_state
from bot.emulator import SEED
from tests.e2e.people import Scout, wait_until
from tests.e2e.test_card_actions import replies
from tests.e2e.test_config import channel_block, open_config
from tests.e2e.test_dialogue_dm import answer_everything


def admin_dms(emulator) -> list[dict]:
    return emulator.messages(emulator.dm_channel_for(SEED.admin))


def logged_while_blocked(driver, emulator) -> tuple[Scout, dict]:
    """A discovery for #sales and #product, logged while #product refuses the bot."""
    scout = Scout(driver, emulator)
    answer_everything(scout)
    scout.click("Submit", expect="on its way")
    receipt = scout.wait_for("still on its way")
    assert f"<#{SEED.product}>" in receipt["text"] and emulator.messages(SEED.sales)
    [waiting] = replies(emulator, scout, receipt)
    assert "has not reached the product team" in waiting["text"]
    [notice] = wait_until(lambda: admin_dms(emulator), what="the admins' notice")
    assert "/scout config" in notice["text"] and emulator.messages(SEED.product) == []
    return scout, receipt


def test_a_card_waits_for_an_invite_and_goes_out_when_the_bot_joins(driver, emulator, caplog):
    caplog.set_level(logging.INFO)
    emulator.workspace.leave(SEED.product, SEED.bot_user_id)
    scout, receipt = logged_while_blocked(driver, emulator)
    assert "/invite @Value Scout" in admin_dms(emulator)[0]["text"]

    emulator.workspace.join(SEED.product, SEED.bot_user_id)  # /invite @Value Scout
    joined = {"type": "member_joined_channel", "user": SEED.bot_user_id}
    response = driver.event(joined | {"channel": SEED.product, "channel_type": "C"})
    assert response.status == 200

    wait_until(lambda: emulator.messages(SEED.product), what="the product card")
    resumed = replies(emulator, scout, receipt, count=2)[1]
    assert resumed["text"].endswith(f"has now reached the product team in <#{SEED.product}>.")
    wait_until(lambda: "on its way" not in emulator.message(scout.dm, receipt["ts"])["text"],
               what="the receipt redrawn")  # fmt: skip
    assert len(admin_dms(emulator)) == 1
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_a_card_for_an_archived_channel_goes_out_when_it_is_unarchived(driver, emulator):
    emulator.workspace.archive(SEED.product)
    scout, receipt = logged_while_blocked(driver, emulator)
    assert "unarchive" in admin_dms(emulator)[0]["text"]

    emulator.workspace.archive(SEED.product, archived=False)
    assert driver.event({"type": "channel_unarchive", "channel": SEED.product,
                         "user": SEED.admin}).status == 200  # fmt: skip

    wait_until(lambda: emulator.messages(SEED.product), what="the product card")
    assert "now reached" in replies(emulator, scout, receipt, count=2)[1]["text"]


def test_an_admin_maps_another_channel_and_the_waiting_card_goes_there(driver, emulator):
    emulator.workspace.leave(SEED.product, SEED.bot_user_id)
    scout, receipt = logged_while_blocked(driver, emulator)

    view = open_config(driver, emulator)
    state = view_state(view, {channel_block("product"): SEED.marketing})
    assert driver.view_submission(user=SEED.admin, view=view["id"], values=state).status == 200

    card = wait_until(lambda: emulator.messages(SEED.marketing), what="the card in #marketing")
    assert "Globex" in str(card) and emulator.messages(SEED.product) == []
    resumed = replies(emulator, scout, receipt, count=2)[1]
    assert resumed["text"].endswith(f"in <#{SEED.marketing}>.")
