"""The read API's and the metrics' tokens, the metrics port and LOG_FORMAT, as settings."""

import pytest

from bot.settings import SettingsError, read_settings


@pytest.mark.parametrize("name", ["VALUESCOUT_API_TOKEN", "VALUESCOUT_METRICS_TOKEN"])
def test_a_short_token_is_refused_in_one_line_without_echoing_it(name):
    with pytest.raises(SettingsError) as refused:
        read_settings(_env_file=None, **{name: "guessable"})
    assert str(refused.value).startswith(f"{name} is shorter than 32 characters")
    assert "guessable" not in str(refused.value)


def test_blank_tokens_and_port_are_unset_and_log_format_is_text_or_json():
    settings = read_settings(
        _env_file=None, VALUESCOUT_API_TOKEN=" ", VALUESCOUT_METRICS_PORT="", LOG_FORMAT="JSON"
    )
    assert (settings.api_token, settings.metrics_port, settings.log_format) == (None, None, "json")
    with pytest.raises(SettingsError, match="LOG_FORMAT 'xml' is neither text nor json"):
        read_settings(_env_file=None, LOG_FORMAT="xml")
