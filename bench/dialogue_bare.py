"""The dialogue benchmark's baselines: bare Bolt apps that ack and post one reply per step, as
plain text or as the same blocks the app replied with (captured from it in the same run)."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from slack_bolt import App

from bench.dialogue_harness import BARE_REPLY, SECRET, step_of
from bot.bootstrap import load_settings
from bot.emulator import SEED
from bot.settings import Settings
from bot.slack_client import build_web_client
from bot.web import WSGIApp, build_wsgi_app
from storage.engine import create_engine_for

REPLIES_ENV = "BENCH_REPLIES"  # a JSON file of the app's replies by step: the bare app posts them


def bench_env(api_url: str, database_url: str) -> dict[str, str]:
    """The app's settings as environment variables (as tests/e2e/conftest.e2e_settings)."""
    return {
        "SLACK_BOT_TOKEN": SEED.bot_token,
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_APP_TOKEN": "",
        "SLACK_API_URL": api_url,
        "DATABASE_URL": database_url,
        "VALUESCOUT_SALES_CHANNEL": SEED.sales,
        "VALUESCOUT_MARKETING_CHANNEL": SEED.marketing,
        "VALUESCOUT_PRODUCT_CHANNEL": SEED.product,
        "VALUESCOUT_COACH_CHANNEL": SEED.coaches,
        "VALUESCOUT_ADMINS": SEED.admin,
        "VALUESCOUT_TIMEZONE": "Europe/Berlin",
    }


def bare_bolt_app(settings: Settings, replies: dict[int, dict] | None = None) -> App:
    """Acks, posts one reply: the floor any Bolt app on this stack pays. Without replies the
    reply is one fixed line of text; with them, the app's reply to that step, blocks and all."""
    app = App(
        client=build_web_client(settings),
        signing_secret=SECRET,
        process_before_response=False,
    )

    def reply(body: dict) -> dict:
        index = step_of(body) if replies else None
        return replies[index] if index in (replies or {}) else {"text": BARE_REPLY}

    @app.event("message")
    def on_message(event: dict, body: dict, client) -> None:
        client.chat_postMessage(channel=event["channel"], **reply(body))

    @app.action(re.compile(".*"))
    def on_action(ack, body: dict, client) -> None:
        ack()
        client.chat_postMessage(channel=body["container"]["channel_id"], **reply(body))

    return app


def bare_wsgi(api_url: str, replies: dict[int, dict] | None = None) -> WSGIApp:
    """The bare app behind the same WSGI surface as the app."""
    settings = load_settings(_env_file=None, **bench_env(api_url, "sqlite://"))
    engine = create_engine_for("sqlite://")  # only /healthz uses it
    bolt = bare_bolt_app(settings, replies)
    return build_wsgi_app(bolt_app=bolt, engine=engine, signing_secret=SECRET)


def bare_from_env() -> WSGIApp:
    """Gunicorn factory: `gunicorn 'bench.dialogue_bare:bare_from_env()'` with BENCH_API_URL
    set (and BENCH_REPLIES to post the app's blocks)."""
    path = os.environ.get(REPLIES_ENV)
    replies = read_replies(Path(path)) if path else None
    return bare_wsgi(os.environ["BENCH_API_URL"], replies)


def write_replies(replies: dict[int, dict], path: Path) -> Path:
    path.write_text(json.dumps({str(k): v for k, v in replies.items()}))
    return path


def read_replies(path: Path) -> dict[int, dict]:
    return {int(k): v for k, v in json.loads(path.read_text()).items()}
