"""Nothing is lost when the process stops: mid-dialogue, or between submit and post."""

from sqlmodel import select

from bot.cli.runtime import compose
from bot.emulator import SEED, SlackDriver
from bot.web import LocalServer, build_wsgi_app
from storage.engine import session_scope
from storage.models import Discovery, RecordedEvent
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


def test_a_submit_slack_saw_acknowledged_is_already_stored(settings, engine, emulator, components):
    """The Submit button stores the discovery and its event before the ack: a kill -9 right
    after the ack (here: nothing after it is awaited) loses nothing."""
    components.delivery.stop(timeout=5)
    parts, server, driver = start_app(settings, engine, emulator, deliver=False)
    try:
        scout = Scout(driver, emulator)
        answer_everything(scout)
        scout.click("Submit")  # returns as soon as the ack does
        with session_scope(engine) as session:
            stored = session.exec(select(Discovery)).all()
            events = session.exec(select(RecordedEvent.type)).all()
    finally:
        stop_app(parts, server)
    assert len(stored) == 1 and events == ["discovery.submitted"]
