"""A scout's weekly digest DM: one click turns it off, the Home tab turns it back on."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from freezegun import freeze_time

from bot.cli.runtime import scheduled_jobs
from bot.digests.model import Digest, DigestKind, Message, Week
from bot.digests.send import Outcome, send_digest
from bot.discoveries.service import submit_discovery
from bot.emulator import SEED
from bot.rendering.ids import ActionId
from storage.engine import session_scope
from storage.enums import DiscoverySource
from storage.queries import route_channels
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
    driver.app_home_opened(SEED.scout)
    home = wait_until(
        lambda: (
            "Turn it back on" in str(emulator.home_view(SEED.scout))
            and emulator.home_view(SEED.scout)
        ),
        what="the Home tab offering the digest back",
    )

    driver.block_action(
        user=SEED.scout, action_id=ActionId.DIGEST_SCOUT_ON.value, value="on", view=home["id"]
    )

    wait_until(lambda: not opted_out(engine), what="the digest back on")
    wait_until(
        lambda: "Turn it back on" not in str(emulator.home_view(SEED.scout)),
        what="the Home tab refreshed",
    )


def test_the_scheduled_jobs_send_a_missed_fire_once_on_start_with_its_chart(
    emulator, engine, components
):
    jobs = {job.id: job for job in scheduled_jobs(components)}
    assert str(jobs["digests"].trigger) == "cron[day_of_week='mon', hour='9', minute='0']"
    assert jobs["digests"].trigger.timezone == BERLIN
    with freeze_time("2026-11-09 12:00:00", tick=True):  # first start: last Monday is not owed
        jobs["digests_on_start"].func()
    assert digest_posts(emulator, SEED.sales) == []
    log_discovery(engine, at=datetime(2026, 11, 11, 10, 0, tzinfo=BERLIN))

    with freeze_time("2026-11-16 10:00:00", tick=True):  # down at 09:00, back at 11:00 Berlin
        jobs["digests_on_start"].func()
        jobs["digests_catch_up"].func()

    [sales] = digest_posts(emulator, SEED.sales)
    assert "9–15 Nov 2026" in sales["text"]
    coach = digest_posts(emulator, SEED.coaches)
    assert len([m for m in coach if m.get("thread_ts", m["ts"]) == m["ts"]]) == 1
    assert [m for m in emulator.messages(SEED.coaches) if m.get("files")]  # the chart


def log_discovery(engine, *, at: datetime) -> None:
    with session_scope(engine) as session:
        submit_discovery(
            session=session, source_key="digest-e2e", team_id=SEED.team_id,
            scout_user_id=SEED.scout, source=DiscoverySource.DM,
            answers={"account": "Globex", "outcome": "Close the books in two days",
                     "gap": "Manual reconciliation", "fit": "not_yet"},
            routes=[("sales", "budget this quarter")], themes=[],
            route_channels=route_channels(session=session), now=at,
        )  # fmt: skip


def digest_posts(emulator, channel: str) -> list[dict]:
    """The bot's digest parents in a channel (cards are posted there too)."""
    return [
        m for m in emulator.messages(channel)
        if m.get("user") == SEED.bot_user_id and "digest" in m.get("text", "").lower()
        and m.get("thread_ts", m["ts"]) == m["ts"]
    ]  # fmt: skip
