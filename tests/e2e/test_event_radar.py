"""The compelling-event radar through `valuescout jobs run --at`: an event 20 days out whose
sales card is not actioned reaches the account owner once (or #sales when there is none),
with the card's link; not at a weekend or a public holiday; not once sales acted."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from bot.config import HOLIDAYS
from bot.discoveries.service import submit_discovery
from bot.emulator import SEED
from storage.engine import session_scope
from storage.enums import DiscoverySource, DiscoveryStatus
from storage.models import Account, Discovery
from storage.queries import route_channels, set_setting

BERLIN = ZoneInfo("Europe/Berlin")
MONDAY = datetime(2026, 11, 2, 10, 0, tzinfo=BERLIN)


@pytest.fixture
def jobs(valuescout, capsys):
    """`valuescout jobs run --at AT`: what each job said it did."""

    def run(at: str) -> dict[str, str]:
        assert valuescout("jobs", "run", "--at", at) == 0
        lines = capsys.readouterr().out.splitlines()
        return dict(line.split(": ", 1) for line in lines[1:])

    return run


def log_with_event(engine, *, account: str, days_out: int, key: str = "radar-e2e") -> None:
    """A discovery for sales at `account`, logged Monday, its event `days_out` days later."""
    event = (MONDAY + timedelta(days=days_out)).date().isoformat()
    with session_scope(engine) as session:
        submit_discovery(
            session=session, source_key=key, team_id=SEED.team_id, scout_user_id=SEED.scout,
            source=DiscoverySource.DM, routes=[("sales", "a compelling event")], themes=[],
            answers={"account": account, "outcome": "Close the books in two days",
                     "gap": "Manual reconciliation", "fit": "yes",
                     "event": {"date": event, "pressure": "the board decides the budget"}},
            route_channels=route_channels(session=session), now=MONDAY,
        )  # fmt: skip


def acme_owned_by_sally(engine) -> None:
    with session_scope(engine) as session:
        session.add(Account(team_id=SEED.team_id, name="Acme Corporation", owner_user_id=SEED.sally))


def radar_posts(emulator, channel: str) -> list[dict]:
    channel = emulator.dm_channel_for(channel) if channel.startswith("U") else channel
    return [m for m in emulator.messages(channel) if "compelling event at" in m.get("text", "")]


def test_an_event_20_days_out_reaches_the_owner_once_with_the_card_link(jobs, engine, emulator):
    acme_owned_by_sally(engine)
    log_with_event(engine, account="acme corp", days_out=20)
    assert jobs("2026-11-02T10:30")["event_radar"] == "1 reminded"  # delivered after the card
    [reminder] = radar_posts(emulator, SEED.sally)
    assert "*Acme Corporation*" in reminder["text"] and "in 20 days" in reminder["text"]
    assert f"<#{SEED.sales}>" in reminder["text"] and "see the card" in reminder["text"]
    assert jobs("2026-11-03T11:30")["event_radar"] == "0 reminded"
    assert len(radar_posts(emulator, SEED.sally)) == 1 and radar_posts(emulator, SEED.sales) == []


def test_without_an_owner_the_sales_channel_hears(jobs, engine, emulator):
    log_with_event(engine, account="Initech", days_out=10)
    assert jobs("2026-11-02T10:30")["event_radar"] == "1 reminded"
    assert len(radar_posts(emulator, SEED.sales)) == 1


def test_far_events_and_actioned_ones_are_left_alone(jobs, engine, emulator):
    log_with_event(engine, account="Initech", days_out=45, key="far")
    log_with_event(engine, account="Globex", days_out=5, key="done")
    with session_scope(engine) as session:
        done = session.exec(select(Discovery).where(Discovery.source_key == "done")).one()
        done.status = DiscoveryStatus.ACTIONED
    assert jobs("2026-11-02T10:30")["event_radar"] == "0 reminded"
    assert jobs("2026-11-18T11:30")["event_radar"] == "1 reminded"  # now 29 days out


def test_nothing_is_sent_on_a_public_holiday_with_holidays_de(jobs, engine, emulator, monkeypatch):
    monkeypatch.setenv("VALUESCOUT_HOLIDAYS", "DE")
    log_with_event(engine, account="Initech", days_out=60)
    jobs("2026-11-02T10:30")
    assert jobs("2026-12-25T10:00")["event_radar"] == "0 reminded"  # Christmas Day, a Friday
    assert jobs("2026-12-28T10:00")["event_radar"] == "1 reminded"  # the next working day


def test_holidays_an_admin_chose_in_slack_are_the_workspaces_own(jobs, engine, emulator):
    """VALUESCOUT_HOLIDAYS unset, the admin chose DE in the settings: Christmas is off."""
    with session_scope(engine) as session:
        set_setting(session=session, key=HOLIDAYS, value="DE", changed_by=SEED.admin)
    log_with_event(engine, account="Initech", days_out=60)
    jobs("2026-11-02T10:30")
    assert jobs("2026-12-25T10:00")["event_radar"] == "0 reminded"  # Christmas Day, a Friday
    assert jobs("2026-12-28T10:00")["event_radar"] == "1 reminded"  # the next working day


def test_the_sales_digest_lists_the_events_of_the_next_30_days(jobs, engine, emulator):
    acme_owned_by_sally(engine)
    log_with_event(engine, account="acme corp", days_out=20)  # Sunday 22 November
    log_with_event(engine, account="Initech", days_out=45, key="far")  # 17 December: too far
    jobs("2026-11-02T10:30")
    assert jobs("2026-11-09T09:05")["digests"] != "none due"
    posts = [str(m["blocks"]) for m in emulator.messages(SEED.sales)]
    listed = [text for text in posts if "Compelling events in the next 30 days" in text]
    assert (
        len(listed) == 1 and "*Acme Corporation*" in listed[0] and "not acted on yet" in listed[0]
    )
    assert "Initech" not in listed[0]
    product = [str(m) for m in emulator.messages(SEED.product)]
    assert not any("Compelling events" in text for text in product)
