"""Pacing: about one post per second per channel, without holding up the other channels."""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable

from sqlalchemy import Engine

from bot.discoveries.delivery import DeliveryWorker
from bot.emulator import SEED, SlackEmulator

Submit = Callable[..., int]


def _wait_until(condition: Callable[[], bool], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def test_posts_to_one_channel_are_a_second_apart_while_other_channels_go_at_once(
    emulator: SlackEmulator, make_worker: Callable[..., DeliveryWorker], submit: Submit
):
    for number in range(5):
        submit(key=f"view:{number}", routes=[("sales", "Money")])
    submit(key="view:marketing", routes=[("marketing", "A story")])
    worker = make_worker(clock=time.time, per_channel_interval=1.0, poll_interval=0.05)

    worker.start()
    try:
        _wait_until(lambda: len(emulator.messages(SEED.sales)) == 5, timeout=15)
    finally:
        worker.stop()

    posts = [c for c in emulator.calls_to("chat.postMessage") if c.ok]
    sales = [c.at for c in posts if c.params["channel"] == SEED.sales]
    [marketing] = [c.at for c in posts if c.params["channel"] == SEED.marketing]
    assert len(sales) == 5
    assert min(later - earlier for earlier, later in itertools.pairwise(sales)) >= 0.9
    assert marketing < sales[1]  # not queued behind the sales channel


def test_wake_delivers_at_once_instead_of_at_the_next_poll(
    engine: Engine,
    emulator: SlackEmulator,
    make_worker: Callable[..., DeliveryWorker],
    submit: Submit,
):
    worker = make_worker(clock=time.time, poll_interval=60)
    worker.start()
    try:
        time.sleep(0.3)  # let the first drain find nothing and start its 60 s wait
        submit()
        worker.wake()
        emulator.wait_for_call("chat.postMessage", timeout=5)
    finally:
        worker.stop()
