"""Logging set-up: one format, and a filter that keeps Slack tokens and secrets out of every log line."""

from __future__ import annotations

import logging
import re
import uuid

from storage.engine import mask

# Slack tokens (bot, user, app-level, config, refresh) wherever they appear in a message.
TOKEN = re.compile(r"\bxox[a-z]-[A-Za-z0-9-]+|\bxapp-[A-Za-z0-9-]+")
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def new_reference() -> str:
    """A short id that ties what a person (or a caller) is told to one line in the log."""
    return uuid.uuid4().hex[:8]


class RedactSecrets(logging.Filter):
    """Replace anything that looks like a Slack token, and the configured secrets, with a marker."""

    def __init__(self, secrets: tuple[str, ...] = ()) -> None:
        super().__init__()
        self._secrets = tuple(secret for secret in secrets if secret)

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = TOKEN.sub("[redacted]", message)
        for secret in self._secrets:
            cleaned = mask(cleaned, secret, "[redacted]")  # whole: a password "p" spares "port"
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


def configure_logging(*, level: str = "INFO", secrets: tuple[str, ...] = ()) -> None:
    """Log to stderr through the redacting filter; quiet the libraries' request-body logs."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.addFilter(RedactSecrets(secrets))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # Bolt logs the raw body of a request whose signature fails, at INFO; we log our own line.
    logging.getLogger("slack_bolt.RequestVerification").setLevel(logging.WARNING)
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
