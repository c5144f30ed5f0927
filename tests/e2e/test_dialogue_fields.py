"""Every field in every surface (issue 12 item 2): who cares and evidence asked in the DM, the
event's date, pressure and owner in any order, dates in the workspace's time zone, and a date
gone by questioned by buttons that work clicked, typed, twice, stale and by someone else."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from bot.dialogue.answer_common import show_date
from bot.dialogue.dates import next_year
from bot.emulator import SEED, SlackEmulator
from bot.settings import Settings
from storage.engine import session_scope
from storage.models import DialogueSession, Discovery
from tests.e2e.conftest import e2e_settings
from tests.e2e.people import CountingScout, Scout, wait_until
from tests.e2e.test_dialogue_modal import ANSWERS, modal_state, open_modal

pytestmark = pytest.mark.sqlite_only  # how the app answers, not what storage does

BERLIN = ZoneInfo("Europe/Berlin")  # the e2e workspace's zone (tests/e2e/conftest.py)


def today_in(zone: ZoneInfo) -> date:
    return datetime.now(UTC).astimezone(zone).date()


def up_to_the_value(scout: Scout, fit: str = "Partly") -> None:
    scout.say("hi", expect="Which customer")
    scout.say("Globex", expect="achieve")
    scout.say("Close the books in 3 days instead of 10", expect="stands in the way")
    scout.say("Reconciliation by hand in 40 spreadsheets", expect="deliver this today")
    scout.click(fit, expect="worth")


def answers_of_the_dialogue(engine) -> dict:
    """The answers of the scout's latest dialogue, as stored."""
    with session_scope(engine) as session:
        latest = select(DialogueSession).order_by(DialogueSession.id.desc())
        return session.exec(latest).first().answers


def the_discovery(engine) -> Discovery:
    with session_scope(engine) as session:
        return session.exec(select(Discovery)).one()


def test_a_minimal_dm_dialogue_asks_who_cares_by_buttons_and_evidence_with_skip(
    driver, emulator, engine
):
    scout = CountingScout(driver, emulator)
    up_to_the_value(scout, fit="Not yet")  # turns: hi, account, outcome, gap, fit
    who = scout.say("skip", expect="Who wants this outcome")  # 6: the value left out
    assert "Department manager" in str(who) and "Skip" in str(who)
    evidence = scout.click("Department manager", expect="word for word")  # 7
    assert "Skip" in str(evidence)
    summary = scout.click("Skip", expect="check and submit")
    assert scout.turns == 8 and "Department manager" in str(summary)
    scout.click("Submit", expect="on its way")
    wait_until(lambda: emulator.messages(SEED.product), what="the #product card")
    assert the_discovery(engine).who_cares == "department_manager"


def test_who_cares_takes_a_typed_persona_and_evidence_the_scouts_words(driver, emulator, engine):
    scout = Scout(driver, emulator)
    up_to_the_value(scout, fit="Not yet")
    scout.say("skip", expect="Who wants this outcome")
    scout.say("the CFO", expect="word for word")
    summary = scout.say("“We lose a week every month-end”", expect="check and submit")
    assert "Executive / economic owner" in str(summary)
    answers = answers_of_the_dialogue(engine)
    assert answers["who_cares"] == "executive"
    assert answers["evidence"] == "“We lose a week every month-end”"


def test_an_event_typed_in_any_order_keeps_its_owner_to_the_card(driver, emulator, engine):
    scout = Scout(driver, emulator)
    up_to_the_value(scout)
    scout.say("40k EUR", expect="pressure")
    scout.say("CFO, audit, 15 March", expect="Who wants this outcome")  # no owner question
    scout.click("Executive / economic owner", expect="word for word")
    summary = scout.say("skip", expect="check and submit")
    day = next_year(date(2000, 3, 15), today_in(BERLIN))
    assert f"{show_date(day)} — audit (for CFO)" in str(summary)
    scout.click("Submit", expect="on its way")
    card = wait_until(lambda: emulator.messages(SEED.sales), what="the #sales card")[0]
    assert "(for CFO)" in str(card)
    event = the_discovery(engine).answers["event"]
    assert event == {"date": day.isoformat(), "pressure": "audit", "owner": "CFO"}


