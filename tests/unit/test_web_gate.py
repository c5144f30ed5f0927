"""The HTTP edge refuses anything that is not a fresh request signed by Slack."""

import time
from urllib.parse import quote

import pytest
from slack_bolt.request.internals import parse_body
from slack_sdk.signature import SignatureVerifier

from bot.web import read_slack_body, refusal_reason

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


FORM = {"content-type": "application/x-www-form-urlencoded"}
JSON_TYPE = {"content-type": "application/json"}
BODIES = [
    (b'{"type": "event_callback", "event": {"text": "caf\\u00e9"}}', JSON_TYPE),
    (
        b"payload=" + quote('{"type": "block_actions", "actions": [{"value": "a+b"}]}').encode(),
        FORM,
    ),
    (b"command=%2Fscout&text=hello+there&user_id=U1", FORM),
    (b"", FORM),
]


@pytest.mark.parametrize(("body", "headers"), BODIES)
def test_a_body_is_parsed_once_exactly_as_bolt_parses_it(body, headers):
    read = read_slack_body(body, headers)
    assert read.parsed == parse_body(body.decode(), headers["content-type"])
    assert read.text == body.decode() and read.may_hold_surrogate is False


@pytest.mark.parametrize(
    ("body", "headers"),
    [
        (b'{"event": {"text": "\\ud800"}}', JSON_TYPE),
        (b"payload=" + quote('{"actions": [{"value": "1:k:\\uDFFF"}]}').encode(), FORM),
    ],
)
def test_a_json_escape_of_half_a_pair_is_flagged_for_the_guard(body, headers):
    assert read_slack_body(body, headers).may_hold_surrogate is True


def test_a_plain_form_cannot_carry_a_surrogate():
    """Percent-escaped UTF-8 of a surrogate is invalid UTF-8: decoded as a replacement."""
    read = read_slack_body(b"text=%ED%A0%80", FORM)
    assert read.parsed == {"text": "\ufffd\ufffd\ufffd"} and read.may_hold_surrogate is False
