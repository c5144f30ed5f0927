"""Only DMs, /scout and the shortcut start a dialogue: whatever is said in channels starts nothing."""

import logging
import time

import pytest
from sqlalchemy import func, select

from bot.emulator import SEED
from bot.manifest import BOT_EVENTS
from storage.engine import session_scope
from storage.models import DialogueSession

pytestmark = pytest.mark.sqlite_only  # how the app answers, not what storage does


def dialogues(engine) -> int:
    with session_scope(engine) as session:
        return session.scalar(select(func.count()).select_from(DialogueSession))


def channel_message(channel: str, channel_type: str, text: str) -> dict:
    event = {"type": "message", "channel": channel, "channel_type": channel_type}
    return event | {"user": SEED.scout, "text": text, "ts": f"{time.time():.6f}"}


def events(emulator) -> dict[str, dict]:
    """A message in each kind of conversation that is not a DM, and a mention of the bot."""
    group_dm = emulator.workspace.open_group_dm([SEED.scout, SEED.sally])
    mention = channel_message(SEED.sales, "channel", f"<@{SEED.bot_user_id}> hello")
    return {
        "channel": channel_message(SEED.sales, "channel", "hello"),
        "private channel": channel_message("G0PRIVATE", "group", "hello"),
        "group DM": channel_message(group_dm, "mpim", "hello"),
        "app_mention": mention | {"type": "app_mention"},
        "thread reply": channel_message(SEED.sales, "channel", "hi") | {"thread_ts": "1.000100"},
    }


@pytest.mark.parametrize(
    "kind", ["channel", "private channel", "group DM", "app_mention", "thread reply"]
)
def test_a_message_outside_a_dm_is_answered_200_and_starts_no_dialogue(
    driver, emulator, engine, caplog, kind
):
    caplog.set_level(logging.INFO)
    response = driver.event(events(emulator)[kind])
    time.sleep(0.3)  # had a dialogue started, its first question would be posted by now
    assert response.status == 200
    assert emulator.calls_to("chat.postMessage") == []
    assert dialogues(engine) == 0
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_a_dm_still_starts_a_dialogue(driver, emulator, engine):
    assert driver.message(SEED.scout, "hello").status == 200
    emulator.wait_for_call("chat.postMessage")
    assert dialogues(engine) == 1


def subscribed_event(name: str, dm: str) -> dict:
    """A minimal event of a type the manifest subscribes to ("message.im" is a DM message)."""
    kind, _, channel_type = name.partition(".")
    event = {"type": kind, "user": SEED.sally, "channel": SEED.general, "ts": f"{time.time():.6f}"}
    if kind == "message":
        return event | {"channel": dm, "channel_type": channel_type, "text": "hello"}
    return event | ({"tab": "home"} if kind == "app_home_opened" else {})


@pytest.mark.parametrize("name", BOT_EVENTS)
def test_every_subscribed_event_type_is_answered_200(driver, emulator, name, caplog):
    caplog.set_level(logging.INFO)
    event = subscribed_event(name, emulator.dm_channel_for(SEED.sally))
    assert driver.event(event).status == 200
    time.sleep(0.2)  # work after the ack must not fail either
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
