"""What the person playing has been shown: each message and view with a number like [m12]."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import StrEnum

from bot.cli.terminal import blocks_as_lines
from bot.emulator.controls import Control


class Kind(StrEnum):
    """Where something is shown."""

    MESSAGE = "message"  # in a channel or a DM, for everyone in it
    EPHEMERAL = "ephemeral"  # in a channel, for one person only
    MODAL = "modal"
    HOME = "home"


@dataclass(frozen=True)
class Surface:
    """A message, an ephemeral message, a form or a Home tab the demo has numbered."""

    kind: Kind
    channel: str | None = None  # a message's channel
    ts: str | None = None  # a message's ts
    view_id: str | None = None  # a view's id
    owner: str | None = None  # who alone sees it: an ephemeral's reader, a view's user


class Screen:
    """Numbers what is shown, prints it with its controls numbered, remembers ticked boxes."""

    def __init__(
        self, names: dict[str, str], out: Callable[[str], object],
        numbers: Iterator[int] | None = None,
    ) -> None:  # fmt: skip
        """`numbers`: shared by the screens of several workspaces, so no two handles repeat."""
        self.names, self.out = names, out
        self._lock = threading.RLock()  # messages arrive from the emulator's threads
        self.numbers = numbers or itertools.count(1)
        self._numbers: dict[Surface, int] = {}
        self._ticked: dict[tuple[Surface, str, str], list[dict]] = {}

    def handle(self, surface: Surface) -> str:
        """Its short name, `m12`, given the first time it is shown."""
        with self._lock:
            if surface not in self._numbers:
                self._numbers[surface] = next(self.numbers)
            number = self._numbers[surface]
        return f"m{number}"

    def find(self, handle: str) -> Surface | None:
        """The surface called `m12` (or `12`), if one was shown."""
        wanted = handle.strip().lower().removeprefix("m")
        with self._lock:
            return next((s for s, n in self._numbers.items() if str(n) == wanted), None)

    def known(self, surface: Surface) -> bool:
        """Whether it was shown (and so has a number)."""
        with self._lock:
            return surface in self._numbers

    def show(self, heading: str, content: dict | None, surface: Surface | None = None) -> None:
        """Print a message or view as the Slack client shows it, numbered when it can be used."""
        numbered = surface is not None
        lines = blocks_as_lines(content, self.names, numbered=numbered) if content else []
        with self._lock:
            name = f"  [{self.handle(surface)}]" if surface is not None else ""
            self.out(f"── {heading}{name}\n" + "".join(f"   {line}\n" for line in lines))

    def say(self, text: str) -> None:
        """One line of the demo's own (indented, so it reads apart from the bot)."""
        with self._lock:
            self.out(f"   {text}\n")

    def ticked(self, surface: Surface, control: Control) -> list[dict]:
        """The boxes ticked in a checkbox group, as the client shows them after clicks."""
        key = (surface, control.block_id, control.action_id)
        with self._lock:
            return self._ticked.get(key, control.element.get("initial_options") or [])

    def tick(self, surface: Surface, control: Control, options: list[dict]) -> None:
        """Remember the boxes ticked now (the client keeps them until the message changes)."""
        with self._lock:
            self._ticked[(surface, control.block_id, control.action_id)] = options

    def redrawn(self, surface: Surface) -> None:
        """The message changed: its boxes show what it now says."""
        with self._lock:
            for key in [key for key in self._ticked if key[0] == surface]:
                del self._ticked[key]
