"""`valuescout digest preview|send`: read in the terminal, sent to Slack once unless forced."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.digests.schedule import last_complete_week
from bot.discoveries.service import submit_discovery
from bot.emulator import SEED, SlackEmulator
from storage.engine import session_scope
from storage.enums import DiscoverySource
from storage.queries import route_channels
from storage.types import utc_now

BERLIN = ZoneInfo("Europe/Berlin")
IN_W46 = datetime(2026, 11, 11, 10, 0, tzinfo=BERLIN)  # Wednesday of 2026-W46


@pytest.fixture
def cli(valuescout):
    """Run `valuescout digest …` in this process, on the test database and the emulator."""
    return lambda *args: valuescout("digest", *args)


def log_discovery(engine, account: str = "Globex") -> None:
    with session_scope(engine) as session:
        submit_discovery(
            session=session, source_key=f"cli:{account}", team_id=SEED.team_id,
            scout_user_id=SEED.scout, source=DiscoverySource.DM,
            answers={"account": account, "outcome": "Close the books in two days",
                     "gap": "Manual reconciliation", "fit": "not_yet"},
            routes=[("sales", "budget this quarter")], themes=[],
            route_channels=route_channels(session=session), now=IN_W46,
        )  # fmt: skip


def parents(emulator: SlackEmulator) -> list[dict]:
    """The bot's top-level posts in #sales (a parent's thread_ts is its own ts)."""
    return [
        m for m in emulator.messages(SEED.sales)
        if m.get("user") == SEED.bot_user_id and m.get("thread_ts", m["ts"]) == m["ts"]
    ]  # fmt: skip


def test_preview_prints_each_digest_and_writes_the_chart(cli, engine, capsys, tmp_path):
    log_discovery(engine)

    assert cli("preview", "--week", "2026-W46", "--chart-file", "trend.png") == 0

    out = capsys.readouterr().out
    assert "══ route:sales · #sales · 2026-W46" in out and "Globex" in out
    assert "══ coach · #coach · 2026-W46" in out
    assert "trend.png" in out
    assert (tmp_path / "trend.png").read_bytes().startswith(b"\x89PNG")


def test_preview_of_one_digest_defaults_to_the_last_complete_week(cli, capsys):
    assert cli("preview", "--route", "product") == 0

    out = capsys.readouterr().out
    week = last_complete_week(utc_now(), BERLIN)
    assert out.startswith(f"══ route:product · #product · {week}")
    assert "route:sales" not in out and "coach" not in out


def test_a_route_that_does_not_exist_is_one_clear_line_and_exit_2(cli, capsys):
    assert cli("preview", "--route", "legal") == 2

    err = capsys.readouterr().err
    assert err == (
        "valuescout: --route: 'legal' is not a digest; expected one of sales, marketing, "
        "product, coach, scout\n"
    )


@pytest.mark.parametrize("week", ["2026-W99", "last week", "2026-47"])
def test_a_bad_week_is_one_clear_line_and_exit_2(cli, capsys, week):
    assert cli("preview", "--week", week) == 2

    err = capsys.readouterr().err
    assert err.startswith("valuescout: --week: ") and err.count("\n") == 1


def test_send_sends_once_and_force_sends_again(cli, engine, emulator, capsys):
    log_discovery(engine)

    assert cli("send", "--route", "sales", "--week", "2026-W46") == 0
    assert "route:sales → C0SALES (2026-W46): sent" in capsys.readouterr().out
    assert cli("send", "--route", "sales", "--week", "2026-W46") == 0
    assert "already sent" in capsys.readouterr().out
    assert len(parents(emulator)) == 1

    assert cli("send", "--route", "sales", "--week", "2026-W46", "--force") == 0

    assert ": sent" in capsys.readouterr().out
    assert len(parents(emulator)) == 2
