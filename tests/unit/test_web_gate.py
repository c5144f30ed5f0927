"""The HTTP edge refuses anything that is not a fresh request signed by Slack."""

import time

import pytest
from slack_sdk.signature import SignatureVerifier

from bot.web import refusal_reason

SECRET = "signing-secret"
BODY = b"token=x&command=%2Fscout&text=help"


def signed(timestamp: int, body: bytes = BODY, secret: str = SECRET) -> dict[str, str]:
    signature = SignatureVerifier(secret).generate_signature(timestamp=str(timestamp), body=body)
    return {"x-slack-request-timestamp": str(timestamp), "x-slack-signature": signature}


def test_a_fresh_signed_request_passes():
    now = time.time()
    assert refusal_reason(BODY, signed(int(now)), SECRET, now) is None


@pytest.mark.parametrize(
    ("headers", "reason"),
    [
        ({}, "unsigned"),
        ({"x-slack-request-timestamp": "1"}, "unsigned"),
        ({"x-slack-request-timestamp": "soon", "x-slack-signature": "v0=ab"}, "not a number"),
        ({"x-slack-request-timestamp": "-5", "x-slack-signature": "v0=ab"}, "not a number"),
        # Digits to str.isdigit() that int() refuses: a refusal, never a crash.
        ({"x-slack-request-timestamp": "\u00b2", "x-slack-signature": "v0=ab"}, "not a number"),
        ({"x-slack-request-timestamp": "\u0663", "x-slack-signature": "v0=ab"}, "not a number"),
    ],
)
def test_missing_or_malformed_headers_are_refused(headers, reason):
    assert reason in refusal_reason(BODY, headers, SECRET, time.time())


def test_a_request_older_than_five_minutes_is_refused_even_when_signed():
    now = time.time()
    assert refusal_reason(BODY, signed(int(now) - 301), SECRET, now) == "stale timestamp"


def test_a_request_signed_with_another_secret_is_refused():
    now = time.time()
    assert refusal_reason(BODY, signed(int(now), secret="other"), SECRET, now) == "bad signature"


def test_a_tampered_body_is_refused():
    now = time.time()
    assert refusal_reason(BODY + b"x", signed(int(now)), SECRET, now) == "bad signature"
