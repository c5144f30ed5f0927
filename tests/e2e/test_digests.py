"""A scout's weekly digest DM: one click turns it off, the Home tab turns it back on."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.digests.model import Digest, DigestKind, Message, Week
from bot.digests.send import Outcome, send_digest
from bot.emulator import SEED
from bot.rendering.ids import ActionId
from storage.engine import session_scope
from storage.queries.config import scout_digest_opt_outs
from storage.types import utc_now
from tests.e2e.people import Scout, wait_until

OFF_LABEL = "Stop these DMs"
BERLIN = ZoneInfo("Europe/Berlin")  # the e2e settings' time zone


def scout_digest(user: str = SEED.scout) -> Digest:
    """A hand-made scout digest with the switch button, as the content module renders it."""
    button = {
        "type": "button", "text": {"type": "plain_text", "text": OFF_LABEL},
        "action_id": ActionId.DIGEST_SCOUT_OFF.value, "value": user,
    }  # fmt: skip
    blocks = [
        {"type": "section", "text": {"type": "mrkdwn", "text": "Your week: 2 acknowledged"}},
        {"type": "actions", "elements": [button]},
    ]
    week = Week.of(utc_now(), BERLIN).previous()
    return Digest(DigestKind.SCOUT, "scout", user, week, Message("Your week", blocks))


def opted_out(engine) -> frozenset[str]:
    with session_scope(engine) as session:
        return scout_digest_opt_outs(session=session)


def deliver(components, digest: Digest) -> None:
    outcome = send_digest(
        engine=components.engine, client=components.client, digest=digest, now=utc_now()
    )
    assert outcome is Outcome.SENT


def test_one_click_turns_the_weekly_dm_off_and_says_how_to_get_it_back(
    driver, emulator, engine, components
):
    deliver(components, scout_digest())
    scout = Scout(driver, emulator)

    scout.click(OFF_LABEL)

    ephemeral = wait_until(lambda: emulator.ephemerals(scout.dm), what="the confirmation")
    assert "won't get these weekly DMs" in ephemeral[-1]["text"]
    assert "Home tab" in ephemeral[-1]["text"]
    assert opted_out(engine) == frozenset({SEED.scout})


def test_the_click_switches_off_the_clicker_whatever_the_button_says(
    driver, emulator, engine, components
):
    deliver(components, scout_digest(SEED.sally))
    message = emulator.messages(emulator.dm_channel_for(SEED.sally))[-1]
    forged = {**message}  # Sally's DM, clicked by Dana: only Dana is switched off

    driver.block_action(
        user=SEED.dana, action_id=ActionId.DIGEST_SCOUT_OFF.value, value=SEED.sally,
        message=forged, channel=emulator.dm_channel_for(SEED.dana),
    )  # fmt: skip

    wait_until(lambda: opted_out(engine), what="an opt-out")
    assert opted_out(engine) == frozenset({SEED.dana})


def test_the_home_tab_button_turns_the_weekly_dm_back_on(driver, emulator, engine, components):
    deliver(components, scout_digest())
    Scout(driver, emulator).click(OFF_LABEL)
    wait_until(lambda: opted_out(engine), what="the opt-out")
    button = {
        "type": "button", "text": {"type": "plain_text", "text": "Weekly DM: turn on"},
        "action_id": ActionId.DIGEST_SCOUT_ON.value, "value": SEED.scout,
    }  # fmt: skip
    view = {"type": "home", "blocks": [{"type": "actions", "elements": [button]}]}
    published = components.client.views_publish(user_id=SEED.scout, view=view)["view"]

    driver.block_action(
        user=SEED.scout, action_id=ActionId.DIGEST_SCOUT_ON.value, value=SEED.scout,
        view=published["id"],
    )  # fmt: skip

    wait_until(lambda: not opted_out(engine), what="the digest back on")
