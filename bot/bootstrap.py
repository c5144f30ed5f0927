"""Start-up: read the settings and take the prompts they name into use, checked first.

It sits above settings, routes, dialogue and rendering (it checks what they load), so
bot.settings itself stays at the bottom of the import graph.
"""

from __future__ import annotations

from bot.prompts_check import use_prompts
from bot.settings import HINTS, Settings, SettingsError, read_settings
from storage.engine import parse_database_url


def load_settings(**overrides: object) -> Settings:
    """Read the settings and take the prompts they name into use (checked first), turning
    every problem into one clear SettingsError."""
    settings = read_settings(**overrides)
    try:  # checked here, not in bot.settings, which the pure core reads and SQL stays out of
        parse_database_url(settings.database_url)
    except ValueError as error:  # its words never repeat the URL: it may hold a password
        raise SettingsError(f"DATABASE_URL {error}; expected {HINTS['DATABASE_URL']}.") from None
    use_prompts(settings)  # reads routes, questions and themes
    return settings
