"""The commands as a person runs them: real processes, real ports, real signals."""

import io
import json
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from sqlmodel import select

from bot.cli.demo import run_demo
from bot.emulator import SEED, SlackDriver
from bot.rendering.ids import Command
from storage.engine import create_engine_for, read_scope
from storage.models import SchedulerHeartbeat
from tests.e2e.commands import VALUESCOUT, clean_environment, free_port, run
from tests.e2e.conftest import SIGNING_SECRET, e2e_settings

ROOT = Path(__file__).resolve().parents[2]


def environment(emulator, database_url: str, **extra: str) -> dict[str, str]:
    env = clean_environment()
    env |= {
        "SLACK_BOT_TOKEN": SEED.bot_token,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": emulator.api_url,
        "DATABASE_URL": database_url,
        "VALUESCOUT_TIMEZONE": "Europe/Berlin",
    }
    return env | extra


def start(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [*VALUESCOUT, *args],
        env=env,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def wait_for_health(port: int, process: subprocess.Popen, timeout: float = 30) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the process ended early:\n{process.stdout.read()}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as response:
                return json.loads(response.read())
        except OSError:
            time.sleep(0.2)
    pytest.fail("the web process never became healthy")


def stop(process: subprocess.Popen) -> str:
    process.send_signal(signal.SIGTERM)
    output, _ = process.communicate(timeout=30)
    return output


def test_web_serves_slack_under_gunicorn_with_two_workers(emulator, database_url, tmp_path):
    port = free_port()
    env = environment(emulator, database_url, PORT=str(port))
    web = start(["web", "--host", "127.0.0.1", "--workers", "2"], env, tmp_path)
    try:
        assert wait_for_health(port, web)["database"] == "reachable"
        emulator.reset_calls()
        driver = SlackDriver(
            f"http://127.0.0.1:{port}/slack/events", SIGNING_SECRET, emulator=emulator
        )
        assert driver.url_verification("challenge-1").json == {"challenge": "challenge-1"}
        command = driver.command(Command.SCOUT.value, "help", user=SEED.scout)
        assert command.status == 200 and command.json["response_type"] == "ephemeral"
        # Answered in the HTTP response: no Web API call at all (a worker still booting may
        # call auth.test; that is start-up, not this request).
        assert [c.method for c in emulator.calls if c.method != "auth.test"] == []
        unsigned = driver.raw(
            "command=%2Fscout", {"Content-Type": "application/x-www-form-urlencoded"}
        )
        assert unsigned.status == 401
        # Each worker runs the scheduler (no clock needed) and says so with a heartbeat.
        assert heartbeats(database_url) == {"web": 2}
    finally:
        output = stop(web)
    assert web.returncode == 0, output
    assert SEED.bot_token not in output and SIGNING_SECRET not in output


def heartbeats(database_url: str) -> dict[str, int]:
    """How many processes of each kind ran the scheduler (a worker may still be starting)."""
    engine = create_engine_for(database_url)
    deadline, counts = time.monotonic() + 20, {}
    try:
        while time.monotonic() < deadline and counts.get("web", 0) < 2:
            with read_scope(engine) as session:
                kinds = session.exec(select(SchedulerHeartbeat.kind)).all()
            counts = {kind: kinds.count(kind) for kind in kinds}
            time.sleep(0.2)
    finally:
        engine.dispose()
    return counts


def test_clock_runs_in_the_workspace_time_zone_and_stops_cleanly_on_sigterm(
    emulator, database_url, tmp_path
):
    clock = start(["clock"], environment(emulator, database_url), tmp_path)
    deadline = time.monotonic() + 30
    lines = []
    while time.monotonic() < deadline and not any("clock started" in line for line in lines):
        lines.append(clock.stdout.readline())
    output = "".join(lines) + stop(clock)
    assert "time zone Europe/Berlin" in output and "mon 09:00" in output
    assert "clock stopped" in output and clock.returncode == 0


def test_an_unreachable_database_is_one_clear_line_without_the_password(tmp_path):
    url = f"postgresql+psycopg://scout:hunter2@127.0.0.1:{free_port()}/nope"
    result = run(["db", "upgrade"], clean_environment(DATABASE_URL=url), tmp_path)
    assert result.returncode == 2
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line.startswith("valuescout: ") and "is unavailable" in last_line
    assert "Traceback" not in result.stderr and "hunter2" not in result.stderr


def test_db_upgrade_migrates_a_new_database_and_is_idempotent(tmp_path):
    env = clean_environment(DATABASE_URL=f"sqlite:///{tmp_path}/fresh.db")
    for _ in range(2):
        result = run(["db", "upgrade"], env, tmp_path)
        assert result.returncode == 0, result.stderr
        assert "up to date" in result.stdout


def test_manifest_prints_the_checked_in_manifest(tmp_path):
    result = run(["manifest"], clean_environment(), tmp_path)
    assert result.stdout == (ROOT / "manifest.yaml").read_text()


def test_the_demo_lets_a_person_talk_to_the_bot(emulator, database_url):
    out = io.StringIO()
    settings = e2e_settings(emulator, database_url)
    lines = ["hello bot", "/scout help", "/home", "/as dana", "/channels", "/quit", "never read"]
    assert run_demo(settings, lines=iter(lines), out=out) == 0
    shown = out.getvalue()
    assert "── direct message · Value Scout" in shown and "Let's log a value gap" in shown
    assert "Which customer is this about?" in shown
    assert "only visible to you" in shown and "/scout help" in shown
    assert "App Home · Value Scout" in shown
    assert "you are now Dana Product" in shown and "#product: 0 messages" in shown


def test_a_bot_token_slack_refuses_is_one_clear_line(emulator, tmp_path):
    # Slack is asked before the database is opened: one backend is enough.
    database_url = f"sqlite:///{tmp_path}/v.db"
    env = environment(emulator, database_url, SLACK_BOT_TOKEN="xoxb-not-a-real-token")
    result = run(["web"], env, tmp_path)
    assert result.returncode == 2
    assert "SLACK_BOT_TOKEN was refused by Slack (invalid_auth)" in result.stderr
    assert "Traceback" not in result.stderr and "xoxb-not-a-real-token" not in result.stderr


def test_the_worker_explains_a_refused_socket_mode_connection(emulator, tmp_path):
    # What is under test is the message, not the database: one backend is enough.
    database_url = f"sqlite:///{tmp_path}/v.db"
    env = environment(emulator, database_url, SLACK_APP_TOKEN="xapp-1-not-valid")
    result = run(["worker"], env, tmp_path)
    assert result.returncode == 2
    assert "SLACK_APP_TOKEN was refused by Slack" in result.stderr.strip().splitlines()[-1]
    assert "Traceback" not in result.stderr and "xapp-1-not-valid" not in result.stderr


def test_in_the_demo_dana_acknowledges_then_actions_a_card_and_the_scout_hears_both(
    emulator, database_url
):
    out = io.StringIO()
    lines = [
        "hi",
        "Globex",
        "Onboard a store in a day",
        "A consultant must be on site for two weeks",
        "not yet",
        "skip",  # the value
        "skip",  # who cares
        "skip",  # the evidence
    ]
    lines += ["/click Submit", "/as dana", "/click Acknowledge", "/click Actioned"]
    lines += ["/set 9 nothing", "/set 1 road", "/submit", "/set 2 On the Q3 roadmap", "/submit"]
    run_demo(e2e_settings(emulator, database_url), lines=iter([*lines, "/quit"]), out=out)
    shown = out.getvalue()
    assert "#product · Value Scout (edited)" in shown and "@Dana Product is on it." in shown
    assert "Picked up by @Dana Product in #product." in shown
    assert "── a form opened: Actioned" in shown and "1. What came of it: Opportunity" in shown
    assert "can't set that: fields are 1 to 4" in shown
    # The note was empty at the first /submit: the Slack client refuses it, as it does a
    # required input, and sends nothing.
    assert "2. What happened? The scout will read this.: Please fill out this field." in shown
    assert "*Actioned* by @Dana Product: Roadmap item — On the Q3 roadmap" in shown  # the card
    assert (
        "Actioned by @Dana Product in #product: Roadmap item — On the Q3"
        in shown.split("(in thread)")[-1]
    )  # and the scout's thread, naming the team


def test_in_the_demo_a_form_shows_its_current_values_and_closes(emulator, database_url):
    out = io.StringIO()
    lines = ["/as alex", "/scout config", "/close", "/submit", "/quit"]
    run_demo(e2e_settings(emulator, database_url), lines=iter(lines), out=out)
    shown = out.getvalue()
    assert "── a form opened: Value Scout settings" in shown
    assert "5. Weekly digests at: text (now: mon 09:00)" in shown
    assert "(form closed)" in shown and "no form is open" in shown
