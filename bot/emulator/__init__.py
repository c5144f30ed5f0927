"""The Slack emulator: a real HTTP Web API, a stateful workspace, faults and a signed driver.

with SlackEmulator() as emu:
    client = WebClient(token=SEED.bot_token, base_url=emu.api_url)
    driver = SlackDriver("http://127.0.0.1:3000/slack/events", secret, emulator=emu)
    driver.message(SEED.scout, "Globex wants faster onboarding")
    emu.wait_for_call("chat.postMessage")
"""

from bot.emulator.clock import ManualClock
from bot.emulator.driver import DriverResponse, SlackDriver
from bot.emulator.errors import ApiError
from bot.emulator.recording import Call, CallTimeout
from bot.emulator.response_urls import ResponseUrlPost
from bot.emulator.seed import APP_ID, BOT_ID, BOT_TOKEN, BOT_USER_ID, SEED, TEAM_ID, Seed
from bot.emulator.server import SlackEmulator

__all__ = [
    "APP_ID",
    "BOT_ID",
    "BOT_TOKEN",
    "BOT_USER_ID",
    "SEED",
    "TEAM_ID",
    "ApiError",
    "Call",
    "CallTimeout",
    "DriverResponse",
    "ManualClock",
    "ResponseUrlPost",
    "Seed",
    "SlackDriver",
    "SlackEmulator",
]
