"""Logging set-up: text or JSON lines (LOG_FORMAT), and a filter that keeps Slack tokens and
secrets out of every log line."""

from __future__ import annotations

import json
import logging
import re
import uuid
from datetime import UTC, datetime

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

    def clean(self, text: str) -> str:
        """The text with every token and configured secret replaced."""
        cleaned = TOKEN.sub("[redacted]", text)
        for secret in self._secrets:
            cleaned = mask(cleaned, secret, "[redacted]")  # whole: a password "p" spares "port"
        return cleaned

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = self.clean(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        for name, value in _extras(record).items():  # what a caller passed with extra=
            if isinstance(value, str):
                setattr(record, name, self.clean(value))
        return True


# What every LogRecord has; anything else on a record came from a caller's extra={…}.
_STANDARD = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message"}


def _extras(record: logging.LogRecord) -> dict[str, object]:
    return {name: value for name, value in vars(record).items() if name not in _STANDARD}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, the extra fields, the error."""

    def __init__(self, redact: RedactSecrets) -> None:
        super().__init__()
        self._redact = redact

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name, value in _extras(record).items():
            plain = _plain(value)
            entry[name] = self._redact.clean(plain) if isinstance(plain, str) else plain
        if record.exc_info:
            entry["exception"] = self._redact.clean(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False, default=str)


def _plain(value: object) -> object:
    return value if isinstance(value, (str, int, float, bool, type(None))) else str(value)


class UninstalledWorkspace(logging.Filter):
    """Bolt logs an ERROR for each request from a workspace with no installation (uninstalled,
    or an event Slack still delivers after): expected, and answered; a WARNING of ours instead."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.ERROR and "AuthorizeResult" in str(record.msg):
            record.levelno, record.levelname = logging.WARNING, "WARNING"
            record.msg, record.args = "a request from a workspace with no installation: ignored", ()
        return True


_UNINSTALLED = UninstalledWorkspace()


def quiet_uninstalled_workspaces() -> None:
    """Installed by OAuth: Bolt's authorization logs an uninstalled workspace as a WARNING."""
    logging.getLogger("slack_bolt.MultiTeamsAuthorization").addFilter(_UNINSTALLED)  # once


def configure_logging(
    *, level: str = "INFO", secrets: tuple[str, ...] = (), fmt: str = "text"
) -> None:
    """Log to stderr through the redacting filter, as text or as JSON lines; quiet the
    libraries' request-body logs."""
    handler = logging.StreamHandler()
    redact = RedactSecrets(secrets)
    handler.setFormatter(JsonFormatter(redact) if fmt == "json" else logging.Formatter(FORMAT))
    handler.addFilter(redact)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # Bolt logs the raw body of a request whose signature fails, at INFO; we log our own line.
    logging.getLogger("slack_bolt.RequestVerification").setLevel(logging.WARNING)
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
