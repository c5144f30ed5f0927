"""`valuescout demo`: the real app on the built-in Slack emulator, as a terminal chat."""

from __future__ import annotations

import secrets
import sys
from collections.abc import Iterable, Iterator
from contextlib import nullcontext
from typing import TextIO

from bot.bootstrap import load_settings
from bot.cli.demo.session import Demo
from bot.emulator import SEED, SlackEmulator
from bot.routes import current_routes
from bot.settings import Settings

DEMO_DATABASE = "sqlite:///valuescout-demo.db"


def run_demo(
    settings: Settings,
    *,
    user: str | None = None,
    lines: Iterable[str] | None = None,
    out: TextIO | None = None,
    emulator: SlackEmulator | None = None,
) -> int:
    """Start the emulator (unless given one, started) and the app, then chat until input ends."""
    out = out or sys.stdout
    with nullcontext(emulator) if emulator else SlackEmulator() as workspace:
        demo = Demo(demo_settings(settings, workspace), workspace, out=out.write)
        try:
            demo.chat(lines if lines is not None else _prompted(demo), user=user)
        finally:
            demo.stop()
    return 0


def demo_settings(settings: Settings, emulator: SlackEmulator) -> Settings:
    """The user's settings, pointed at the emulator and its seeded channels."""
    database = settings.database_url
    if database == Settings.model_fields["database_url"].default:
        database = DEMO_DATABASE  # keep demo data out of a real workspace's database
    channels = {f"VALUESCOUT_{route.upper()}_CHANNEL": channel
                for route, channel in route_rooms(emulator).items()}  # fmt: skip
    return load_settings(
        **channels,
        SLACK_BOT_TOKEN=SEED.bot_token,
        SLACK_SIGNING_SECRET=secrets.token_hex(16),
        SLACK_APP_TOKEN="",
        SLACK_API_URL=emulator.api_url,
        DATABASE_URL=database,
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


def _prompted(demo: Demo) -> Iterator[str]:
    """Lines typed at a prompt that names who you are, until Ctrl-D."""
    while True:
        try:
            yield input(f"{demo.names[demo.user]} › ")
        except EOFError:
            demo.screen.out("\n")
            return
