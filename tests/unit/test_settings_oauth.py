"""Installs by OAuth as settings: the client id and secret, with a signing secret, and no
single-workspace token beside them."""

import pytest

from bot.doctor.slack import mode_check
from bot.settings import SettingsError, read_settings

OAUTH = {"SLACK_CLIENT_ID": "1.2", "SLACK_CLIENT_SECRET": "shh", "SLACK_SIGNING_SECRET": "s"}


def test_the_client_id_secret_and_signing_secret_make_oauth_mode():
    settings = read_settings(_env_file=None, **OAUTH)

    assert settings.mode == "oauth" and settings.oauth_configured
    assert settings.authorization_url == "https://slack.com/oauth/v2/authorize"


def test_slacks_install_page_is_on_the_host_of_the_api_url():
    settings = read_settings(_env_file=None, SLACK_API_URL="http://127.0.0.1:8123/api/")

    assert settings.authorization_url == "http://127.0.0.1:8123/oauth/v2/authorize"


@pytest.mark.parametrize(
    ("given", "refusal"),
    [
        ({"SLACK_CLIENT_ID": "1.2", "SLACK_SIGNING_SECRET": "s"}, "SLACK_CLIENT_ID set without"),
        ({"SLACK_CLIENT_SECRET": "x", "SLACK_SIGNING_SECRET": "s"}, "SLACK_CLIENT_SECRET set"),
        ({**OAUTH, "SLACK_BOT_TOKEN": "xoxb-1"}, "Set one or the other"),
        ({**OAUTH, "SLACK_SIGNING_SECRET": ""}, "SLACK_SIGNING_SECRET is not set"),
    ],
)
def test_a_partial_or_mixed_oauth_set_up_is_refused_in_one_line(given, refusal):
    settings = read_settings(_env_file=None, **given)

    with pytest.raises(SettingsError, match=refusal) as refused:
        settings.mode  # noqa: B018
    assert "shh" not in str(refused.value) and "\n" not in str(refused.value)


def test_doctor_names_oauth_mode():
    check = mode_check(read_settings(_env_file=None, **OAUTH))

    assert check.ok and "installed by OAuth" in check.line()
