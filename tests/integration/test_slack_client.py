"""The production Web API client against the emulator over real HTTP: kept-alive connections,
and every answer and failure as slack_sdk's own client sees it."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.error import URLError

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.bootstrap import load_settings
from bot.discoveries.outbox_jobs import classify
from bot.emulator import SEED, SlackEmulator
from bot.slack_client import KeepAliveWebClient, build_web_client


@pytest.fixture
def emulator() -> Iterator[SlackEmulator]:
    with SlackEmulator() as emulator:
        yield emulator


def keep_alive(emulator: SlackEmulator) -> KeepAliveWebClient:
    return KeepAliveWebClient(token=SEED.bot_token, base_url=emulator.api_url, retry_handlers=[])


def test_calls_share_one_connection_where_slack_sdk_opens_one_each(emulator):
    plain = WebClient(token=SEED.bot_token, base_url=emulator.api_url)
    for number in range(5):
        plain.chat_postMessage(channel=SEED.sales, text=f"plain {number}")
    assert emulator.connections_opened == 5

    client = keep_alive(emulator)
    for number in range(5):
        assert client.chat_postMessage(channel=SEED.sales, text=f"kept {number}")["ok"]
    assert client.conversations_history(channel=SEED.sales)["messages"][0]["text"] == "kept 4"
    assert emulator.connections_opened == 5 + 1


def test_a_connection_the_server_closed_while_idle_is_replaced_not_failed(emulator):
    client = keep_alive(emulator)
    client.auth_test()
    emulator._server.close_connections()  # as a load balancer ends an idle connection

    assert client.chat_postMessage(channel=SEED.sales, text="after the close")["ok"]
    assert emulator.connections_opened == 2


def test_slack_errors_and_headers_read_as_with_slack_sdk_own_client(emulator):
    for client in (
        keep_alive(emulator),
        WebClient(token=SEED.bot_token, base_url=emulator.api_url, retry_handlers=[]),
    ):
        emulator.faults.rate_limit("chat.postMessage", retry_after=7, times=1)
        with pytest.raises(SlackApiError) as refused:
            client.chat_postMessage(channel=SEED.sales, text="too fast")
        assert classify(refused.value) == ("ratelimited", 7.0, False)
        with pytest.raises(SlackApiError) as unknown:
            client.chat_postMessage(channel="C0NOWHERE", text="lost")
        assert unknown.value.response["error"] == "channel_not_found"


def test_the_production_client_still_retries_a_rate_limit_and_a_server_error(emulator):
    settings = load_settings(
        _env_file=None, SLACK_BOT_TOKEN=SEED.bot_token, SLACK_API_URL=emulator.api_url
    )
    client = build_web_client(settings)
    emulator.faults.rate_limit("chat.postMessage", retry_after=0, times=1)
    emulator.faults.server_error("chat.postMessage", status=503, times=1)

    assert client.chat_postMessage(channel=SEED.sales, text="third time")["ok"]
    assert [c.status for c in emulator.calls_to("chat.postMessage")] == [429, 503, 200]


def test_an_unreachable_api_fails_as_urllib_does(emulator):
    client = keep_alive(emulator)
    emulator.stop()

    with pytest.raises(URLError):
        client.auth_test()
