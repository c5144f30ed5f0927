"""Pacing: about one post per second per channel, without holding up the other channels."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from sqlalchemy import Engine

from bot.discoveries.delivery import DeliveryWorker
from bot.emulator import SEED, ManualClock, SlackEmulator

Submit = Callable[..., int]


@pytest.fixture
def clock() -> ManualClock:
    """A whole second to start from, so that the quarter seconds added to it stay exact."""
    return ManualClock(start=float(int(time.time())))


def test_posts_to_one_channel_are_a_second_apart_while_other_channels_go_at_once(
    emulator: SlackEmulator,
    make_worker: Callable[..., DeliveryWorker],
    submit: Submit,
    clock: ManualClock,
):
    for number in range(5):
        submit(key=f"view:{number}", routes=[("sales", "Money")])
    submit(key="view:marketing", routes=[("marketing", "A story")])
    worker = make_worker(per_channel_interval=1.0)

    def drain_at(later: float) -> tuple[int, int]:
        """Move the clock, drain what is due (cards and receipts fill more than one batch)."""
        clock.advance(later)
        for _ in range(3):
            worker.drain_once()
        return len(emulator.messages(SEED.sales)), len(emulator.messages(SEED.marketing))

    assert drain_at(0) == (1, 1)  # marketing is not queued behind the sales channel
    for sent in range(1, 5):
        assert drain_at(0.75) == (sent, 1)  # not before a second has passed
        assert drain_at(0.25) == (sent + 1, 1)  # and not later either
    assert drain_at(5) == (5, 1)


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
