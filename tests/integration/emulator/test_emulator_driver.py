"""SlackDriver's requests are signed and shaped exactly as Slack's."""

from __future__ import annotations

import json
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

import pytest
from slack_sdk import WebClient
from slack_sdk.signature import SignatureVerifier

from bot.emulator import SEED, SlackDriver, SlackEmulator

SECRET = "emulator-signing-secret"


class Received:
    """One request the fake app got, and whether its signature verified."""

    def __init__(self, headers: dict[str, str], body: bytes, valid: bool) -> None:
        self.headers, self.body, self.valid = headers, body.decode(), valid

    @property
    def form(self) -> dict[str, str]:
        return {k: v[0] for k, v in parse_qs(self.body, keep_blank_values=True).items()}

    @property
    def payload(self) -> dict[str, Any]:
        return json.loads(self.form["payload"])

    @property
    def json(self) -> dict[str, Any]:
        return json.loads(self.body)


class SigningCheckingApp:
    """A stdlib HTTP server that verifies Slack signatures and records every request."""

    def __init__(self) -> None:
        self.received: list[Received] = []
        verifier = SignatureVerifier(SECRET)
        app = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                headers = {k.lower(): v for k, v in self.headers.items()}
                try:
                    valid = verifier.is_valid_request(body, headers)
                except ValueError:  # a non-numeric timestamp, which bolt also refuses
                    valid = False
                app.received.append(Received(headers, body, valid))
                self.send_response(200 if valid else 401)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/slack/events"

    @property
    def last(self) -> Received:
        return self.received[-1]


