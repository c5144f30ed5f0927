"""A card its team has not answered for N working days gets one nudge in its thread."""

from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import update
from sqlmodel import select

from bot.discoveries.nudges import _candidates, _claim, nudge_open_loops
from bot.discoveries.service import submit_discovery
from bot.emulator import SEED
from storage.engine import read_scope, session_scope
from storage.enums import DiscoverySource, DiscoveryStatus
from storage.models import Discovery, DiscoveryRoute
from storage.queries import route_channels, set_setting
from tests.e2e.people import wait_until

BERLIN = ZoneInfo("Europe/Berlin")  # the e2e settings' workspace time zone
MONDAY = datetime(2026, 11, 2, 10, tzinfo=BERLIN)
FRIDAY = datetime(2026, 11, 6, 10, tzinfo=BERLIN)
ANSWERS = {"outcome": "Close the books in two days", "gap": "Manual reconciliation"}


def log_card(engine, emulator, *, at: datetime, account: str = "Globex") -> str:
    """Log a discovery routed to product at `at`, and wait for its card; return the card's ts."""
    with session_scope(engine) as session:
        submit_discovery(
            session=session, source_key=f"open-loop:{account}:{at.isoformat()}", team_id=SEED.team_id,
            scout_user_id=SEED.scout, source=DiscoverySource.DM,
            answers=ANSWERS | {"account": account, "fit": "not_yet"},
            routes=[("product", "an unmet gap")], themes=[],
            route_channels=route_channels(session=session), now=at,
        )  # fmt: skip
    ts = wait_until(lambda: _card_ts(engine, account), what=f"the card for {account}")
    wait_until(lambda: any(m["ts"] == ts for m in emulator.messages(SEED.product)), what="card")
    return ts


def _card_ts(engine, account: str) -> str | None:
    with session_scope(engine) as session:
        statement = (
            select(DiscoveryRoute.message_ts)
            .join(Discovery, Discovery.id == DiscoveryRoute.discovery_id)
            .where(Discovery.account == account)
        )
        return session.exec(statement).first()


def nudges(emulator, ts: str) -> list[dict]:
    """The nudges in one card's thread."""
    replies = [m for m in emulator.messages(SEED.product) if m.get("thread_ts") == ts]
    return [m for m in replies if m["ts"] != ts and ":wave:" in m["text"]]


def nudge(components, now: datetime) -> int:
    return nudge_open_loops(
        engine=components.engine, client=components.client, zone=BERLIN, now=now
    )


def test_a_card_is_nudged_once_after_three_working_days_not_before(emulator, engine, components):
    ts = log_card(engine, emulator, at=MONDAY)
    assert nudge(components, MONDAY + timedelta(days=3) - timedelta(minutes=1)) == 0
    assert nudges(emulator, ts) == []
    assert nudge(components, MONDAY + timedelta(days=3)) == 1
    assert nudge(components, MONDAY + timedelta(days=3, minutes=15)) == 0  # one, not a nag
    assert nudge(components, MONDAY + timedelta(days=10)) == 0
    [message] = nudges(emulator, ts)
    assert "This discovery at *Globex*" in message["text"]
    assert f"<@{SEED.scout}>" in message["text"] and "3 working days" in message["text"]


def test_a_friday_card_is_nudged_on_wednesday_not_monday(emulator, engine, components):
    ts = log_card(engine, emulator, at=FRIDAY)
    assert nudge(components, FRIDAY + timedelta(days=3)) == 0  # Monday: one working day
    assert nudge(components, FRIDAY + timedelta(days=4)) == 0  # Tuesday: two
    assert nudge(components, FRIDAY + timedelta(days=5)) == 1  # Wednesday: three
    assert len(nudges(emulator, ts)) == 1


def test_an_acknowledged_card_is_not_nudged(emulator, engine, components):
    ts = log_card(engine, emulator, at=MONDAY)
    with session_scope(engine) as session:  # its team picked it up
        session.exec(update(DiscoveryRoute).values(status=DiscoveryStatus.ACKNOWLEDGED))
    assert nudge(components, MONDAY + timedelta(days=7)) == 0
    assert nudges(emulator, ts) == []


def test_a_card_is_nudged_while_its_own_team_owes_an_answer(emulator, engine, components):
    ts = log_card(engine, emulator, at=MONDAY)
    with session_scope(engine) as session:  # another team's answer does not close this loop
        session.exec(update(Discovery).values(status=DiscoveryStatus.ACKNOWLEDGED))
    assert nudge(components, MONDAY + timedelta(days=7)) == 1
    assert len(nudges(emulator, ts)) == 1


def test_the_delay_is_the_admin_setting(emulator, engine, components):
    with session_scope(engine) as session:
        set_setting(session=session, key="nudge_after_working_days", value=1, changed_by=SEED.admin)
    ts = log_card(engine, emulator, at=FRIDAY)
    assert nudge(components, FRIDAY + timedelta(days=2)) == 0  # Sunday
    assert nudge(components, FRIDAY + timedelta(days=3)) == 1  # Monday: one working day
    assert "1 working day." in nudges(emulator, ts)[0]["text"]


def test_each_card_of_several_is_nudged_once(emulator, engine, components):
    first = log_card(engine, emulator, at=MONDAY, account="Globex")
    second = log_card(engine, emulator, at=MONDAY + timedelta(days=1), account="Initech")
    assert nudge(components, MONDAY + timedelta(days=3)) == 1
    assert nudge(components, MONDAY + timedelta(days=4)) == 1
    assert len(nudges(emulator, first)) == len(nudges(emulator, second)) == 1


def test_user_text_in_the_nudge_is_escaped(emulator, engine, components):
    ts = log_card(engine, emulator, at=MONDAY, account="<!channel> & Co")
    assert nudge(components, MONDAY + timedelta(days=3)) == 1
    text = nudges(emulator, ts)[0]["text"]
    assert "&lt;!channel&gt; &amp; Co" in text and "<!channel>" not in text


def test_two_processes_nudging_at_once_send_one_nudge(emulator, engine, components):
    ts = log_card(engine, emulator, at=MONDAY)
    due = MONDAY + timedelta(days=3)
    with ThreadPoolExecutor(max_workers=2) as pool:
        sent = list(pool.map(lambda _: nudge(components, due), range(2)))
    assert sorted(sent) == [0, 1]
    assert len(nudges(emulator, ts)) == 1


def test_a_card_acknowledged_after_it_was_found_is_not_nudged(emulator, engine, components):
    # Cards are found outside the write lock; one picked up meanwhile must not be nudged.
    ts = log_card(engine, emulator, at=MONDAY)
    later = MONDAY + timedelta(days=3)
    with read_scope(engine) as session:
        found = _candidates(session, days=3, now=later, team_id=None)
    with session_scope(engine) as session:
        session.exec(update(DiscoveryRoute).values(status=DiscoveryStatus.ACKNOWLEDGED))
    with session_scope(engine) as session:
        due = _claim(session, found, days=3, zone=BERLIN, now=later)

    assert len(found) == 1 and due == []
    assert nudges(emulator, ts) == []
