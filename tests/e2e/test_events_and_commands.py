"""Signed Slack requests through Bolt into the app: what each one does, and what it does not."""

import pytest

from bot.emulator import SEED
from bot.rendering.ids import Command

pytestmark = pytest.mark.sqlite_only  # how the app answers, not what storage does


def greetings(emulator) -> list[dict]:
    return [m for m in emulator.messages(emulator.dm_channel_for(SEED.scout)) if m.get("bot_id")]


def test_url_verification_echoes_the_challenge(driver):
    response = driver.url_verification("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P")
    assert response.status == 200
    assert response.json["challenge"] == "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"


def test_scout_help_is_answered_in_the_ack_without_any_web_api_call(driver, emulator):
    response = driver.command(Command.SCOUT.value, "help", user=SEED.scout)
    assert response.status == 200
    text = response.json["blocks"][0]["text"]["text"]
    assert "/scout" in text and "Log value discovery" in text
    assert emulator.calls == []


def test_a_direct_message_is_acknowledged_before_the_bot_calls_slack(driver, emulator):
    emulator.faults.latency("chat.postMessage", 1.0)
    response = driver.message(SEED.scout, "hello")
    assert response.status == 200
    assert emulator.calls_to("chat.postMessage") == []  # the reply is still on its way
    reply = emulator.wait_for_call("chat.postMessage", timeout=5)
    assert reply.params["channel"] == emulator.dm_channel_for(SEED.scout)


def test_a_retried_event_is_answered_once(driver, emulator):
    first = driver.message(SEED.scout, "hello")
    envelope = first.sent
    emulator.wait_for_call("chat.postMessage")
    for retry in (1, 2, 3):
        again = driver.event(envelope["event"], event_id=envelope["event_id"], retry_num=retry)
        assert again.status == 200
    driver.message(SEED.scout, "Globex")  # answers the first question: the next one comes
    emulator.wait_for_call("chat.postMessage", predicate=lambda c: "achieve" in str(c.params))
    openings = [m for m in greetings(emulator) if "Which customer" in str(m)]
    assert len(openings) == 1  # the three retries of "hello" were not answered again


def test_edits_bot_messages_and_the_bots_own_posts_get_no_reply(driver, emulator):
    dm = emulator.dm_channel_for(SEED.scout)
    for extra in ({"subtype": "message_changed"}, {"bot_id": "B0OTHER"}):
        assert driver.message(SEED.scout, "edited", **extra).status == 200
    own = {"type": "message", "channel_type": "im", "channel": dm, "user": SEED.bot_user_id}
    own |= {"bot_id": SEED.bot_id, "text": "I said this", "ts": "1700000001.000100"}
    assert driver.event(own).status == 200
    driver.message(SEED.scout, "a real question")
    emulator.wait_for_call("chat.postMessage")
    assert len(emulator.calls_to("chat.postMessage")) == 1


def test_an_event_the_bot_ignores_is_still_answered_200(driver):
    reaction = {"type": "reaction_added", "user": SEED.scout, "reaction": "tada"}
    reaction |= {"item": {"type": "message", "channel": SEED.sales, "ts": "1.2"}}
    response = driver.event(reaction)
    assert response.status == 200


def test_opening_the_app_home_publishes_it(driver, emulator):
    assert driver.app_home_opened(SEED.scout).status == 200
    emulator.wait_for_call("views.publish")
    home = emulator.home_view(SEED.scout)
    assert home["type"] == "home"
    assert any("Value Scout" in str(block) for block in home["blocks"])
