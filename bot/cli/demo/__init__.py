"""`valuescout demo`: the real app on the built-in Slack emulator, as a terminal chat."""

from __future__ import annotations

import secrets
import sys
from collections.abc import Iterable, Iterator
from contextlib import nullcontext
from pathlib import Path
from typing import TextIO

from bot.bootstrap import load_settings
from bot.cli.demo.session import Demo
from bot.cli.demo.workspaces import CLIENT_ID, CLIENT_SECRET
from bot.emulator import SEED, SlackEmulator
from bot.routes import current_routes
from bot.settings import Settings, SettingsError
from storage.engine import parse_database_url

# The demo's own database, whatever DATABASE_URL says: its fake people and discoveries must
# never land in a real workspace's database (`valuescout demo --database URL` chooses another).
DEMO_DATABASE = "sqlite:///valuescout-demo.db"


def run_demo(
    settings: Settings,
    *,
    user: str | None = None,
    lines: Iterable[str] | None = None,
    out: TextIO | None = None,
    emulator: SlackEmulator | None = None,
    files: Path | None = None,
    workspaces: int = 1,
) -> int:
    """Start the emulator (unless given one, started) and the app, then chat until input ends.
    The demo runs on settings.database_url (the CLI sets the demo's own); files it makes, such
    as the coach chart, go to `files` (default: a new temporary folder). With two
    `workspaces`, Acme and Globex install the app by OAuth and `/team` moves between them."""
    out = out or sys.stdout
    with nullcontext(emulator) if emulator else SlackEmulator() as workspace:
        chosen = demo_settings(settings, workspace, oauth=workspaces > 1)
        demo = Demo(chosen, workspace, out=out.write, files=files, workspaces=workspaces)
        try:
            demo.chat(lines if lines is not None else _prompted(demo), user=user)
        finally:
            demo.stop()
    return 0


def demo_settings(settings: Settings, emulator: SlackEmulator, *, oauth: bool = False) -> Settings:
    """The user's settings, pointed at the emulator and its seeded channels; installed by
    OAuth (no bot token: each workspace's own) for the demo of several workspaces."""
    channels = {f"VALUESCOUT_{route.upper()}_CHANNEL": channel
                for route, channel in route_rooms(emulator).items()}  # fmt: skip
    install = {"SLACK_CLIENT_ID": CLIENT_ID, "SLACK_CLIENT_SECRET": CLIENT_SECRET} if oauth else {}
    return load_settings(
        **channels,
        **install,
        SLACK_BOT_TOKEN="" if oauth else SEED.bot_token,
        SLACK_SIGNING_SECRET=secrets.token_hex(16),
        SLACK_APP_TOKEN="",
        SLACK_API_URL=emulator.api_url,
        DATABASE_URL=settings.database_url,
        VALUESCOUT_COACH_CHANNEL=SEED.coaches,
        VALUESCOUT_ADMINS=SEED.admin,
        VALUESCOUT_TIMEZONE=settings.timezone,
        VALUESCOUT_DIGEST_SCHEDULE=settings.digest_schedule,
        VALUESCOUT_PROMPTS_DIR=settings.prompts_dir,
    )


def route_rooms(emulator: SlackEmulator) -> dict[str, str]:
    """A channel for each route: the seeded one of its name, or a new one (#<route id>)."""
    workspace = emulator.workspace
    by_name = {channel.name: channel.id for channel in workspace.channels.values()}
    return {
        route: by_name.get(route) or workspace.add_channel(_room_id(route), route).id
        for route in current_routes().ids
    }


def _room_id(route: str) -> str:
    return "C0" + route.upper().replace("_", "").ljust(3, "0")  # a valid id: [CG][A-Z0-9]{4,}


def reset_demo_database(url: str) -> Path:
    """Remove the demo's SQLite file (and its WAL files), so the demo starts afresh; only an
    SQLite file can be reset: a server's database may be someone's real data."""
    parsed = parse_database_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        raise SettingsError("--reset removes only an SQLite file; drop that database yourself.")
    path = Path(parsed.database).resolve()
    for each in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        each.unlink(missing_ok=True)
    return path


def _prompted(demo: Demo) -> Iterator[str]:
    """Lines typed at a prompt that names who you are, until Ctrl-D."""
    while True:
        try:
            yield input(f"{demo.names[demo.user]} › ")
        except EOFError:
            demo.screen.out("\n")
            return
