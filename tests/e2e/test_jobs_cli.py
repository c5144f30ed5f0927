"""`valuescout jobs run --at TIME`: what is due at a moved moment happens then, and only once."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.cli.runtime import TRIGGERS
from bot.config import TIMEZONE
from bot.dialogue.sessions import begin_dialogue
from bot.emulator import SEED, SlackEmulator
from bot.jobs import JOBS
from storage.engine import session_scope
from storage.queries import set_setting
from tests.e2e.test_digests import log_discovery

BERLIN = ZoneInfo("Europe/Berlin")
MONDAY = datetime(2026, 11, 2, 10, 0, tzinfo=BERLIN)  # 2026-W45


@pytest.fixture
def jobs(valuescout, capsys):
    """`valuescout jobs run --at AT`: (exit code, the lines it printed after the first)."""

    def run(at: str) -> tuple[int, dict[str, str]]:
        code = valuescout("jobs", "run", "--at", at)
        lines = capsys.readouterr().out.splitlines()
        return code, dict(line.split(": ", 1) for line in lines[1:])

    return run


def start_work_on_monday(engine) -> None:
    """Sam starts a dialogue about Initech and logs a discovery about Globex for sales, at 10:00."""
    with session_scope(engine) as session:
        begin_dialogue(
            session=session, team_id=SEED.team_id, user_id=SEED.scout, channel_id=None,
            step="outcome", answers={"account": "Initech"}, now=MONDAY,
        )  # fmt: skip
    log_discovery(engine, at=MONDAY)


def said(emulator: SlackEmulator, channel: str, words: str) -> int:
    """How many of the bot's messages in a channel (or a DM, by user id) contain `words`."""
    channel = emulator.dm_channel_for(channel) if channel.startswith("U") else channel
    return sum(words in m.get("text", "") for m in emulator.messages(channel))


def digests(emulator: SlackEmulator, channel: str, week: str = "2–8 Nov 2026") -> int:
    """The digests of a week posted in a channel (their first message; the rest is threaded)."""
    posts = emulator.messages(channel)
    return sum(week in m.get("text", "") and m.get("thread_ts", m["ts"]) == m["ts"] for m in posts)


def test_each_job_happens_at_its_moved_time_and_never_twice(jobs, engine, emulator):
    start_work_on_monday(engine)

    code, did = jobs("2026-11-02T10:30")  # no offset: Berlin, like the workspace
    assert code == 0
    assert did == {
        "idle_dialogues": "0 reminded, 0 kept as drafts", "open_loops": "0 nudged",
        "event_radar": "0 reminded", "follow_ups": "0 asked", "digests": "none due",
        "delivery": "2 posted, 0 still queued",
    }  # fmt: skip
    assert said(emulator, SEED.sales, "Globex") == 1  # the card, delivered by the command

    assert jobs("2026-11-02T11:05")[1]["idle_dialogues"] == "1 reminded, 0 kept as drafts"
    assert jobs("2026-11-02T10:05:00Z")[1]["idle_dialogues"] == "0 reminded, 0 kept as drafts"
    assert said(emulator, SEED.scout, "Still there?") == 1 and said(emulator, SEED.scout, "Initech")

    assert jobs("2026-11-03T10:05")[1]["idle_dialogues"] == "0 reminded, 1 kept as drafts"
    assert said(emulator, SEED.scout, "as a draft") == 1

    assert jobs("2026-11-05T09:55")[1]["open_loops"] == "0 nudged"  # 3 working days at 10:00
    assert jobs("2026-11-05T10:05")[1]["open_loops"] == "1 nudged"
    assert said(emulator, SEED.sales, ":wave:") == 1

    assert jobs("2026-11-09T08:55")[1]["digests"] == "none due"  # Monday 09:00 in Berlin
    code, did = jobs("2026-11-09T09:05")
    assert code == 0 and did["digests"] == "4 sent"  # sales, product, coach and Sam's
    assert digests(emulator, SEED.sales) == 1

    code, did = jobs("2026-11-09T09:10")
    assert did == {
        "idle_dialogues": "0 reminded, 0 kept as drafts", "open_loops": "0 nudged",
        "event_radar": "0 reminded", "follow_ups": "0 asked", "digests": "none due",
        "delivery": "0 posted, 0 still queued",
    }  # fmt: skip
    assert said(emulator, SEED.scout, "Still there?") == 1
    assert said(emulator, SEED.sales, ":wave:") == 1
    assert digests(emulator, SEED.sales) == 1


def test_a_time_without_an_offset_is_read_in_the_zone_the_admin_chose(
    valuescout, capsys, engine, emulator
):
    """The admin moved the workspace to Los Angeles: 08:55 there (17:55 in Berlin, past
    Berlin's 09:00) owes no digest yet; 09:05 there does, and the first line says where."""
    with session_scope(engine) as session:
        set_setting(session=session, key=TIMEZONE, value="America/Los_Angeles", changed_by="U0ADMIN")
    log_discovery(engine, at=MONDAY)  # Monday 01:00 in Los Angeles: the same week
    assert valuescout("jobs", "run", "--at", "2026-11-05T12:00") == 0  # digests start here

    for at, expected in (("2026-11-09T08:55", "none due"), ("2026-11-09T09:05", "4 sent")):
        capsys.readouterr()
        assert valuescout("jobs", "run", "--at", at) == 0
        first, *rest = capsys.readouterr().out.splitlines()
        assert first == f"jobs due at {at}:00-08:00 (America/Los_Angeles)"
        assert dict(line.split(": ", 1) for line in rest)["digests"] == expected
    assert digests(emulator, SEED.sales) == 1


def test_export_and_digest_preview_read_dates_on_the_clock_the_admin_chose(
    valuescout, capsys, engine
):
    """Sunday 1 Nov 23:30 in Berlin is Monday 2 Nov 12:30 at UTC+14 (Kiritimati), the zone
    the admin chose: a Monday there, in week 45 there."""
    with session_scope(engine) as session:
        set_setting(session=session, key=TIMEZONE, value="Pacific/Kiritimati", changed_by="U0ADMIN")
    log_discovery(engine, at=datetime(2026, 11, 1, 23, 30, tzinfo=BERLIN))

    capsys.readouterr()
    assert valuescout("export", "--format", "jsonl", "--since", "2026-11-02") == 0
    assert '"account":"Globex"' in capsys.readouterr().out
    assert valuescout("digest", "preview", "--week", "2026-W45", "--route", "sales") == 0
    assert "Globex" in capsys.readouterr().out


@pytest.mark.parametrize("at", ["tomorrow", "2026-11-31T09:00", "09:00"])
def test_a_bad_time_is_one_clear_line_and_exit_2(valuescout, capsys, at):
    assert valuescout("jobs", "run", "--at", at) == 2

    err = capsys.readouterr().err
    assert err.startswith(f"valuescout: --at {at!r} is not an ISO 8601") and err.count("\n") == 1


def test_without_at_the_jobs_run_now_and_say_when(valuescout, capsys):
    assert valuescout("jobs", "run") == 0

    first, *rest = capsys.readouterr().out.splitlines()
    assert first.startswith("jobs due at ") and first.endswith("(Europe/Berlin)")
    assert [line.split(":")[0] for line in rest] == [*(job.name for job in JOBS), "delivery"]


def test_the_scheduler_fires_every_registered_job():
    assert set(TRIGGERS) == {job.name for job in JOBS}
