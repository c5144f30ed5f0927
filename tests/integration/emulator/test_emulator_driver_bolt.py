"""A real slack_bolt App accepts and routes every payload the driver sends, and its Web API
calls land in the emulator: the whole loop without a Slack workspace."""

from __future__ import annotations

import socketserver
import threading
from collections.abc import Iterator
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest
from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient

from bot.emulator import SEED, SlackDriver, SlackEmulator

SECRET = "bolt-signing-secret"


def modal(callback_id: str, title: str = "Discovery") -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": callback_id,
        "notify_on_close": True,
        "title": {"type": "plain_text", "text": title},
        "submit": {"type": "plain_text", "text": "Send"},
        "blocks": [
            {
                "type": "input",
                "block_id": "outcome",
                "label": {"type": "plain_text", "text": "Outcome"},
                "element": {"type": "plain_text_input", "action_id": "value"},
            }
        ],
    }


class ThreadingWSGIServer(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def build_app(emu: SlackEmulator, seen: list[tuple[str, Any]]) -> App:
    client = WebClient(token=SEED.bot_token, base_url=emu.api_url)
    app = App(client=client, signing_secret=SECRET, process_before_response=True)

    @app.command("/scout")
    def handle_scout_command(ack, body, client) -> None:
        ack()
        seen.append(("command", body["text"]))
        client.views_open(trigger_id=body["trigger_id"], view=modal("discovery"))

    @app.event("message")
    def handle_message(event, say) -> None:
        seen.append(("message", event["text"]))
        say(text=f"Got it: {event['text']}")

    @app.event("app_home_opened")
    def handle_home(event, client) -> None:
        seen.append(("home", event["user"]))
        blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "Your discoveries"}}]
        client.views_publish(user_id=event["user"], view={"type": "home", "blocks": blocks})

    @app.action("ack")
    def handle_ack(ack, body, respond) -> None:
        ack()
        seen.append(("action", body["actions"][0]["value"]))
        respond(text="Acknowledged", replace_original=False)

    @app.shortcut("log_from_message")
    def handle_message_shortcut(ack, shortcut, client) -> None:
        ack()
        seen.append(("message_shortcut", shortcut["message"]["text"]))
        client.views_open(trigger_id=shortcut["trigger_id"], view=modal("discovery"))

    @app.shortcut("log_discovery")
    def handle_global_shortcut(ack, shortcut) -> None:
        ack()
        seen.append(("global_shortcut", shortcut["user"]["id"]))

    @app.view("discovery")
    def handle_submission(ack, view) -> None:
        value = view["state"]["values"]["outcome"]["value"]["value"]
        seen.append(("view_submission", value))
        if len(value) < 3:
            ack(response_action="errors", errors={"outcome": "Tell us a bit more"})
        else:
            ack()

    @app.view_closed("discovery")
    def handle_closed(ack, view) -> None:
        ack()
        seen.append(("view_closed", view["id"]))

    return app


@pytest.fixture
def seen() -> list[tuple[str, Any]]:
    return []


@pytest.fixture
def driver(emu: SlackEmulator, seen: list) -> Iterator[SlackDriver]:
    handler = SlackRequestHandler(build_app(emu, seen))
    server = make_server(
        "127.0.0.1", 0, handler, server_class=ThreadingWSGIServer, handler_class=QuietHandler
    )
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    yield SlackDriver(f"http://127.0.0.1:{server.server_port}/slack/events", SECRET, emulator=emu)
    server.shutdown()
    server.server_close()


def test_bolt_answers_url_verification(driver: SlackDriver) -> None:
    response = driver.url_verification("c-123")
    assert (response.status, response.json) == (200, {"challenge": "c-123"})


def test_bolt_refuses_a_badly_signed_request(driver: SlackDriver) -> None:
    body = '{"type": "event_callback", "event": {"type": "message"}}'
    headers = {**driver.sign(body), "X-Slack-Signature": "v0=deadbeef"}
    assert driver.raw(body, {"Content-Type": "application/json", **headers}).status == 401


