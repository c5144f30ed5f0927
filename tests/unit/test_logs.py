"""Tokens and secrets never reach the logs."""

import logging

from bot.logs import RedactSecrets


def record(message: str, *args: object) -> logging.LogRecord:
    return logging.LogRecord("test", logging.INFO, __file__, 1, message, args, None)


def test_slack_tokens_are_redacted_wherever_they_appear():
    entry = record("calling with %s and %s", "xoxb-123-456-abc", "xapp-1-A0-99-ff")
    RedactSecrets().filter(entry)
    assert entry.getMessage() == "calling with [redacted] and [redacted]"


def test_configured_secrets_are_redacted():
    entry = record("signature check used s3cr3t-value")
    RedactSecrets(("s3cr3t-value",)).filter(entry)
    assert "s3cr3t-value" not in entry.getMessage()


def test_ordinary_lines_are_left_alone():
    entry = record("posted %d cards", 3)
    RedactSecrets(("s3cr3t",)).filter(entry)
    assert entry.getMessage() == "posted 3 cards" and entry.args == (3,)
