"""The `valuescout` command starts light: its parser and set-up checks import no Slack app, so
every command, and a refused one, answers in about a second."""

import subprocess
import sys

HEAVY = ("bot.app", "slack_bolt", "bot.cli.runtime", "matplotlib")


def test_building_the_command_line_imports_neither_the_app_nor_slack_bolt():
    probe = (
        "import sys, bot.cli\n"
        "bot.cli._parser()\n"
        f"print(' '.join(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    ).stdout.split()
    assert loaded == []