def test_bolt_routes_a_dm_and_its_reply_lands_in_the_dm(
    driver: SlackDriver, emu: SlackEmulator, seen: list
) -> None:
    assert driver.message(SEED.scout, "Globex wants faster onboarding").status == 200
    assert ("message", "Globex wants faster onboarding") in seen
    texts = [m["text"] for m in emu.messages(emu.dm_channel_for(SEED.scout))]
    assert texts == ["Globex wants faster onboarding", "Got it: Globex wants faster onboarding"]


def test_bolt_routes_a_command_that_opens_a_modal_then_submission_closes_it(
    driver: SlackDriver, emu: SlackEmulator, seen: list
) -> None:
    assert driver.command("/scout", "Globex", user=SEED.scout).status == 200
    view = emu.modal_stack(SEED.scout)[0]
    values = {"outcome": {"value": "ok"}}
    rejected = driver.view_submission(user=SEED.scout, view=view["id"], values=values)
    assert rejected.json == {
        "response_action": "errors",
        "errors": {"outcome": "Tell us a bit more"},
    }
    assert len(emu.modal_stack(SEED.scout)) == 1
    values = {"outcome": {"value": "Halve onboarding time"}}
    accepted = driver.view_submission(user=SEED.scout, view=view["id"], values=values)
    assert accepted.status == 200
    assert emu.modal_stack(SEED.scout) == []
    assert seen[0] == ("command", "Globex")
    assert seen[-1] == ("view_submission", "Halve onboarding time")


def test_bolt_routes_view_closed(driver: SlackDriver, emu: SlackEmulator, seen: list) -> None:
    driver.global_shortcut(user=SEED.scout, callback_id="log_discovery")
    client = WebClient(token=SEED.bot_token, base_url=emu.api_url)
    trigger = emu.mint_trigger_id(SEED.scout)
    view_id = client.views_open(trigger_id=trigger, view=modal("discovery"))["view"]["id"]
    assert driver.view_closed(user=SEED.scout, view=view_id).status == 200
    assert ("global_shortcut", SEED.scout) in seen
    assert ("view_closed", view_id) in seen
    assert emu.modal_stack(SEED.scout) == []


def test_bolt_routes_a_button_and_respond_reaches_the_response_url(
    driver: SlackDriver, emu: SlackEmulator, seen: list
) -> None:
    client = WebClient(token=SEED.bot_token, base_url=emu.api_url)
    button = {
        "type": "button",
        "action_id": "ack",
        "value": "disc-7",
        "text": {"type": "plain_text", "text": "Acknowledge"},
    }
    blocks = [{"type": "actions", "elements": [button]}]
    ts = client.chat_postMessage(channel=SEED.sales, text="card", blocks=blocks)["ts"]
    assert driver.block_action(user=SEED.sally, action_id="ack", message=ts, channel=SEED.sales)
    assert ("action", "disc-7") in seen
    assert emu.response_url_posts[0].payload["text"] == "Acknowledged"
    assert emu.ephemerals(SEED.sales)[0]["to_user"] == SEED.sally


def test_bolt_routes_a_message_shortcut_and_app_home(
    driver: SlackDriver, emu: SlackEmulator, seen: list
) -> None:
    ts = emu.workspace.add_user_message(SEED.sales, SEED.sally, "Customer said: we lose a day")
    driver.message_shortcut(
        user=SEED.sally, callback_id="log_from_message", message=ts, channel=SEED.sales
    )
    assert ("message_shortcut", "Customer said: we lose a day") in seen
    assert emu.modal_stack(SEED.sally)[0]["callback_id"] == "discovery"
    driver.app_home_opened(SEED.dana)
    assert emu.home_view(SEED.dana)["blocks"][0]["text"]["text"] == "Your discoveries"
