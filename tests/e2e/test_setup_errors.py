"""Set-up mistakes as a new admin makes them: each is one line that says what to do, exit 2."""

import pytest

from tests.e2e.commands import (
    clean_environment,
    free_port,
    one_line_refusal,
    refused_in_process,
    run,
)

pytestmark = pytest.mark.sqlite_only  # how the app answers, not what storage does

SECRETS = {"bot": "xoxb-1-secret-bot", "app": "xapp-1-secret-app", "signing": "s3cret-signing"}
NAMES = {"SLACK_BOT_TOKEN": "bot", "SLACK_APP_TOKEN": "app", "SLACK_SIGNING_SECRET": "signing"}
PARTLY = "Slack is set up only in part"
MODES = "Socket Mode needs SLACK_BOT_TOKEN and SLACK_APP_TOKEN; HTTP mode needs SLACK_BOT_TOKEN"


@pytest.mark.parametrize(
    ("given", "says"),
    [
        ({"SLACK_BOT_TOKEN": SECRETS["bot"]}, "SLACK_APP_TOKEN or SLACK_SIGNING_SECRET missing"),
        ({"SLACK_SIGNING_SECRET": SECRETS["signing"]}, "SLACK_SIGNING_SECRET set, SLACK_BOT_TOKEN"),
        ({"SLACK_APP_TOKEN": SECRETS["app"]}, "SLACK_APP_TOKEN set, SLACK_BOT_TOKEN missing"),
        (
            {"SLACK_APP_TOKEN": SECRETS["app"], "SLACK_SIGNING_SECRET": SECRETS["signing"]},
            "SLACK_SIGNING_SECRET and SLACK_APP_TOKEN set, SLACK_BOT_TOKEN missing",
        ),
    ],
)
def test_a_partial_slack_set_up_names_what_is_missing_and_what_each_mode_needs(
    tmp_path, given, says
):
    result = run(["start"], clean_environment(**given), tmp_path, stdin="/quit\n")
    line = one_line_refusal(result)
    assert PARTLY in line and says in line and MODES in line
    assert not any(secret in result.stderr + result.stdout for secret in SECRETS.values())
    assert not list(tmp_path.iterdir())  # no demo started, no database made


@pytest.mark.parametrize(
    ("variable", "value", "says"),
    [
        (
            "DATABASE_URL",
            "postgresql://scout:hunter2@db:five/vs",
            "DATABASE_URL is not a database URL",
        ),
        ("DATABASE_URL", "mysql://scout:hunter2@db/vs", "DATABASE_URL names the database 'mysql'"),
        (
            "DATABASE_URL",
            "postgresql+psycopg2://scout:hunter2@db/vs",
            "names the driver 'psycopg2'",
        ),
        ("VALUESCOUT_TIMEZONE", "Europe/Atlantis", "'Europe/Atlantis' is not an IANA time zone"),
        ("VALUESCOUT_HOLIDAYS", "Narnia", "VALUESCOUT_HOLIDAYS 'Narnia' is not a country code"),
        ("VALUESCOUT_DIGEST_SCHEDULE", "monday at nine", "VALUESCOUT_DIGEST_SCHEDULE 'monday at"),
        (
            "VALUESCOUT_SALES_CHANNEL",
            "#sales",
            "VALUESCOUT_SALES_CHANNEL is not a Slack channel id",
        ),
        ("VALUESCOUT_COACH_CHANNEL", "U0ADMIN", "VALUESCOUT_COACH_CHANNEL is not a Slack channel"),
        ("VALUESCOUT_ADMINS", "alex", "VALUESCOUT_ADMINS has alex, which is not a Slack user id"),
        ("VALUESCOUT_SCHEDULER", "sometimes", "VALUESCOUT_SCHEDULER 'sometimes' is neither on"),
        ("PORT", "http", "PORT should be a valid integer"),
        ("WEB_CONCURRENCY", "0", "WEB_CONCURRENCY should be greater than or equal to 1"),
        ("LOG_LEVEL", "loud", "LOG_LEVEL 'loud' is not one of DEBUG, INFO, WARNING, ERROR"),
    ],
)
@pytest.mark.parametrize("command", [["start"], ["doctor"], ["db", "backup", "b.db"]])
def test_a_malformed_setting_is_one_line_naming_it(
    tmp_path, monkeypatch, capsys, command, variable, value, says
):
    env = clean_environment(SLACK_BOT_TOKEN=SECRETS["bot"], SLACK_APP_TOKEN=SECRETS["app"])
    line = refused_in_process(command, env | {variable: value}, tmp_path, monkeypatch, capsys)
    assert says in line and "hunter2" not in line and SECRETS["bot"] not in line


@pytest.mark.parametrize(
    ("command", "variable", "value", "says"),
    [
        (["start"], "VALUESCOUT_TIMEZONE", "Europe/Atlantis", "is not an IANA time zone"),
        (["doctor"], "DATABASE_URL", "mysql://scout:hunter2@db/vs", "names the database 'mysql'"),
        (["db", "backup", "b.db"], "PORT", "http", "PORT should be a valid integer"),
    ],
)
def test_a_malformed_setting_stops_the_real_process_with_one_line(
    tmp_path, command, variable, value, says
):
    env = clean_environment(SLACK_BOT_TOKEN=SECRETS["bot"], SLACK_APP_TOKEN=SECRETS["app"])
    result = run(command, env | {variable: value}, tmp_path)
    assert says in one_line_refusal(result)
    assert "hunter2" not in result.stderr and SECRETS["bot"] not in result.stderr


@pytest.mark.parametrize(
    ("command", "missing"),
    [("web", "SLACK_SIGNING_SECRET"), ("worker", "SLACK_APP_TOKEN"), ("clock", "SLACK_BOT_TOKEN")],
)
def test_a_process_started_without_its_secret_names_it(tmp_path, command, missing):
    env = clean_environment(**{name: SECRETS[key] for name, key in NAMES.items()})
    line = one_line_refusal(run([command], env | {missing: ""}, tmp_path))
    assert line.startswith(f"valuescout: {missing} is not set: valuescout {command} needs")


def test_an_unreachable_database_is_one_line_whose_masking_hides_only_the_password(tmp_path):
    url = f"postgresql://scout:p@127.0.0.1:{free_port()}/vs"  # a password that is also a letter
    line = one_line_refusal(run(["db", "upgrade"], clean_environment(DATABASE_URL=url), tmp_path))
    assert "postgresql+psycopg://scout:***@127.0.0.1" in line and "is unavailable" in line
    assert "***ort" not in line and "port" in line


def test_an_sqlite_file_in_a_missing_folder_is_one_line(tmp_path):
    url = f"sqlite:///{tmp_path}/no/such/folder/v.db"
    line = one_line_refusal(run(["db", "upgrade"], clean_environment(DATABASE_URL=url), tmp_path))
    assert "is unavailable: unable to open database file" in line


@pytest.mark.parametrize("url", ["http://scout.example.com", "scout.example.com", "ftp://x.y"])
def test_the_manifest_request_url_must_be_https(tmp_path, url):
    result = run(["manifest", "--request-url", url], clean_environment(), tmp_path)
    line = one_line_refusal(result)
    assert "--request-url must be an https:// URL" in line and result.stdout == ""


def test_the_manifest_takes_an_https_request_url(tmp_path):
    result = run(
        ["manifest", "--request-url", "https://scout.example.com"], clean_environment(), tmp_path
    )
    assert result.returncode == 0
    assert "request_url: https://scout.example.com/slack/events" in result.stdout
