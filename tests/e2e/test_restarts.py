"""Nothing is lost when the process stops: mid-dialogue, or between submit and post."""

import threading

from sqlmodel import select

from bot.app import WORKER_THREADS, after_ack_work
from bot.cli.runtime import compose
from bot.emulator import SEED, SlackDriver
from bot.web import LocalServer, build_wsgi_app
from storage.engine import session_scope
from storage.enums import DialogueStatus
from storage.models import DialogueSession, Discovery
from tests.e2e.conftest import PACING, SIGNING_SECRET
from tests.e2e.people import Scout, wait_until
from tests.e2e.test_dialogue_dm import answer_everything


def start_app(settings, engine, emulator, *, deliver: bool = True):
    parts = compose(settings, engine=engine, pacing=PACING)
    if deliver:
        parts.delivery.start()
    app = build_wsgi_app(bolt_app=parts.app, engine=engine, signing_secret=SIGNING_SECRET)
    server = LocalServer(app).start()
    return parts, server, SlackDriver(server.url, SIGNING_SECRET, emulator=emulator)


def stop_app(parts, server) -> None:
    server.stop()
    parts.delivery.stop(timeout=5)


def test_a_dialogue_survives_a_restart_of_the_app(settings, engine, emulator, components):
    parts, server, driver = start_app(settings, engine, emulator)
    scout = Scout(driver, emulator)
    scout.say("hi", expect="Which customer")
    scout.say("Globex", expect="achieve")
    stop_app(parts, server)
    parts, server, driver = start_app(settings, engine, emulator)
    try:
        scout = Scout(driver, emulator)
        scout.say("Onboard stores in a day", expect="stands in the way")
    finally:
        stop_app(parts, server)


def test_a_discovery_submitted_before_a_crash_is_posted_once_after_restart(
    settings, engine, emulator, components
):
    components.delivery.stop(timeout=5)  # the fixture's worker must not deliver here
    parts, server, driver = start_app(settings, engine, emulator, deliver=False)
    scout = Scout(driver, emulator)
    answer_everything(scout)
    scout.click("Submit", expect="on its way")
    stop_app(parts, server)  # "killed" before anything was posted
    assert emulator.messages(SEED.product) == [] and emulator.messages(SEED.sales) == []
    parts, server, driver = start_app(settings, engine, emulator)
    try:
        wait_until(
            lambda: emulator.messages(SEED.product) and emulator.messages(SEED.sales), what="cards"
        )
        Scout(driver, emulator).wait_for("went to")
        assert len(emulator.messages(SEED.product)) == 1 and len(emulator.messages(SEED.sales)) == 1
    finally:
        stop_app(parts, server)


def test_a_submit_acked_but_never_worked_on_waits_at_the_summary_and_stores_once_later(
    settings, engine, emulator, components
):
    """Submit is acked before it is stored (storing waits for the write lock, the ack must
    not). A process that dies between the two leaves the click undone, nothing else: the
    dialogue stays open at its summary with every answer, and Submit clicked again after a
    restart stores it once."""
    components.delivery.stop(timeout=5)
    parts, server, driver = start_app(settings, engine, emulator, deliver=False)
    pool, release = after_ack_work(parts.app), threading.Event()
    try:
        scout = Scout(driver, emulator)
        answer_everything(scout)
        summary = scout.last()
        busy = [pool.submit(release.wait) for _ in range(WORKER_THREADS)]  # every thread taken
        scout.click("Submit", message=summary)  # acked; its work is queued behind them
        pool.shutdown(wait=False, cancel_futures=True)  # "killed": the queued work never runs
    finally:
        release.set()
        stop_app(parts, server)
    assert all(future.result(timeout=5) for future in busy)
    with session_scope(engine) as session:
        assert session.exec(select(Discovery)).all() == []
        dialogue = session.exec(select(DialogueSession)).one()
    assert dialogue.status == DialogueStatus.OPEN and dialogue.step == "summary"
    parts, server, driver = start_app(settings, engine, emulator)
    try:
        scout = Scout(driver, emulator)
        scout.click("Submit", message=summary, expect="on its way")
        wait_until(lambda: emulator.messages(SEED.product), what="the card")
        with session_scope(engine) as session:
            assert len(session.exec(select(Discovery)).all()) == 1
    finally:
        stop_app(parts, server)
