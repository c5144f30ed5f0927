"""In the demo, /digest sends this week's digests so far and shows them as Slack would."""

from __future__ import annotations

import io
import re
import shutil
import tempfile
from pathlib import Path

from bot.cli.demo import run_demo
from tests.e2e.conftest import e2e_settings
from tests.e2e.test_route_as_data import ROUTE, prompts_with

DISCOVERY = [
    "hi",
    "Globex",
    "Onboard a store in a day",
    "A consultant must be on site for two weeks",
]
DISCOVERY += ["not yet", "skip", "skip", "skip", "/click Submit"]  # value, who cares, evidence


def posted(shown: str, channel: str, starting: str = "") -> int:
    """Where the first top-level post of the bot in `channel` starting so was printed."""
    heading = rf"── {channel} · Value Scout  \[m\d+\]\n   {re.escape(starting)}"
    return re.search(heading, shown).start()


def test_digest_shows_each_channels_digest_its_thread_and_the_chart(
    emulator, database_url, tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)  # nothing the demo makes may land in the current directory
    lines = [*DISCOVERY, "/as dana", "/digest product", "/digest coach", "/digest weekly", "/quit"]
    out = io.StringIO()

    run_demo(e2e_settings(emulator, database_url), lines=iter(lines), out=out)

    shown = out.getvalue()
    product = shown[posted(shown, "#product", ":bar_chart:") :]
    assert "Globex" in product and "#product · Value Scout (in thread)" in product
    coach = shown[posted(shown, "#enablement-coaches") :]
    assert "[image: " in coach
    assert not list(tmp_path.glob("*.png"))
    [saved] = re.findall(r"is also saved as (\S+\.png)", coach)
    chart = Path(saved)
    assert chart.parent.name.startswith("valuescout-demo-")
    assert chart.parent.parent == Path(tempfile.gettempdir())
    assert chart.read_bytes().startswith(b"\x89PNG")
    shutil.rmtree(chart.parent)
    assert "no digest 'weekly'; try sales, marketing, product, coach, scout" in shown


def test_a_route_added_in_a_copy_of_prompts_gets_a_channel_and_a_digest_in_the_demo(
    emulator, database_url, tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    copy = prompts_with(tmp_path, ROUTE.replace("{who_cares: [end_user]}", "{fit: [not_yet]}"))
    lines = [*DISCOVERY, "/digest success", "/channels", "/quit"]
    out = io.StringIO()

    settings = e2e_settings(emulator, database_url, VALUESCOUT_PROMPTS_DIR=str(copy))
    run_demo(settings, lines=iter(lines), out=out)

    shown = out.getvalue()
    digest = shown[posted(shown, "#success", ":bar_chart: *Customer success digest") :]
    assert "Globex" in digest
    assert "#success: 3 messages" in shown  # the card, the digest and its thread


def test_a_scout_turns_the_weekly_dm_off_in_the_demo(emulator, database_url, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    lines = [*DISCOVERY, "/digest scout", "/click Stop these weekly DMs", "/quit"]
    out = io.StringIO()

    run_demo(e2e_settings(emulator, database_url), lines=iter(lines), out=out)

    assert "You won't get these weekly DMs any more." in out.getvalue()


def test_sample_history_gives_the_coach_digest_a_quarter_to_show(
    emulator, database_url, tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    lines = ["/sample", "/sample", "/digest coach", "/as sally", "/home", "/quit"]
    out = io.StringIO()

    run_demo(e2e_settings(emulator, database_url), lines=iter(lines), out=out, files=tmp_path)

    assert len(list(tmp_path.glob("*.png"))) == 1  # the folder it was given
    shown = out.getvalue()
    assert "sample discoveries over 12 weeks" in shown and "already added" in shown
    coach = shown[posted(shown, "#enablement-coaches") :]
    weeks = [line for line in coach.splitlines() if line.strip().startswith("2026-W")]
    assert len(weeks) == 12 and sum(int(line.split()[-1]) for line in weeks) > 40
    assert "*Closing the loop*" in coach and "*Participation:*" in coach
    # the sample names who cares and a compelling event in part, as scouts do: not none
    assert " 0% with a compelling event" not in coach and "compelling event" in coach
    assert "*Decline reasons* this week" in coach  # some were declined lately, with reasons
    assert "App Home · Value Scout" in shown and "Sample history" not in shown