def test_an_event_without_its_owner_asks_once_and_the_owner_may_be_skipped(
    driver, emulator, engine
):
    scout = Scout(driver, emulator)
    up_to_the_value(scout)
    scout.say("skip", expect="pressure")
    asked = scout.say("2027-03-31 board meeting", expect="Who owns the money")
    assert "Skip" in str(asked)
    scout.click("Skip", expect="Who wants this outcome")
    assert answers_of_the_dialogue(engine)["event"] == {
        "date": "2027-03-31", "pressure": "board meeting"
    }  # fmt: skip
    assert sum("Who owns the money" in str(m) for m in scout.bot_messages()) == 1


def test_the_owner_typed_is_kept_as_a_role_or_a_name(driver, emulator, engine):
    scout = Scout(driver, emulator)
    up_to_the_value(scout)
    scout.say("skip", expect="pressure")
    scout.say("renewal on 2027-03-31", expect="Who owns the money")
    scout.say("the head of finance", expect="Who wants this outcome")
    assert answers_of_the_dialogue(engine)["event"]["owner"] == "head of finance"


# --- a date gone by -------------------------------------------------------------------------------


def gone_by() -> tuple[date, date]:
    """A date last year, and the one the scout most likely meant."""
    today = today_in(BERLIN)
    passed = date(today.year - 1, 3, 3)
    return passed, next_year(passed, today)


def at_the_passed_date(scout: Scout) -> dict:
    up_to_the_value(scout)
    scout.say("skip", expect="pressure")
    passed, _meant = gone_by()
    return scout.say(f"{passed.isoformat()} audit, owner: the CFO", expect="has passed")


def test_a_date_gone_by_is_questioned_and_the_next_year_taken_by_a_click(driver, emulator, engine):
    scout = Scout(driver, emulator)
    passed, meant = gone_by()
    question = at_the_passed_date(scout)
    assert f"{show_date(passed)} has passed — did you mean {show_date(meant)}?" in str(question)
    assert "event" not in answers_of_the_dialogue(engine)  # nothing taken silently
    scout.click(f"Yes, {show_date(meant)}", expect="Who wants this outcome")
    answered = emulator.message(scout.dm, question["ts"])
    assert f"Yes, {show_date(meant)}" not in str(answered)  # its buttons gone, the answer shown
    assert answers_of_the_dialogue(engine)["event"] == {
        "date": meant.isoformat(), "pressure": "audit", "owner": "CFO"
    }  # fmt: skip

    again = scout.click(f"Keep {show_date(passed)}", message=question, expect="already answered")
    assert "went wrong" not in str(again)
    assert answers_of_the_dialogue(engine)["event"]["date"] == meant.isoformat()


def test_a_date_gone_by_can_be_kept_or_retyped_by_typing(driver, emulator, engine):
    scout = Scout(driver, emulator)
    passed, _meant = gone_by()
    at_the_passed_date(scout)
    scout.say("3", expect="Send the date you meant")
    scout.say("2027-06-30", expect="Who wants this outcome")
    assert answers_of_the_dialogue(engine)["event"] == {
        "date": "2027-06-30", "pressure": "audit", "owner": "CFO"
    }  # fmt: skip
    scout.click("Back", expect="Is there a date")
    scout.say(f"{passed.isoformat()} audit, owner: the CFO", expect="has passed")
    scout.say("keep it", expect="Who wants this outcome")
    assert answers_of_the_dialogue(engine)["event"]["date"] == passed.isoformat()


def test_a_button_for_a_date_since_changed_is_stale(driver, emulator, engine):
    scout = Scout(driver, emulator)
    first = at_the_passed_date(scout)
    scout.say("2025-01-05 audit", expect="5 Jan 2025 has passed")
    _passed, meant = gone_by()
    scout.click(f"Yes, {show_date(meant)}", message=first, expect="changed since")
    assert "event" not in answers_of_the_dialogue(engine)


