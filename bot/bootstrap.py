"""Start-up: read the settings and take the prompts they name into use, checked first.

It sits above settings, routes, dialogue and rendering (it checks what they load), so
bot.settings itself stays at the bottom of the import graph.
"""

from __future__ import annotations

from bot.prompts_check import use_prompts
from bot.settings import Settings, read_settings


def load_settings(**overrides: object) -> Settings:
    """Read the settings and take the prompts they name into use (checked first), turning
    every problem into one clear SettingsError."""
    settings = read_settings(**overrides)
    use_prompts(settings)  # reads routes, questions and themes
    return settings
