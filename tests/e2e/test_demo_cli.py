"""`valuescout demo` as a person runs it: its own database, a fresh start on request."""

import sqlite3

from tests.e2e.commands import clean_environment, one_line_refusal, run


def test_the_demo_never_touches_the_database_url_and_reset_starts_it_afresh(tmp_path):
    production = tmp_path / "production.db"
    sqlite3.connect(production).close()  # a real workspace's database, empty here
    env = clean_environment(DATABASE_URL=f"sqlite:///{production}")

    first = run(["demo"], env, tmp_path, stdin="/sample\n/quit\n")
    again = run(["demo"], env, tmp_path, stdin="/sample\n/quit\n")
    fresh = run(["demo", "--reset"], env, tmp_path, stdin="/sample\n/quit\n")

    assert "sample discoveries over 12 weeks" in first.stdout
    assert "already added" in again.stdout
    assert f"starting afresh: removed {tmp_path / 'valuescout-demo.db'}" in fresh.stdout
    assert "sample discoveries over 12 weeks" in fresh.stdout
    assert production.stat().st_size == 0  # never opened for writing: no tables, no rows
    assert (tmp_path / "valuescout-demo.db").exists()


def test_start_with_no_slack_secret_runs_the_demo_on_its_own_database(tmp_path):
    env = clean_environment(DATABASE_URL=f"sqlite:///{tmp_path}/production.db")
    result = run(["start"], env, tmp_path, stdin="hello\n/quit\n")
    assert result.returncode == 0, result.stderr
    assert "starting the demo" in result.stdout and "Which customer" in result.stdout
    assert (tmp_path / "valuescout-demo.db").exists() and not (tmp_path / "production.db").exists()


def test_the_demo_runs_on_a_database_it_is_given(tmp_path):
    chosen = tmp_path / "mine.db"
    result = run(
        ["demo", "--database", f"sqlite:///{chosen}"], clean_environment(), tmp_path, "/quit\n"
    )
    assert result.returncode == 0, result.stderr
    assert chosen.exists() and not (tmp_path / "valuescout-demo.db").exists()


def test_reset_refuses_to_drop_a_server_database(tmp_path):
    url = "postgresql://scout:hunter2@db.example.com/valuescout"
    line = one_line_refusal(
        run(["demo", "--reset", "--database", url], clean_environment(), tmp_path)
    )
    assert "--reset removes only an SQLite file" in line and "hunter2" not in line


def test_the_admins_home_in_the_demo_finds_the_scheduler_alive(tmp_path):
    """The demo runs the scheduled jobs itself: its set-up checks must not send an admin to fix
    a scheduler that is there."""
    result = run(["demo"], clean_environment(), tmp_path, stdin="/as alex\n/home\n/quit\n")
    assert result.returncode == 0, result.stderr
    assert "✓ Scheduler: alive" in result.stdout
    assert "✗" not in result.stdout
