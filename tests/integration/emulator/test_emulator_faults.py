"""Injected faults look like Slack's, and slack_sdk's retry handlers recover from them."""

from __future__ import annotations

import time

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import (
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.builtin_interval_calculators import FixedValueRetryIntervalCalculator

from bot.emulator import SEED, CallTimeout, SlackEmulator


def test_rate_limited_post_is_retried_after_retry_after(
    client: WebClient, emu: SlackEmulator
) -> None:
    client.retry_handlers.append(RateLimitErrorRetryHandler(max_retry_count=1))
    emu.faults.rate_limit("chat.postMessage", retry_after=1)
    started = time.monotonic()
    answer = client.chat_postMessage(channel=SEED.sales, text="digest")
    assert answer["ok"]
    assert time.monotonic() - started >= 1.0
    attempts = emu.calls_to("chat.postMessage")
    assert [c.status for c in attempts] == [429, 200]
    assert len(emu.messages(SEED.sales)) == 1


def test_rate_limit_answer_has_retry_after_and_ratelimited(
    client: WebClient, emu: SlackEmulator
) -> None:
    emu.faults.rate_limit("*", retry_after=7)
    with pytest.raises(SlackApiError) as info:
        client.auth_test()
    assert info.value.response.status_code == 429
    assert info.value.response.headers["Retry-After"] == "7"
    assert info.value.response["error"] == "ratelimited"


def test_server_error_then_success_with_server_error_retry_handler(
    client: WebClient, emu: SlackEmulator
) -> None:
    fast = FixedValueRetryIntervalCalculator(fixed_internal=0.01)
    client.retry_handlers.append(
        ServerErrorRetryHandler(max_retry_count=2, interval_calculator=fast)
    )
    emu.faults.server_error("chat.postMessage", status=503, times=2)
    assert client.chat_postMessage(channel=SEED.sales, text="x")["ok"]
    assert [c.status for c in emu.calls_to("chat.postMessage")] == [503, 503, 200]


def test_server_error_without_retries_surfaces(client: WebClient, emu: SlackEmulator) -> None:
    emu.faults.server_error("users.info", status=500)
    with pytest.raises(SlackApiError) as info:
        client.users_info(user=SEED.scout)
    assert info.value.response.status_code == 500
    assert client.users_info(user=SEED.scout)["ok"]


def test_error_fault_answers_ok_false_with_that_code_once(
    client: WebClient, emu: SlackEmulator
) -> None:
    emu.faults.error("chat.postMessage", "channel_not_found")
    with pytest.raises(SlackApiError) as info:
        client.chat_postMessage(channel=SEED.sales, text="x")
    assert info.value.response.status_code == 200
    assert info.value.response["error"] == "channel_not_found"
    assert client.chat_postMessage(channel=SEED.sales, text="x")["ok"]


def test_faults_for_other_methods_do_not_apply(client: WebClient, emu: SlackEmulator) -> None:
    emu.faults.error("views.open", "expired_trigger_id", times=None)
    assert client.chat_postMessage(channel=SEED.sales, text="x")["ok"]


def test_latency_delays_the_answer(client: WebClient, emu: SlackEmulator) -> None:
    emu.faults.latency("auth.test", 0.3, times=1)
    started = time.monotonic()
    client.auth_test()
    assert time.monotonic() - started >= 0.3
    started = time.monotonic()
    client.auth_test()
    assert time.monotonic() - started < 0.3


def test_clear_removes_every_fault(client: WebClient, emu: SlackEmulator) -> None:
    emu.faults.server_error("*", times=None)
    emu.faults.clear()
    assert client.auth_test()["ok"]


def test_posting_faster_than_once_a_second_per_channel_is_rate_limited(
    client: WebClient, emu: SlackEmulator
) -> None:
    emu.faults.limit_rate("chat.postMessage", per_second=1.0, per="channel")
    assert client.chat_postMessage(channel=SEED.sales, text="1")["ok"]
    assert client.chat_postMessage(channel=SEED.product, text="other channel")["ok"]
    with pytest.raises(SlackApiError) as info:
        client.chat_postMessage(channel=SEED.sales, text="2")
    assert info.value.response.status_code == 429
    assert info.value.response.headers["Retry-After"] == "1"


def test_wait_for_call_returns_the_matching_call(client: WebClient, emu: SlackEmulator) -> None:
    client.chat_postMessage(channel=SEED.sales, text="a")
    client.chat_postMessage(channel=SEED.product, text="b")
    call = emu.wait_for_call("chat.postMessage", lambda c: c.params["channel"] == SEED.product)
    assert call.params["text"] == "b"
    assert call.ok


def test_wait_for_call_timeout_lists_the_calls_made(client: WebClient, emu: SlackEmulator) -> None:
    client.chat_postMessage(channel=SEED.sales, text="a")
    with pytest.raises(CallTimeout) as info:
        emu.wait_for_call("views.open", timeout=0.1)
    message = str(info.value)
    assert "no matching views.open call within 0.1s" in message
    assert "chat.postMessage(C0SALES) -> ok" in message
    assert isinstance(info.value, AssertionError)


def test_reset_calls_forgets_the_record(client: WebClient, emu: SlackEmulator) -> None:
    client.auth_test()
    emu.reset_calls()
    assert emu.calls == []