@pytest.fixture
def app() -> Iterator[SigningCheckingApp]:
    fake = SigningCheckingApp()
    thread = threading.Thread(target=fake.server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    yield fake
    fake.server.shutdown()
    fake.server.server_close()


@pytest.fixture
def driver(app: SigningCheckingApp, emu: SlackEmulator) -> SlackDriver:
    return SlackDriver(app.url, SECRET, emulator=emu)


SENDERS: dict[str, Callable[[SlackDriver], Any]] = {
    "url_verification": lambda d: d.url_verification("challenge-1"),
    "event": lambda d: d.event({"type": "app_mention", "user": SEED.scout, "text": "hi"}),
    "message": lambda d: d.message(SEED.scout, "We lose a day per onboarding"),
    "app_home_opened": lambda d: d.app_home_opened(SEED.scout),
    "command": lambda d: d.command("/scout", "Globex", user=SEED.scout),
    "block_action": lambda d: d.block_action(user=SEED.dana, action_id="ack", value="1"),
    "message_shortcut": lambda d: d.message_shortcut(
        user=SEED.scout,
        callback_id="log",
        message={"ts": "1.000001", "text": "t"},
        channel=SEED.sales,
    ),
    "global_shortcut": lambda d: d.global_shortcut(user=SEED.scout, callback_id="log"),
    "view_submission": lambda d: d.view_submission(
        user=SEED.scout, view={"type": "modal", "callback_id": "discovery"}, values={}
    ),
    "view_closed": lambda d: d.view_closed(user=SEED.scout, view={"callback_id": "discovery"}),
}


@pytest.mark.parametrize("kind", list(SENDERS))
def test_every_driver_request_verifies_with_slack_sdk(
    kind: str, driver: SlackDriver, app: SigningCheckingApp
) -> None:
    response = SENDERS[kind](driver)
    assert response.status == 200
    assert app.last.valid
    assert response.elapsed > 0


def test_stale_bad_and_non_numeric_signatures_do_not_verify(
    driver: SlackDriver, app: SigningCheckingApp
) -> None:
    body = '{"type": "event_callback"}'
    stale = driver.sign(body, timestamp=int(time.time()) - 6 * 60)
    tampered = {**driver.sign(body), "X-Slack-Signature": "v0=" + "0" * 64}
    non_numeric = driver.sign(body, timestamp="yesterday")
    for headers in (stale, tampered, non_numeric):
        assert driver.raw(body, {"Content-Type": "application/json", **headers}).status == 401
    assert driver.raw(body, {"Content-Type": "application/json", **driver.sign(body)}).status == 200


def test_event_envelope_is_an_event_callback_with_unique_ids(
    driver: SlackDriver, app: SigningCheckingApp
) -> None:
    driver.event({"type": "app_mention"})
    first = app.last.json
    driver.event({"type": "app_mention"}, event_id="Ev0FIXED", retry_num=1)
    second = app.last
    assert first["type"] == "event_callback"
    assert first["event_id"].startswith("Ev") and first["event_id"] != "Ev0FIXED"
    assert first["team_id"] == SEED.team_id and first["api_app_id"] == SEED.app_id
    assert first["authorizations"][0]["user_id"] == SEED.bot_user_id
    assert second.json["event_id"] == "Ev0FIXED"
    assert second.headers["x-slack-retry-num"] == "1"
    assert second.headers["x-slack-retry-reason"] == "http_timeout"
    assert "x-slack-retry-num" not in app.received[0].headers


def test_message_defaults_to_the_dm_and_is_kept_in_the_emulator(
    driver: SlackDriver, app: SigningCheckingApp, emu: SlackEmulator
) -> None:
    sent = driver.message(SEED.scout, "Globex wants faster onboarding").sent
    event = app.last.json["event"]
    assert event == sent["event"]
    assert event["channel"] == emu.dm_channel_for(SEED.scout)
    assert event["channel_type"] == "im"
    assert emu.messages(event["channel"])[0]["ts"] == event["ts"]
    client = WebClient(token=SEED.bot_token, base_url=emu.api_url)
    link = client.chat_getPermalink(channel=event["channel"], message_ts=event["ts"])
    assert link["permalink"].endswith(event["ts"].replace(".", ""))


def test_bot_messages_are_not_recorded_as_user_messages(
    driver: SlackDriver, app: SigningCheckingApp, emu: SlackEmulator
) -> None:
    driver.message(SEED.bot_user_id, "echo", channel=SEED.sales, bot_id=SEED.bot_id)
    assert app.last.json["event"]["bot_id"] == SEED.bot_id
    assert emu.messages(SEED.sales) == []


def test_command_has_a_live_trigger_and_response_url(
    driver: SlackDriver, app: SigningCheckingApp, emu: SlackEmulator
) -> None:
    driver.command("/scout", "Globex", user=SEED.scout, channel=SEED.sales)
    form = app.last.form
    assert app.last.headers["content-type"] == "application/x-www-form-urlencoded"
    assert (form["command"], form["text"], form["user_id"]) == ("/scout", "Globex", SEED.scout)
    assert (form["channel_id"], form["channel_name"], form["team_id"]) == (
        SEED.sales,
        "sales",
        SEED.team_id,
    )
    client = WebClient(token=SEED.bot_token, base_url=emu.api_url)
    view = {"type": "modal", "title": {"type": "plain_text", "text": "Scout"}, "blocks": []}
    view["blocks"] = [{"type": "section", "text": {"type": "mrkdwn", "text": "hi"}}]
    assert client.views_open(trigger_id=form["trigger_id"], view=view)["ok"]
    reply = json.dumps({"text": "Logged!"}).encode()
    request = urllib.request.Request(
        form["response_url"], data=reply, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=5) as resp:
        assert resp.status == 200
    assert emu.response_url_posts[0].payload == {"text": "Logged!"}
    assert emu.ephemerals(SEED.sales)[0]["text"] == "Logged!"


def test_block_action_on_a_message_carries_container_message_and_element(
    driver: SlackDriver, app: SigningCheckingApp, emu: SlackEmulator
) -> None:
    client = WebClient(token=SEED.bot_token, base_url=emu.api_url)
    button = {
        "type": "button",
        "action_id": "ack",
        "value": "d-42",
        "text": {"type": "plain_text", "text": "Acknowledge"},
    }
    blocks = [{"type": "actions", "block_id": "card", "elements": [button]}]
    ts = client.chat_postMessage(channel=SEED.sales, text="card", blocks=blocks)["ts"]
    driver.block_action(user=SEED.sally, action_id="ack", message=ts, channel=SEED.sales)
    payload = app.last.payload
    assert payload["type"] == "block_actions"
    assert payload["actions"][0] | {"action_ts": None} == {
        "action_id": "ack",
        "block_id": "card",
        "type": "button",
        "value": "d-42",
        "text": {"type": "plain_text", "text": "Acknowledge"},
        "action_ts": None,
    }
    assert payload["container"] == {
        "type": "message",
        "message_ts": ts,
        "channel_id": SEED.sales,
        "is_ephemeral": False,
    }
    assert payload["message"]["ts"] == ts
    assert payload["channel"] == {"id": SEED.sales, "name": "sales"}
    assert payload["response_url"].startswith(emu.base_url)
    assert payload["user"]["id"] == SEED.sally and payload["user"]["username"] == "sally"


def test_block_action_selection_in_a_view(
    driver: SlackDriver, app: SigningCheckingApp, emu: SlackEmulator
) -> None:
    select = {
        "type": "static_select",
        "action_id": "route",
        "options": [{"text": {"type": "plain_text", "text": "Sales"}, "value": "sales"}],
    }
    view = {
        "type": "modal",
        "title": {"type": "plain_text", "text": "Route"},
        "blocks": [{"type": "actions", "block_id": "routes", "elements": [select]}],
    }
    client = WebClient(token=SEED.bot_token, base_url=emu.api_url)
    trigger = emu.mint_trigger_id(SEED.scout)
    view_id = client.views_open(trigger_id=trigger, view=view)["view"]["id"]
    driver.block_action(user=SEED.scout, action_id="route", view=view_id, selected_option="sales")
    payload = app.last.payload
    assert payload["container"] == {"type": "view", "view_id": view_id}
    assert payload["view"]["id"] == view_id
    assert payload["actions"][0]["selected_option"]["text"]["text"] == "Sales"


def test_view_submission_sends_state_values_and_closes_the_modal(
    driver: SlackDriver, app: SigningCheckingApp, emu: SlackEmulator
) -> None:
    view = {
        "type": "modal",
        "callback_id": "discovery",
        "private_metadata": '{"d": 1}',
        "title": {"type": "plain_text", "text": "Discovery"},
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "x"}}],
    }
    client = WebClient(token=SEED.bot_token, base_url=emu.api_url)
    opened = client.views_open(trigger_id=emu.mint_trigger_id(SEED.scout), view=view)["view"]
    driver.view_submission(user=SEED.scout, view=opened["id"], values={"outcome": {"v": "Faster"}})
    submitted = app.last.payload["view"]
    assert (submitted["id"], submitted["hash"]) == (opened["id"], opened["hash"])
    assert submitted["callback_id"] == "discovery"
    assert submitted["private_metadata"] == '{"d": 1}'
    assert submitted["state"]["values"] == {
        "outcome": {"v": {"type": "plain_text_input", "value": "Faster"}}
    }
    assert emu.modal_stack(SEED.scout) == []


def test_response_url_can_replace_the_original_message(
    driver: SlackDriver, app: SigningCheckingApp, emu: SlackEmulator
) -> None:
    client = WebClient(token=SEED.bot_token, base_url=emu.api_url)
    ts = client.chat_postMessage(channel=SEED.sales, text="New discovery")["ts"]
    driver.block_action(user=SEED.sally, action_id="ack", message=ts, channel=SEED.sales)
    reply = json.dumps({"text": "Acknowledged by Sally", "replace_original": True}).encode()
    request = urllib.request.Request(
        app.last.payload["response_url"], data=reply, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=5) as resp:
        assert resp.status == 200
    assert emu.message(SEED.sales, ts)["text"] == "Acknowledged by Sally"
