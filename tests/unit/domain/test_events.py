"""Domain events: plain data that survives the log, and one handler map that covers them all."""

import pytest

from bot.domain.events import (
    EVENT_TYPES,
    DiscoveryRerouted,
    DiscoveryShared,
    DiscoverySubmitted,
    RouteStageChanged,
    event_data,
    event_from,
)
from bot.effects.handlers import HANDLERS, call_webhook

SAMPLES = [
    DiscoverySubmitted(7, "U0SCOUT", channels={"sales": "C0SALES"}),
    RouteStageChanged(7, "U0DANA", stage_change_id=2, follow_up_id=1, route="sales", stage="won"),
    DiscoveryRerouted(
        7,
        "U0DANA",
        change_id=3,
        channel_id="C0SALES",
        route="sales",
        to_route="product",
        to_channel_id="C0PRODUCT",
    ),
    DiscoveryShared(
        7,
        "U0DANA",
        change_id=4,
        channel_id="C0SALES",
        route="sales",
        to_route="marketing",
        to_channel_id="C0MARKETING",
    ),
]


@pytest.mark.parametrize("event", SAMPLES, ids=lambda event: event.type)
def test_an_event_is_the_same_after_the_log(event):
    assert event_from(event.type, event_data(event)) == event


def test_types_are_dotted_lowercase_and_each_has_effects_and_a_webhook():
    assert set(EVENT_TYPES) == {
        "discovery.submitted", "discovery.edited", "discovery.withdrawn", "discovery.rerouted",
        "discovery.shared", "discovery.supported",
        "route.acknowledged", "route.actioned", "route.declined", "route.stage_changed",
    }  # fmt: skip
    assert set(HANDLERS) == set(EVENT_TYPES.values())
    assert all(call_webhook in handlers for handlers in HANDLERS.values())


def test_a_field_a_later_version_dropped_is_ignored():
    data = event_data(SAMPLES[0]) | {"gone": 1}
    assert event_from("discovery.submitted", data) == SAMPLES[0]
