"""What a request's work uses, built once by the composition root and handed out by middleware."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from storage.engine import read_scope, session_scope

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlmodel import Session

    from bot.dialogue.turns import DialogueRules
    from bot.discoveries.delivery import DeliveryWorker
    from bot.settings import Settings


@dataclass(frozen=True)
class Services:
    """The settings, database and delivery. Shared by reference: Bolt deep-copies a lazy
    listener's context, and a copy of an engine or a worker would be a second one."""

    settings: Settings
    engine: Engine
    rules: DialogueRules
    delivery: DeliveryWorker | None = None

    def __deepcopy__(self, memo: dict) -> Services:
        return self

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work: committed when the block ends, rolled back on error."""
        with session_scope(self.engine) as session:
            yield session

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """Reads only: on SQLite no write lock is taken."""
        with read_scope(self.engine) as session:
            yield session

    def wake_delivery(self) -> None:
        """Queued posts and redraws are due now, not at the next poll."""
        if self.delivery is not None:
            self.delivery.wake()
