"""The HTTP edge: only fresh requests signed by Slack get in; health reports the database."""

import http.client
import json
import logging
import time
import urllib.request
from urllib.error import HTTPError
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

from bot.emulator import SEED
from storage.engine import session_scope
from storage.models import ProcessedRequest

pytestmark = pytest.mark.sqlite_only  # how the app answers, not what storage does

COMMAND_BODY = f"command=%2Fscout&text=help&user_id={SEED.scout}&team_id={SEED.team_id}"


def get(url: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, json.loads(response.read())
    except HTTPError as error:
        return error.code, json.loads(error.read())


def processed_requests(engine) -> int:
    with session_scope(engine) as session:
        return session.scalar(select(func.count()).select_from(ProcessedRequest))


def dm_event_body(text: str) -> str:
    event = {"type": "message", "channel_type": "im", "user": SEED.scout, "text": text}
    event |= {"channel": "D0SCOUT", "ts": "1700000000.000100"}
    envelope = {"type": "event_callback", "team_id": SEED.team_id, "api_app_id": SEED.app_id}
    return json.dumps(envelope | {"event_id": "Ev0FORGED", "event_time": 1, "event": event})


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param({}, id="unsigned"),
        pytest.param({"X-Slack-Request-Timestamp": "not-a-number"}, id="timestamp-not-a-number"),
        pytest.param("stale", id="older-than-five-minutes"),
        pytest.param("wrong-secret", id="badly-signed"),
    ],
)
def test_a_request_slack_did_not_sign_gets_401_and_touches_nothing(
    driver, emulator, engine, caplog, headers
):
    body = dm_event_body("<!channel> xoxb-leaked-token")
    if headers == "stale":
        headers = driver.sign(body, timestamp=int(time.time()) - 6 * 60)
    elif headers == "wrong-secret":
        headers = {**driver.sign(body), "X-Slack-Signature": "v0=" + "0" * 64}
    elif "X-Slack-Request-Timestamp" in headers:
        headers = {**headers, "X-Slack-Signature": driver.sign(body)["X-Slack-Signature"]}
    headers = {"Content-Type": "application/json", **headers}
    with caplog.at_level(logging.INFO):
        response = driver.raw(body, headers)
    time.sleep(0.2)  # had anything been dispatched, its Web API call would land by now
    assert response.status == 401
    assert emulator.calls == []
    assert processed_requests(engine) == 0
    assert "refused a Slack request" in caplog.text
    assert "xoxb-leaked-token" not in caplog.text and "channel" not in caplog.text


def test_a_signed_slash_command_is_answered(driver):
    response = driver.raw(
        COMMAND_BODY,
        {"Content-Type": "application/x-www-form-urlencoded", **driver.sign(COMMAND_BODY)},
    )
    assert response.status == 200
    assert response.json["response_type"] == "ephemeral"


def test_health_reports_a_reachable_database(app_server):
    status, body = get(app_server.url.replace("/slack/events", "/healthz"))
    assert (status, body["database"]) == (200, "reachable")


def test_health_reports_an_unreachable_database_with_503(emulator, tmp_path):
    from bot.cli.runtime import compose
    from bot.web import LocalServer, build_wsgi_app
    from storage.engine import create_engine_for
    from tests.e2e.conftest import SIGNING_SECRET, e2e_settings

    missing = f"sqlite:///{tmp_path}/no/such/dir/valuescout.db"
    parts = compose(e2e_settings(emulator, missing))
    app = build_wsgi_app(
        bolt_app=parts.app, engine=create_engine_for(missing), signing_secret=SIGNING_SECRET
    )
    server = LocalServer(app).start()
    try:
        status, body = get(server.url.replace("/slack/events", "/healthz"))
    finally:
        server.stop()
    assert (status, body["database"]) == (503, "unreachable")


def test_other_paths_are_not_found(app_server):
    status, _ = get(app_server.url.replace("/slack/events", "/admin"))
    assert status == 404


def test_with_one_workspaces_token_there_is_no_install_page(app_server):
    for path in ("/slack/install", "/slack/oauth_redirect"):
        status, _ = get(app_server.url.replace("/slack/events", path))
        assert status == 404


def test_an_oversized_body_is_refused_unread(app_server):
    host, port = urlsplit(app_server.url).hostname, urlsplit(app_server.url).port
    connection = http.client.HTTPConnection(host, port, timeout=5)
    connection.putrequest("POST", "/slack/events")
    connection.putheader("Content-Type", "application/json")
    connection.putheader("Content-Length", str(50_000_000))  # announced, never sent
    connection.endheaders()
    assert connection.getresponse().status == 413
    connection.close()
