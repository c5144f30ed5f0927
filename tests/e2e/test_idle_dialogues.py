"""An idle dialogue gets one gentle reminder, then is kept as a draft the scout can resume."""

from datetime import timedelta

from sqlmodel import select

from bot.discoveries.reminders import nudge_idle_dialogues
from bot.emulator import SEED
from bot.rendering.ids import CallbackId
from storage.engine import session_scope
from storage.enums import DialogueStatus
from storage.models import DialogueSession
from storage.types import utc_now
from tests.e2e.people import Scout, wait_until


def dialogue(engine) -> DialogueSession:
    with session_scope(engine) as session:
        return session.exec(select(DialogueSession)).one()


def test_one_reminder_after_an_hour_then_a_draft_after_a_day_that_resumes(
    driver, emulator, engine, components
):
    scout = Scout(driver, emulator)
    scout.say("hi", expect="Which customer")
    scout.say("Globex", expect="achieve")
    started = dialogue(engine).updated_at

    def nudge(after: timedelta) -> tuple[int, int]:
        return nudge_idle_dialogues(engine=engine, client=components.client, now=started + after)

    assert nudge(timedelta(minutes=59)) == (0, 0)
    assert nudge(timedelta(minutes=61)) == (1, 0)
    assert "Still there?" in str(scout.last()) and "Globex" in str(scout.last())
    assert nudge(timedelta(hours=5)) == (0, 0)  # one reminder, not an hourly nag
    assert nudge(timedelta(hours=25)) == (0, 1)
    assert "kept your discovery about *Globex* as a draft" in str(scout.last())
    assert dialogue(engine).status == DialogueStatus.DRAFT

    scout.say("I'm back", expect="Welcome back")
    again = scout.wait_for("achieve")
    assert "Welcome back" in str(scout.bot_messages()) and again
    resumed = dialogue(engine)
    assert resumed.status == DialogueStatus.OPEN and resumed.answers["account"] == "Globex"


def test_an_answer_resets_the_reminder(driver, emulator, engine, components):
    scout = Scout(driver, emulator)
    scout.say("hi", expect="Which customer")
    first = dialogue(engine).updated_at
    assert nudge_idle_dialogues(
        engine=engine, client=components.client, now=first + timedelta(hours=2)
    ) == (1, 0)
    scout.say("Globex", expect="achieve")
    later = dialogue(engine).updated_at
    assert later > first and dialogue(engine).reminded_at is None
    assert nudge_idle_dialogues(
        engine=engine, client=components.client, now=utc_now() + timedelta(hours=2)
    ) == (1, 0)


def test_a_dialogue_started_in_a_channel_is_remembered_in_the_scouts_dm(
    driver, emulator, engine, components
):
    """The shortcut used in a channel the bot is not in: the reminder still reaches the scout."""
    said = emulator.workspace.add_user_message(SEED.general, SEED.sally, "We lose a day a week")
    response = driver.message_shortcut(
        user=SEED.scout, callback_id=CallbackId.LOG_DISCOVERY_SHORTCUT.value,
        message=said, channel=SEED.general,
    )  # fmt: skip
    assert response.status == 200
    wait_until(lambda: emulator.modal_stack(SEED.scout), what="the discovery modal")
    later = utc_now() + timedelta(hours=2)
    assert nudge_idle_dialogues(engine=engine, client=components.client, now=later) == (1, 0)
    assert "Still there?" in str(Scout(driver, emulator).last())
    assert emulator.messages(SEED.general)[-1]["ts"] == said
