"""Coaches: quality per scout and decline reasons in the coach digest, everyone in `/scout coach`
(coaches only, only to the asker), and each scout's one tip in their weekly DM."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from freezegun import freeze_time
from sqlmodel import select

from bot.cli.runtime import scheduled_jobs
from bot.discoveries.loop import Change, change_status
from bot.discoveries.service import submit_discovery
from bot.emulator import SEED
from bot.rendering.ids import Command
from storage.engine import session_scope
from storage.enums import DiscoverySource, DiscoveryStatus
from storage.models import DialogueSession
from storage.queries import route_channels
from storage.types import utc_now
from tests.e2e.conftest import e2e_settings
from tests.e2e.people import wait_until

BERLIN = ZoneInfo("Europe/Berlin")
NAMED = "U0NAMEDCOACH"  # a coach by VALUESCOUT_COACHES, in no channel
OUTSIDER = "U0OUTSIDER"  # in no channel, named nowhere
SCOUTS = [f"U0SCOUT{n}" for n in range(7)]
FULL = {
    "outcome": "Cut store onboarding from 3 weeks to 2 days", "who_cares": "executive",
    "value": {"band": "100k_1m"}, "event": {"date": "2027-03-31", "pressure": "Renewal"},
    "evidence": '"Globex loses a store a month to onboarding," their COO said',
}  # fmt: skip
BARE = {"outcome": "Better onboarding"}


@pytest.fixture
def settings(emulator, database_url):
    """The e2e settings, with one coach named by the environment."""
    return e2e_settings(emulator, database_url, VALUESCOUT_COACHES=NAMED)


def log(engine, *, scout: str, n: int, at: datetime, parts: dict) -> int:
    """A discovery at Globex by `scout`, logged at `at` (DM), routed to sales."""
    answers = {"account": "Globex", "gap": "By hand", "fit": "partly"} | parts
    with session_scope(engine) as session:
        return submit_discovery(
            session=session, source_key=f"coach-e2e:{n}", team_id=SEED.team_id,
            scout_user_id=scout, source=DiscoverySource.DM, answers=answers,
            routes=[("sales", "test")], themes=[], route_channels=route_channels(session=session),
            now=at,
        ).discovery_id  # fmt: skip


def decline(engine, discovery_id: int, *, reason: str | None, at: datetime) -> None:
    change = Change(DiscoveryStatus.DECLINED, SEED.sally, SEED.sales, note="x", outcome_kind=reason)
    with session_scope(engine) as session:
        assert change_status(session=session, discovery_id=discovery_id, change=change, now=at).done


def ask(driver, emulator, user: str) -> dict:
    before = len(emulator.response_url_posts)
    response = driver.command(Command.SCOUT.value, "coach", user=user)
    assert response.status == 200 and not response.body  # acked at once, answered after
    wait_until(lambda: len(emulator.response_url_posts) > before, what="the ephemeral answer")
    post = emulator.response_url_posts[-1]
    assert post.user_id == user and post.payload["response_type"] == "ephemeral"
    return post.payload


def texts(payload: dict) -> str:
    return "\n".join(b["text"]["text"] for b in payload.get("blocks", []) if "text" in b)


def week_of_scouts(engine, emulator) -> None:
    """Seven scouts logged this week: the even ones completely, the odd ones barely."""
    now = utc_now()
    for scout in SCOUTS:
        emulator.workspace.add_user(scout, scout.lower(), f"Scout {scout[-1]}")
    for n, scout in enumerate(SCOUTS):
        log(engine, scout=scout, n=n, at=now - timedelta(minutes=n + 1),
            parts=FULL if n % 2 == 0 else BARE)  # fmt: skip


def test_a_coach_sees_every_scout_only_to_themselves_and_no_dialogue_starts(
    driver, emulator, engine
):
    week_of_scouts(engine, emulator)
    posted = len(emulator.calls_to("chat.postMessage"))

    seen = ask(driver, emulator, SEED.coach)  # a member of the coach channel

    text = texts(seen)
    assert all(f"<@{scout}>" in text for scout in SCOUTS)
    assert f"• <@{SCOUTS[0]}>: 1 discovery · completeness *5.0*/5" in text
    assert text.index(f"<@{SCOUTS[0]}>") < text.index(f"<@{SCOUTS[1]}>")  # best first
    emulator.workspace.add_user(NAMED, "nico", "Nico Named")
    assert ask(driver, emulator, NAMED)["blocks"] == seen["blocks"]  # named in the environment
    with session_scope(engine) as session:
        assert session.exec(select(DialogueSession)).all() == []
    assert len(emulator.calls_to("chat.postMessage")) == posted  # nothing posted anywhere


def test_someone_who_is_no_coach_is_refused_politely_and_sees_no_scout(driver, emulator, engine):
    week_of_scouts(engine, emulator)
    emulator.workspace.add_user(OUTSIDER, "olly", "Olly Outsider")

    refused = ask(driver, emulator, OUTSIDER)

    assert "for coaches" in refused["text"] and f"<#{SEED.coaches}>" in texts(refused)
    assert "U0SCOUT" not in str(refused)
    assert "for coaches" in ask(driver, emulator, SEED.scout)["text"]  # not in the coach channel


def test_the_coach_digest_and_the_scouts_dms_carry_quality_reasons_and_tips(
    emulator, engine, components
):
    jobs = {job.id: job for job in scheduled_jobs(components)}
    with freeze_time("2026-11-09 12:00:00", tick=True):  # first start: last Monday is not owed
        jobs["digests_on_start"].func()
    logged = datetime(2026, 11, 11, 10, 0, tzinfo=BERLIN)  # the week of 9–15 Nov
    ids = [
        log(engine, scout=SEED.scout, n=1, at=logged, parts=BARE),
        log(engine, scout=SEED.scout, n=2, at=logged + timedelta(hours=1), parts=BARE),
        log(engine, scout=SEED.sally, n=3, at=logged + timedelta(hours=2), parts=FULL),
    ]
    decline(engine, ids[0], reason="not_now", at=logged + timedelta(hours=3))
    decline(engine, ids[1], reason=None, at=logged + timedelta(hours=4))  # from before reasons

    with freeze_time("2026-11-16 09:30:00", tick=True):
        jobs["digests_on_start"].func()
        jobs["digests_catch_up"].func()

    thread = wait_until(lambda: _thread_text(emulator, SEED.coaches), what="the coach thread")
    assert "*Quality per scout* of this week's discoveries (2 scouts;" in thread
    assert f"_Strongest_\n• <@{SEED.sally}>: 1 discovery · completeness *5.0*/5" in thread
    assert (
        f"_Who could use a hand_\n• <@{SEED.scout}>: 2 discoveries · completeness *0.0*/5" in thread
    )
    assert "*Decline reasons* this week (2 declines): Not now 1 · Other 1." in thread
    dm = wait_until(lambda: _thread_text(emulator, SEED.scout, "One thing"), what="the scout's DM")
    assert "*One thing for your next discovery:* Put the outcome in their measurable terms" in dm
    assert "(2 of your 2 this week were without it.)" in dm
    assert "A colleague's, for example: _Cut store onboarding from 3 weeks to 2 days_" in dm


def _thread_text(emulator, channel: str, needle: str = "Quality per scout") -> str | None:
    text = "\n".join(
        b["text"]["text"] for m in emulator.messages(channel) for b in m.get("blocks", [])
        if b.get("type") == "section"
    )  # fmt: skip
    return text if needle in text else None
