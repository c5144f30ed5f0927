"""Helpers for storage tests: sessions on the test engine and a thread race runner."""

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import Engine
from sqlmodel import Session

from storage.engine import create_engine_for, session_scope

Race = Callable[[int, Callable[[], Any]], list[Any]]


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session on the test database, committed at the end of the test."""
    with session_scope(engine) as session:
        yield session


def _race(count: int, work: Callable[[], Any]) -> list[Any]:
    """Run work in count threads released at the same instant; return their results."""
    barrier = threading.Barrier(count)

    def contender() -> Any:
        barrier.wait(timeout=10)
        return work()

    with ThreadPoolExecutor(max_workers=count) as pool:
        futures = [pool.submit(contender) for _ in range(count)]
        return [future.result(timeout=30) for future in futures]


@pytest.fixture
def race() -> Race:
    """Return a function that runs a callable in N threads at once."""
    return _race


def insert_discoveries(url: str, rows: list[dict[str, Any]]) -> None:
    """Insert discovery rows as raw SQL, for a schema older than the models (migration tests)."""
    columns = ", ".join(rows[0])
    values = ", ".join(f":{name}" for name in rows[0])
    engine = create_engine_for(url)
    with engine.begin() as connection:
        connection.execute(sa.text(f"INSERT INTO discoveries ({columns}) VALUES ({values})"), rows)
    engine.dispose()
