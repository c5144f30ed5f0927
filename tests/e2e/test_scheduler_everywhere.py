"""Scheduled work runs wherever the bot runs, unless VALUESCOUT_SCHEDULER=off."""

import time

from sqlmodel import select

from bot.cli.runtime import compose, start_scheduler
from storage.engine import read_scope
from storage.models import SchedulerHeartbeat
from tests.e2e.conftest import e2e_settings


def stop(scheduler) -> None:
    """Shut down once the run-on-start job was taken: APScheduler 3 shut down while it removes
    that job raises JobLookupError in its thread."""
    deadline = time.monotonic() + 10
    while scheduler.get_job("digests_on_start") is not None and time.monotonic() < deadline:
        time.sleep(0.05)
    scheduler.shutdown(wait=True)


def processes(engine) -> list[tuple[str, str]]:
    with read_scope(engine) as session:
        rows = session.exec(select(SchedulerHeartbeat)).all()
        return [(row.kind, row.process) for row in rows]


def test_web_and_worker_run_the_scheduler_with_a_heartbeat(emulator, database_url, engine):
    parts = compose(e2e_settings(emulator, database_url), engine=engine)
    scheduler = start_scheduler(parts, kind="worker")
    try:
        ids = {job.id for job in scheduler.get_jobs()}
        assert {"heartbeat", "nudge_idle_dialogues", "nudge_open_loops"} <= ids
        assert any(job_id.startswith("digest") for job_id in ids)
        [(kind, _process)] = processes(engine)
        assert kind == "worker"
    finally:
        stop(scheduler)


def test_scheduler_off_leaves_it_to_a_clock(emulator, database_url, engine):
    settings = e2e_settings(emulator, database_url, VALUESCOUT_SCHEDULER="off")
    parts = compose(settings, engine=engine)
    assert start_scheduler(parts, kind="web") is None
    assert processes(engine) == []
    clock = start_scheduler(parts, kind="clock")  # the clock is the scheduler: never off
    try:
        assert [kind for kind, _ in processes(engine)] == ["clock"]
    finally:
        stop(clock)
