"""Settings: the public variable names, clear errors, and refusals of unsafe values."""

from pathlib import Path

import pytest

from bot.bootstrap import load_settings
from bot.settings import Settings, SettingsError, parse_schedule, require

ROOT = Path(__file__).resolve().parents[2]

VARIABLES = [
    "SLACK_BOT_TOKEN",
    "SLACK_SIGNING_SECRET",
    "SLACK_APP_TOKEN",
    "SLACK_API_URL",
    "DATABASE_URL",
    "VALUESCOUT_SALES_CHANNEL",
    "VALUESCOUT_MARKETING_CHANNEL",
    "VALUESCOUT_PRODUCT_CHANNEL",
    "VALUESCOUT_COACH_CHANNEL",
    "VALUESCOUT_ADMINS",
    "VALUESCOUT_TIMEZONE",
    "VALUESCOUT_HOLIDAYS",
    "VALUESCOUT_DIGEST_SCHEDULE",
    "VALUESCOUT_PROMPTS_DIR",
    "VALUESCOUT_SCHEDULER",
    "PORT",
    "WEB_CONCURRENCY",
    "LOG_LEVEL",
]


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch, tmp_path):
    """No variable from the developer's shell or a .env file leaks into these tests."""
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)


def test_defaults_run_on_sqlite_in_utc_on_monday_morning():
    settings = load_settings()
    assert settings.database_url == "sqlite:///valuescout.db"
    assert settings.api_url == "https://slack.com/api/"
    assert str(settings.zone) == "UTC"
    assert str(settings.schedule) == "mon 09:00"
    assert not settings.workspace_configured


def test_every_public_variable_is_read(monkeypatch):
    values = {
        "SLACK_BOT_TOKEN": "xoxb-1",
        "SLACK_SIGNING_SECRET": "s3cret",
        "SLACK_APP_TOKEN": "xapp-1",
        "SLACK_API_URL": "http://127.0.0.1:9999/api",
        "DATABASE_URL": "postgresql+psycopg://u:p@db/vs",
        "VALUESCOUT_SALES_CHANNEL": "C0SALES",
        "VALUESCOUT_MARKETING_CHANNEL": "C0MARKETING",
        "VALUESCOUT_PRODUCT_CHANNEL": "C0PRODUCT",
        "VALUESCOUT_COACH_CHANNEL": "C0COACH",
        "VALUESCOUT_ADMINS": "U0ADMIN, U0OTHER",
        "VALUESCOUT_TIMEZONE": "Europe/Berlin",
        "VALUESCOUT_DIGEST_SCHEDULE": "Friday 08:30",
    }
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    settings = load_settings()
    assert settings.bot_token.get_secret_value() == "xoxb-1"
    assert settings.api_url == "http://127.0.0.1:9999/api/"
    assert settings.route_channels == {
        "sales": "C0SALES",
        "marketing": "C0MARKETING",
        "product": "C0PRODUCT",
        "coach": "C0COACH",
    }
    assert settings.admins == {"U0ADMIN", "U0OTHER"}
    assert (settings.schedule.days, settings.schedule.hour) == (("fri",), 8)
    assert settings.workspace_configured


def test_a_dotenv_file_is_read(tmp_path):
    (tmp_path / ".env").write_text("VALUESCOUT_TIMEZONE=Asia/Tokyo\n")
    assert str(load_settings().zone) == "Asia/Tokyo"


def test_route_channels_come_from_dotenv_the_environment_and_arguments_in_that_precedence(
    monkeypatch, tmp_path
):
    (tmp_path / ".env").write_text("VALUESCOUT_SALES_CHANNEL=C0DOTENV\nVALUESCOUT_PRODUCT_CHANNEL=C0DOTENV\n")
    monkeypatch.setenv("VALUESCOUT_PRODUCT_CHANNEL", "C0ENVIRON")
    monkeypatch.setenv("VALUESCOUT_MARKETING_CHANNEL", "C0ENVIRON")
    settings = load_settings(VALUESCOUT_MARKETING_CHANNEL="C0ARGUMENT")
    assert settings.route_channels == {
        "sales": "C0DOTENV", "product": "C0ENVIRON", "marketing": "C0ARGUMENT", "coach": None,
    }  # fmt: skip


@pytest.mark.parametrize(
    ("name", "value", "says"),
    [
        ("VALUESCOUT_TIMEZONE", "Mars/Olympus", "not an IANA time zone name"),
        ("VALUESCOUT_HOLIDAYS", "XX", "'XX' is not a country code the holidays package knows"),
        ("VALUESCOUT_ADMINS", "U0ADMIN,bob", "bob, which is not a Slack user id"),
        ("VALUESCOUT_SALES_CHANNEL", "#sales", "not a Slack channel id"),
        ("VALUESCOUT_DIGEST_SCHEDULE", "someday 9:00", "not a day of the week"),
        ("VALUESCOUT_DIGEST_SCHEDULE", "mon 25:00", "no such time of day"),
        ("VALUESCOUT_DIGEST_SCHEDULE", "mon,thu 08:30", "digests are weekly: one day"),
        ("SLACK_API_URL", "http://api.example.com/", "clear text"),
    ],
)
def test_a_malformed_setting_is_named_in_one_clear_line(monkeypatch, name, value, says):
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as refused:
        load_settings()
    message = str(refused.value)
    assert message.startswith(name) and says in message
    assert "\n" not in message and "Traceback" not in message


def test_a_missing_secret_names_the_variable_and_where_to_find_it():
    with pytest.raises(SettingsError, match=r"SLACK_SIGNING_SECRET is not set.*Basic Information"):
        require(load_settings(), "SLACK_SIGNING_SECRET", purpose="valuescout web")


def test_secrets_are_never_shown_in_the_settings_repr(monkeypatch):
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-very-secret")
    assert "xoxb-very-secret" not in repr(load_settings())


def test_a_blank_token_counts_as_unset(monkeypatch):
    monkeypatch.setenv("SLACK_BOT_TOKEN", "  ")
    assert load_settings().bot_token is None


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("mon 09:00", ("mon",)),
        ("Monday 09:00", ("mon",)),
        ("thu,mon 09:00", ("mon", "thu")),
        ("daily 07:15", ("mon", "tue", "wed", "thu", "fri", "sat", "sun")),
    ],
)
def test_schedules_are_read_in_week_order(text, days):
    assert parse_schedule(text).days == days


def test_env_example_lists_every_variable_and_loads_as_the_demo(tmp_path):
    example = (ROOT / ".env.example").read_text()
    readme = (ROOT / "README.md").read_text()
    names = [field.validation_alias for field in Settings.model_fields.values()]
    routes = [f"VALUESCOUT_{route.upper()}_CHANNEL" for route in ("sales", "marketing", "product")]
    for name in [name for name in names if name] + routes:  # a route's channel: no field of its own
        assert f"\n{name}=" in example or f"\n# {name}=" in example, f"{name} not in .env.example"
        assert f"`{name}`" in readme, f"{name} is not in the README's table"
    (tmp_path / ".env").write_text(example)
    assert load_settings().mode == "demo"


def test_holidays_take_a_country_code_in_any_case_and_blank_means_weekdays_only(monkeypatch):
    monkeypatch.setenv("VALUESCOUT_HOLIDAYS", "de")
    assert load_settings().calendar.country == "DE"
    monkeypatch.setenv("VALUESCOUT_HOLIDAYS", " ")
    assert load_settings().calendar.country is None
