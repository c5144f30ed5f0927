"""Slack retries are recognised by their ids, in the database, even when they race."""

from storage.engine import session_scope
from storage.queries import record_request_once


def test_retried_request_is_recorded_once(session):
    assert record_request_once(session=session, key="Ev001", kind="event") is True
    assert record_request_once(session=session, key="Ev001", kind="event") is False


def test_different_requests_are_each_recorded(session):
    assert record_request_once(session=session, key="Ev001", kind="event") is True
    assert record_request_once(session=session, key="Ev002", kind="event") is True


def test_a_request_seen_before_a_restart_is_still_a_duplicate(engine):
    with session_scope(engine) as session:
        record_request_once(session=session, key="V123", kind="view_submission")

    engine.dispose()  # as if the process restarted: no state but the database

    with session_scope(engine) as session:
        assert record_request_once(session=session, key="V123", kind="view_submission") is False


def test_a_request_whose_handling_failed_counts_as_new_on_retry(engine):
    try:
        with session_scope(engine) as session:
            record_request_once(session=session, key="Ev9", kind="event")
            raise RuntimeError("handler crashed")
    except RuntimeError:
        pass

    with session_scope(engine) as session:
        assert record_request_once(session=session, key="Ev9", kind="event") is True


def test_racing_retries_of_one_request_record_it_exactly_once(engine, race):
    def deliver() -> bool:
        with session_scope(engine) as session:
            return record_request_once(session=session, key="Ev-race", kind="event")

    results = race(8, deliver)

    assert sorted(results) == [False] * 7 + [True]
