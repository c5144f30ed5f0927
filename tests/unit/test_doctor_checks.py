"""The doctor's lines: how each reads, and the checks that need no Slack and no database."""

from datetime import timedelta

import pytest

from bot.bootstrap import load_settings
from bot.doctor.checks import Check, ago
from bot.doctor.slack import mode_check, scope_check
from bot.manifest import BOT_SCOPES


@pytest.mark.parametrize(
    ("span", "said"),
    [
        (timedelta(seconds=40), "40 s"),
        (timedelta(minutes=1, seconds=5), "1 min"),
        (timedelta(minutes=20), "20 min"),
        (timedelta(hours=3, minutes=59), "3 h"),
        (timedelta(days=1, hours=2), "26 h"),
        (timedelta(days=5), "5 days"),
        (timedelta(seconds=-3), "0 s"),  # a clock a little ahead of the database's
    ],
)
def test_a_span_reads_as_a_person_says_it(span, said):
    assert ago(span) == said


def test_a_line_says_the_fix_only_when_something_is_wrong():
    assert Check("Database", True, "reachable", "never shown").line() == "✓ Database: reachable"
    assert Check("Database", False, "down", "start it").line() == "✗ Database: down — fix: start it"


def test_scopes_slack_did_not_name_are_not_taken_as_granted():
    assert not scope_check(None).ok
    assert scope_check(frozenset(BOT_SCOPES) | {"users:read"}).ok  # more is not wrong here
    assert scope_check(frozenset(BOT_SCOPES) - {"chat:write"}).says == "not granted: chat:write"


def test_a_partial_set_up_is_the_mode_checks_failure(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    for name in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SLACK_APP_TOKEN", "xapp-1")
    check = mode_check(load_settings())
    assert not check.ok and "SLACK_BOT_TOKEN missing" in check.says