def test_someone_elses_click_on_the_scouts_buttons_is_refused_to_them_alone(
    driver, emulator, engine
):
    scout = Scout(driver, emulator)
    question = at_the_passed_date(scout)
    _passed, meant = gone_by()
    [button] = [
        e for b in question["blocks"] for e in b.get("elements", [])
        if e.get("text", {}).get("text") == f"Yes, {show_date(meant)}"
    ]  # fmt: skip
    seen = len(scout.bot_messages())
    response = driver.block_action(
        user=SEED.sally, action_id=button["action_id"], value=button["value"],
        block_id="pick:event.passed", message=question, channel=scout.dm,
    )  # fmt: skip
    assert response.status == 200
    told = wait_until(lambda: emulator.messages(emulator.dm_channel_for(SEED.sally)), what="Sally")
    assert "someone else's discovery" in str(told)
    assert len(scout.bot_messages()) == seen and "event" not in answers_of_the_dialogue(engine)


# --- the workspace's time zone --------------------------------------------------------------------


def zone_on_another_day() -> ZoneInfo:
    """A zone whose date differs from UTC's right now (UTC+14 in the afternoon, UTC-11 before)."""
    now = datetime.now(UTC)
    return ZoneInfo("Pacific/Kiritimati" if now.hour >= 11 else "Pacific/Pago_Pago")


@pytest.fixture
def settings(emulator: SlackEmulator, database_url: str) -> Settings:
    return e2e_settings(emulator, database_url, VALUESCOUT_TIMEZONE=zone_on_another_day().key)


def test_relative_dates_count_from_today_in_the_workspaces_time_zone(driver, emulator, engine):
    zone = zone_on_another_day()
    assert today_in(zone) != today_in(ZoneInfo("UTC"))  # else this test proves nothing
    scout = Scout(driver, emulator)
    scout.say(
        "Initech's CFO wants invoices paid in 2 days, not 9, before the renewal in three weeks.",
        expect="stands in the way",
    )
    read = answers_of_the_dialogue(engine)["event"]  # the story's
    assert read["date"] == (today_in(zone) + timedelta(weeks=3)).isoformat()
    scout.say("cancel", expect="Cancelled")
    up_to_the_value(scout)
    scout.say("skip", expect="pressure")
    scout.say("in two weeks renewal, owner CFO", expect="Who wants this outcome")
    typed = answers_of_the_dialogue(engine)["event"]
    assert typed["date"] == (today_in(zone) + timedelta(weeks=2)).isoformat()


# --- the modal ------------------------------------------------------------------------------------


def test_the_modal_reads_the_owner_and_an_event_typed_whole_in_the_pressure_field(
    driver, emulator, engine
):
    view = open_modal(driver, emulator)
    assert "event:owner" in str(view)
    whole = ANSWERS | {"event:pressure": "CFO, audit, 15 March"}
    driver.view_submission(user=SEED.scout, view=view["id"], values=modal_state(view, whole))
    confirm = emulator.modal_stack(SEED.scout)[-1]
    driver.view_submission(user=SEED.scout, view=confirm["id"], values=modal_state(confirm, {}))
    wait_until(lambda: emulator.messages(SEED.sales), what="the #sales card")
    day = next_year(date(2000, 3, 15), today_in(BERLIN))
    assert the_discovery(engine).answers["event"] == {
        "date": day.isoformat(), "pressure": "audit", "owner": "CFO"
    }  # fmt: skip


def test_the_modal_owner_field_and_a_date_gone_by(driver, emulator, engine):
    view = open_modal(driver, emulator)
    passed, meant = gone_by()
    old = ANSWERS | {"event": passed.isoformat(), "event:pressure": "renewal"}
    refused = driver.view_submission(
        user=SEED.scout, view=view["id"], values=modal_state(view, old)
    )
    assert refused.json["errors"]["event"] == (
        f"{show_date(passed)} has passed — did you mean {show_date(meant)}?"
    )
    fixed = old | {"event": meant.isoformat(), "event:owner": "the CFO"}
    driver.view_submission(user=SEED.scout, view=view["id"], values=modal_state(view, fixed))
    confirm = emulator.modal_stack(SEED.scout)[-1]
    driver.view_submission(user=SEED.scout, view=confirm["id"], values=modal_state(confirm, {}))
    wait_until(lambda: emulator.messages(SEED.sales), what="the #sales card")
    assert the_discovery(engine).answers["event"] == {
        "date": meant.isoformat(), "pressure": "renewal", "owner": "CFO"
    }  # fmt: skip
