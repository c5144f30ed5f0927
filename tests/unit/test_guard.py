"""The guard reads every modal's metadata the way its listener will, and finds lone surrogates."""

import json

import pytest

from bot.listeners.guard import METADATA, METADATA_ERRORS, has_lone_surrogate
from bot.rendering.ids import CallbackId

WITHOUT_METADATA = {CallbackId.CONFIG, CallbackId.LOG_DISCOVERY_SHORTCUT, CallbackId.ACCOUNT_MERGE}


def test_every_modal_with_metadata_has_a_reader():
    assert set(METADATA) == set(CallbackId) - WITHOUT_METADATA


@pytest.mark.parametrize("callback", list(METADATA))
@pytest.mark.parametrize(
    "metadata",
    ["", "{", "[]", "7", '{"dialogue_id": null, "discovery_id": null, "d": null}',
     json.dumps({"dialogue_id": "x", "discovery_id": "x", "d": "x", "c": "C1"}),
     json.dumps({"dialogue_id": 1e999, "discovery_id": 1e999, "d": 1e999, "c": "C1"})],
)  # fmt: skip
def test_garbage_metadata_is_refused_by_every_reader(callback, metadata):
    with pytest.raises(METADATA_ERRORS):
        METADATA[callback]({"private_metadata": metadata})


@pytest.mark.parametrize(
    "callback", sorted(set(METADATA) - {CallbackId.DISCOVERY_MODAL, CallbackId.DISCOVERY_ROUTES})
)
def test_a_channel_that_is_not_a_string_is_refused(callback):
    metadata = json.dumps({"discovery_id": 1, "origin": 5, "d": 1, "c": 5})
    with pytest.raises(METADATA_ERRORS):
        METADATA[callback]({"private_metadata": metadata})


@pytest.mark.parametrize(
    "value, expected",
    [("plain", False), ("an emoji 😀 whole", False), ("half \ud83d", True),
     ({"k\udc00": 1}, True), ([[[["\ud800"]]]], True), ({"a": [1, None, 2.5]}, False)],
)  # fmt: skip
def test_lone_surrogates_are_found_at_any_depth(value, expected):
    assert has_lone_surrogate(value) is expected


def test_a_very_deep_value_is_walked_without_recursion():
    deep: list = ["\ud800"]
    for _ in range(100_000):
        deep = [deep]
    assert has_lone_surrogate(deep)
