"""What a request's work uses, built once by the composition root and handed out by middleware."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

import prompts
from bot.dialogue.turns import rules_at
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
    default_rules: DialogueRules  # the deployment's prompts/
    delivery: DeliveryWorker | None = None

    def __deepcopy__(self, memo: dict) -> Services:
        return self

    @property
    def rules(self) -> DialogueRules:
        """The questions, routing rules and value network of the workspace at work here: its
        own copy of prompts/ (read once per copy), else the deployment's."""
        copy = prompts.workspace_copy()
        return self.default_rules if copy is None else rules_at(copy)

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
