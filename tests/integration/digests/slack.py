"""Fixtures for sending digests: the emulator, and the production client pointed at it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from slack_sdk import WebClient

from bot.bootstrap import load_settings
from bot.emulator import SEED, SlackEmulator
from bot.slack_client import build_web_client


def production_client(emulator: SlackEmulator) -> WebClient:
    """The app's client (429 Retry-After, 5xx and connection retries) on the emulator."""
    settings = load_settings(
        _env_file=None, SLACK_BOT_TOKEN=SEED.bot_token, SLACK_API_URL=emulator.api_url
    )
    return build_web_client(settings)


@pytest.fixture
def emulator() -> Iterator[SlackEmulator]:
    """A fresh workspace on a free loopback port."""
    with SlackEmulator() as emulator:
        yield emulator


@pytest.fixture
def client(emulator: SlackEmulator) -> WebClient:
    return production_client(emulator)


def bot_texts(emulator: SlackEmulator, channel: str) -> list[str]:
    """The texts the bot posted in a channel, threads included, oldest first."""
    return [m["text"] for m in emulator.messages(channel) if m.get("user") == SEED.bot_user_id]
