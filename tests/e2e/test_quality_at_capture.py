"""Quality at capture in the DM: a thin outcome or gap is challenged once (answer again, or keep
it), the summary shows the score and the one thing to add, and the export carries the score."""

import pytest
from sqlmodel import select

from bot.discoveries.export.options import Window
from bot.discoveries.export.reading import export_records
from bot.emulator import SEED
from storage.engine import session_scope
from storage.models import Discovery
from tests.e2e.people import Scout, wait_until
from tests.e2e.test_dialogue_modal import ANSWERS, modal_state, open_modal

pytestmark = pytest.mark.sqlite_only  # how the app answers, not what storage does

FEATURE = "That sounds like a feature"
MEASURE = "What would that change for them"
GAP_MEASURE = "What does it cost them today"
STORY = (
    "Hi! Quick one: Globex's CFO wants month-end close down from 10 days to 3 before "
    "their March 31 renewal. Worth about $250k a year to them."
)


def to_the_outcome(scout: Scout) -> None:
    scout.say("hi", expect="Which customer")
    scout.say("Globex", expect="achieve")


def stored(engine) -> Discovery:
    with session_scope(engine) as session:
        discovery = session.exec(select(Discovery)).one()
        session.expunge(discovery)
        return discovery


def test_a_thin_outcome_is_challenged_once_and_the_second_thin_answer_is_taken(
    driver, emulator, engine
):
    scout = Scout(driver, emulator)
    to_the_outcome(scout)

    challenged = scout.say("a bulk import button", expect=FEATURE)
    assert "a bulk import button" in str(challenged) and "Keep it" in str(challenged)
    scout.say("better reporting", expect="stands in the way")  # replaced, and not challenged again
    scout.say("Every store waits 2 weeks for a consultant", expect="deliver this today")
    scout.click("Not yet", expect="worth")
    scout.say("skip", expect="Who wants")
    scout.say("skip", expect="word for word")
    summary = scout.say("skip", expect="check and submit")

    assert "better reporting" in str(summary) and "bulk import" not in str(summary)
    assert "Completeness 0/5 · To raise it: Put the outcome in their measurable terms" in str(
        summary
    )
    scout.click("Submit", expect="on its way")
    wait_until(lambda: emulator.messages(SEED.product), what="the #product card")
    assert stored(engine).outcome == "better reporting"


def test_keep_it_by_typing_or_by_button_goes_on_and_an_old_button_changes_nothing(
    driver, emulator, engine
):
    scout = Scout(driver, emulator)
    to_the_outcome(scout)
    scout.say("better reporting", expect=MEASURE)
    scout.say("keep it", expect="stands in the way")

    challenge = scout.say("done by hand", expect=GAP_MEASURE)  # the gap: its own one challenge
    [keep] = [
        e for b in challenge["blocks"] for e in b.get("elements", [])
        if e.get("action_id") == "dialogue_keep"
    ]  # fmt: skip
    seen = len(scout.bot_messages())
    response = driver.block_action(
        user=SEED.dana, action_id=keep["action_id"], value=keep["value"],
        block_id="nav:gap", message=challenge, channel=scout.dm,
    )  # fmt: skip
    assert response.status == 200
    dana = emulator.dm_channel_for(SEED.dana)
    told = wait_until(lambda: emulator.messages(dana), what="Dana told")
    assert "someone else's discovery" in str(told) and len(scout.bot_messages()) == seen
    scout.click("Keep it", expect="deliver this today", message=challenge)
    scout.click("Keep it", expect="already answered", message=challenge)  # twice: stale
    scout.click("Not yet", expect="worth")
    scout.say("skip", expect="Who wants")
    scout.say("skip", expect="word for word")
    summary = scout.say("skip", expect="check and submit")

    assert "done by hand" in str(summary)
    scout.click("Submit", expect="on its way")
    wait_until(lambda: emulator.messages(SEED.product), what="the #product card")
    discovery = stored(engine)
    assert (discovery.outcome, discovery.gap) == ("better reporting", "done by hand")
    assert "_challenged" not in discovery.answers


def test_the_summary_scores_a_rich_opener_and_the_export_carries_score_owner_and_opener(
    driver, emulator, engine
):
    scout = Scout(driver, emulator)
    scout.say(STORY, expect="What stands in the way")
    scout.say("They reconcile 40 spreadsheets by hand", expect="deliver this today")
    summary = scout.click("Partly", expect="check and submit")
    assert "Completeness 4/5 · To raise it: Quote the customer in their own words" in str(summary)

    evidence = next(b for b in summary["blocks"] if "*Evidence*" in str(b.get("text", "")))
    scout.click("Edit", expect="word for word", message={**summary, "blocks": [evidence]})
    summary = scout.say("Their CFO said: “we lose a week every month”", expect="check and submit")
    assert "Completeness 5/5" in str(summary)
    scout.click("Submit", expect="on its way")
    wait_until(lambda: emulator.messages(SEED.sales), what="the #sales card")

    [record] = export_records(engine=engine, window=Window())
    assert (record["quality"], record["event_owner"]) == (5, "CFO")
    assert record["evidence"].startswith(STORY)  # the opener first, the quote after it
    assert record["evidence"].endswith("“we lose a week every month”")
    assert stored(engine).quality == 5


def test_the_modal_check_step_shows_the_score_and_hints_a_thin_outcome_without_blocking(
    driver, emulator, engine
):
    view = open_modal(driver, emulator)
    thin = ANSWERS | {"outcome": "a bulk import button"}
    driver.view_submission(user=SEED.scout, view=view["id"], values=modal_state(view, thin))
    confirm = emulator.modal_stack(SEED.scout)[-1]

    quality = next(b for b in confirm["blocks"] if b.get("block_id") == "quality")
    text = quality["elements"][0]["text"]
    assert "Completeness 1/5 · To raise it: Put the outcome in their measurable terms" in text
    assert "Outcome: That sounds like a feature" in text
    done = driver.view_submission(
        user=SEED.scout, view=confirm["id"], values=modal_state(confirm, {})
    )
    assert done.json["response_action"] == "clear"  # a hint, never a refusal
    wait_until(lambda: emulator.messages(SEED.sales), what="the #sales card")
    assert stored(engine).quality == 1
