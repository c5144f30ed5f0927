"""Channel pacing in the database: one post at a time per channel whoever asks, the next one
an interval after Slack answered, and 429 pauses that every process sees."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine

from storage.engine import session_scope
from storage.queries import claim_channel_slot, paced_channels, pause_channel, release_channel_slot
from tests.integration.storage.conftest import Race

NOW = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)
SECOND = timedelta(seconds=1)
INTERVAL = timedelta(seconds=1.1)
HOLD = timedelta(seconds=30)


def claim(engine: Engine, channel: str = "CSALES", at: datetime = NOW) -> datetime | None:
    """Take the channel in a transaction of its own, as the delivery worker does."""
    with session_scope(engine) as session:
        return claim_channel_slot(session=session, channel_id=channel, now=at, hold=at + HOLD)


def release(engine: Engine, taken_at: datetime, answered_at: datetime, channel: str = "CSALES"):
    """Free a channel taken at `taken_at`, Slack having answered at `answered_at`."""
    with session_scope(engine) as session:
        release_channel_slot(
            session=session, channel_id=channel, hold=taken_at + HOLD,
            free_at=answered_at + INTERVAL,
        )  # fmt: skip


def pause(engine: Engine, until: datetime, channel: str = "CSALES") -> None:
    with session_scope(engine) as session:
        pause_channel(session=session, channel_id=channel, until=until)


def test_a_taken_channel_is_free_again_an_interval_after_slack_answered(engine):
    assert claim(engine) is None
    assert claim(engine, at=NOW + 5 * SECOND) == NOW + HOLD  # in flight: nobody else posts
    release(engine, taken_at=NOW, answered_at=NOW + SECOND / 2)

    assert claim(engine, at=NOW + SECOND) == NOW + SECOND / 2 + INTERVAL
    assert claim(engine, at=NOW + SECOND / 2 + INTERVAL) is None


def test_a_hold_that_ran_out_frees_the_channel_and_its_late_release_changes_nothing(engine):
    assert claim(engine) is None  # its worker died mid-call, or the call outlived the hold
    assert claim(engine, at=NOW + HOLD) is None  # another process takes the channel

    release(engine, taken_at=NOW, answered_at=NOW + HOLD)

    assert claim(engine, at=NOW + HOLD + SECOND) == NOW + 2 * HOLD  # still the other's


def test_channels_are_paced_each_on_its_own(engine):
    assert claim(engine, "CSALES") is None
    assert claim(engine, "CMARKETING") is None
    release(engine, taken_at=NOW, answered_at=NOW, channel="CMARKETING")
    with session_scope(engine) as session:
        assert sorted(paced_channels(session=session, now=NOW + SECOND)) == [
            "CMARKETING",
            "CSALES",
        ]
        assert paced_channels(session=session, now=NOW + INTERVAL) == ["CSALES"]


def test_one_claimer_of_many_at_once_gets_the_slot(engine, race: Race):
    claim(engine, at=NOW - timedelta(minutes=1))  # the row exists: the UPDATE path decides

    outcomes = race(8, lambda: claim(engine))

    assert outcomes.count(None) == 1
    assert set(outcomes) == {None, NOW + HOLD}


def test_one_claimer_of_many_at_once_gets_a_channel_never_paced_before(engine, race: Race):
    outcomes = race(8, lambda: claim(engine, "CNEW"))  # the INSERT path decides

    assert outcomes.count(None) == 1


def test_a_pause_holds_the_channel_until_it_ends_and_never_shortens_a_longer_one(engine):
    assert claim(engine) is None
    pause(engine, until=NOW + 40 * SECOND)  # Slack said 429 to the post in flight
    release(engine, taken_at=NOW, answered_at=NOW)  # the pause outlasts the taker's release
    assert claim(engine, at=NOW + 35 * SECOND) == NOW + 40 * SECOND
    pause(engine, until=NOW + 40 * SECOND + 30 * SECOND)
    pause(engine, until=NOW + 50 * SECOND)  # a shorter Retry-After later does not cut it

    assert claim(engine, at=NOW + 69 * SECOND) == NOW + 70 * SECOND
    assert claim(engine, at=NOW + 70 * SECOND) is None


def test_a_pause_of_a_channel_never_posted_to_holds_it_too(engine):
    pause(engine, until=NOW + 5 * SECOND, channel="CQUIET")

    assert claim(engine, "CQUIET", at=NOW) == NOW + 5 * SECOND
    assert claim(engine, "CQUIET", at=NOW + 5 * SECOND) is None
