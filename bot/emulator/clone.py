"""Copies of the emulator's state that a caller may change freely."""

from __future__ import annotations

import pickle
from typing import TypeVar

T = TypeVar("T")


def clone(value: T) -> T:
    """A deep copy of JSON-like data, about five times faster than `copy.deepcopy`: the model
    test reads every channel after every step, and deepcopy was a quarter of its time."""
    return pickle.loads(pickle.dumps(value, pickle.HIGHEST_PROTOCOL))
