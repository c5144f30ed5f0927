"""Each digest goes out once per channel and period, however many processes try."""

from datetime import UTC, datetime

from sqlmodel import select

from storage.engine import session_scope
from storage.enums import DigestRunStatus
from storage.models import DigestRun
from storage.queries import claim_digest_run, mark_digest_failed, mark_digest_sent

MONDAY = datetime(2026, 11, 16, 9, 0, tzinfo=UTC)
WEEK = {"digest": "sales", "channel_id": "CSALES", "period": "2026-W47"}


def test_only_the_first_claim_of_a_digest_wins(session):
    assert claim_digest_run(session=session, now=MONDAY, **WEEK) is True
    assert claim_digest_run(session=session, now=MONDAY, **WEEK) is False


def test_other_periods_and_channels_are_claimed_separately(session):
    claim_digest_run(session=session, now=MONDAY, **WEEK)

    assert claim_digest_run(session=session, now=MONDAY, **{**WEEK, "period": "2026-W48"})
    assert claim_digest_run(session=session, now=MONDAY, **{**WEEK, "channel_id": "COTHER"})
    assert claim_digest_run(session=session, now=MONDAY, **{**WEEK, "digest": "coach"})


def test_a_sent_digest_cannot_be_claimed_again(session):
    claim_digest_run(session=session, now=MONDAY, **WEEK)
    mark_digest_sent(session=session, now=MONDAY, **WEEK)

    assert claim_digest_run(session=session, now=MONDAY, **WEEK) is False
    run = session.exec(select(DigestRun)).one()
    assert run.status is DigestRunStatus.SENT
    assert run.sent_at == MONDAY


def test_a_failed_digest_can_be_claimed_once_more(session):
    claim_digest_run(session=session, now=MONDAY, **WEEK)
    mark_digest_failed(session=session, **WEEK)

    assert claim_digest_run(session=session, now=MONDAY, **WEEK) is True
    assert claim_digest_run(session=session, now=MONDAY, **WEEK) is False


def test_racing_schedulers_claim_a_digest_exactly_once(engine, race):
    def claim() -> bool:
        with session_scope(engine) as session:
            return claim_digest_run(session=session, now=MONDAY, **WEEK)

    results = race(8, claim)

    assert sorted(results) == [False] * 7 + [True]
