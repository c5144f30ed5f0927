"""Tokens and secrets never reach the logs."""

import io
import json
import logging

from bot.logs import RedactSecrets, configure_logging


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


def json_lines(secrets: tuple[str, ...], emit) -> list[dict]:
    """What configure_logging(fmt="json") writes for the records `emit` logs."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    try:
        configure_logging(level="INFO", secrets=secrets, fmt="json")
        stream = io.StringIO()
        root.handlers[0].setStream(stream)
        emit(logging.getLogger("valuescout.test"))
    finally:
        root.handlers[:], root.level = handlers, level
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_json_logs_are_one_object_per_line_with_the_extra_fields():
    [entry] = json_lines(
        (), lambda log: log.warning("posted %d cards", 3, extra={"route": "sales"})
    )
    assert entry["level"] == "WARNING" and entry["logger"] == "valuescout.test"
    assert entry["message"] == "posted 3 cards" and entry["route"] == "sales"
    assert entry["time"].endswith("+00:00")


def test_json_logs_redact_tokens_and_secrets_in_the_message_the_extras_and_the_error():
    def emit(log: logging.Logger) -> None:
        log.info("token %s", "xoxb-123-456-abc", extra={"header": "Bearer s3cr3t-api-token"})
        try:
            raise RuntimeError("refused s3cr3t-api-token and xapp-1-A0-99-ff")
        except RuntimeError:
            log.exception("failed")

    entries = json_lines(("s3cr3t-api-token",), emit)
    text = str(entries)
    assert len(entries) == 2 and "Traceback" in entries[1]["exception"]
    assert "xoxb-123" not in text and "xapp-1" not in text and "s3cr3t" not in text
    assert entries[0]["message"] == "token [redacted]"
