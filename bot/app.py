"""build_app(): the Bolt app with its middleware, listeners and one error handler."""

from __future__ import annotations

import logging
import uuid

from slack_bolt import App, BoltContext
from slack_sdk import WebClient
from sqlalchemy import Engine

from bot import listeners
from bot.dialogue.turns import DialogueRules
from bot.discoveries.delivery import DeliveryWorker
from bot.settings import Settings

log = logging.getLogger(__name__)


def build_app(
    *,
    settings: Settings,
    client: WebClient,
    engine: Engine,
    rules: DialogueRules,
    delivery: DeliveryWorker | None = None,
    verify_token: bool = True,
) -> App:
    """Build the app; nothing Slack-facing is created at import time."""
    secret = settings.signing_secret.get_secret_value() if settings.signing_secret else None
    app = App(
        client=client,
        signing_secret=secret,
        token_verification_enabled=verify_token,
        process_before_response=False,
    )
    app.use(_provide(engine=engine, settings=settings, rules=rules, delivery=delivery))
    listeners.register(app)
    app.error(handle_error)
    return app


def _provide(**services: object):
    """Middleware that puts the engine and settings into every listener's context."""

    def provide(context: BoltContext, next) -> None:
        context.update(services)
        next()

    return provide


def handle_error(error: Exception, body: dict, respond, logger: logging.Logger) -> None:
    """Log the failure with a reference id and tell the person something useful."""
    reference = uuid.uuid4().hex[:8]
    log.exception("request failed (ref %s, type %s)", reference, body.get("type"), exc_info=error)
    if body.get("response_url"):
        respond(
            response_type="ephemeral",
            replace_original=False,
            text=f"Sorry, something went wrong on our side (ref `{reference}`). "
            "Nothing you entered was lost; please try again in a moment.",
        )
