"""Logging a discovery by DM: one question at a time, a summary, and the cards in the channels."""

import pytest
from sqlalchemy import func
from sqlmodel import select

from bot.emulator import SEED
from storage.engine import session_scope
from storage.enums import DialogueStatus
from storage.models import DialogueSession, Discovery, DiscoveryRoute
from tests.e2e.people import Scout, wait_until

pytestmark = pytest.mark.sqlite_only  # how the app answers, not what storage does


def count(engine, model) -> int:
    with session_scope(engine) as session:
        return session.scalar(select(func.count()).select_from(model))


def answer_everything(
    scout: Scout,
    *,
    outcome: str = "Onboard a new store in one day instead of two weeks",
    gap: str = "Every store waits two weeks for a consultant on site to set up the POS",
    value: str = "40k EUR",
) -> dict:
    """A typical discovery: fit partly, with money, a compelling event and who cares."""
    scout.say("hi", expect="Which customer")
    scout.say("Globex", expect="achieve")
    scout.say(outcome, expect="stands in the way")
    scout.say(gap, expect="deliver this today")
    scout.click("Partly", expect="worth")
    scout.say(value, expect="pressure")
    scout.say("2027-03-31 the board decides the rollout budget, owner: the CFO", expect="Who wants")
    scout.click("Executive / economic owner", expect="word for word")
    return scout.say("“We lose two weeks per store”", expect="check and submit")


def up_to_the_fit(scout: Scout) -> None:
    """Account, outcome and gap typed: the fit is asked next."""
    scout.say("hi", expect="Which customer")
    scout.say("Globex", expect="achieve")
    scout.say("Onboard a new store in one day instead of two weeks", expect="stands in the way")
    scout.say("Every store waits two weeks for a consultant on site", expect="deliver this today")


def skip_the_rest(scout: Scout) -> dict:
    """Leave who cares and the evidence out (asked after the value or the event); the summary."""
    scout.say("skip", expect="word for word")
    return scout.say("skip", expect="check and submit")


def test_a_scout_logs_a_discovery_by_dm_and_it_reaches_each_routed_channel(
    driver, emulator, engine
):
    scout = Scout(driver, emulator)
    summary = answer_everything(scout)
    assert "Globex" in str(summary) and "EUR 40,000" in str(summary)
    scout.click("Submit", expect="on its way")
    product = wait_until(lambda: emulator.messages(SEED.product), what="the #product card")
    sales = wait_until(lambda: emulator.messages(SEED.sales), what="the #sales card")
    assert "Globex" in str(product[0]) and "Globex" in str(sales[0])
    assert emulator.messages(SEED.marketing) == []  # fit partly: not a proof point yet
    receipt = scout.wait_for("went to")
    assert "#sales" in str(receipt) or SEED.sales in str(receipt)
    assert count(engine, Discovery) == 1 and count(engine, DiscoveryRoute) == 2


def test_the_greeting_formats_its_own_marks(driver, emulator):
    scout = Scout(driver, emulator)
    scout.say("hi", expect="Which customer")
    opening = scout.wait_for("value gap")
    assert "type `help` any time" in str(opening["blocks"]) and "\u02cb" not in str(opening)


def test_clicking_a_value_band_answers_it_and_asks_the_next_question(driver, emulator, engine):
    scout = Scout(driver, emulator)
    up_to_the_fit(scout)
    scout.click("Partly", expect="worth")
    band_question = scout.last()
    posts = len(emulator.calls_to("chat.postMessage"))
    scout.click("10k–100k", expect="pressure")
    # One call: the clicked message shows the answers clicked on it, their buttons gone,
    # and the next question below them.
    answered = emulator.message(scout.dm, band_question["ts"])
    assert [b.get("block_id") for b in answered["blocks"][:2]] == ["answered:fit", "answered:value"]
    assert "10k–100k" in str(answered) and "pressure" in str(answered)
    assert "10k_100k" not in str(answered)  # the band buttons are gone
    assert len(emulator.calls_to("chat.postMessage")) == posts
    assert "went wrong" not in str(scout.bot_messages())
    with session_scope(engine) as session:
        dialogue = session.exec(select(DialogueSession)).one()
    assert dialogue.answers["value"] == {"band": "10k_100k"}


def test_answers_typed_as_sentences_are_understood(driver, emulator, engine):
    """Where a scout writes a sentence instead of clicking: the one choice or amount it names is
    taken, and "not sure" skips an optional question."""
    scout = Scout(driver, emulator)
    up_to_the_fit(scout)
    scout.say("partly, I think", expect="worth")
    scout.say("they said about 40k EUR a year, maybe more", expect="pressure")
    scout.say("skip", expect="Who wants")
    scout.say("not sure", expect="word for word")
    summary = scout.say("no idea", expect="check and submit")
    assert "EUR 40,000" in str(summary) and "Partly" in str(summary)
    with session_scope(engine) as session:
        answers = session.exec(select(DialogueSession)).one().answers
    assert answers["fit"] == "partly" and answers["value"] == {"amount": "40000", "currency": "EUR"}
    assert "who_cares" not in answers


def test_an_amount_typed_without_a_currency_gets_currency_buttons(driver, emulator, engine):
    scout = Scout(driver, emulator)
    up_to_the_fit(scout)
    scout.click("Not yet", expect="worth")
    asked = scout.say("200k", expect="Which currency is 200,000 in?")
    scout.click("CHF", expect="Who wants")
    scout.click("USD", message=asked, expect="already answered")  # the old message's button
    with session_scope(engine) as session:
        answers = session.exec(select(DialogueSession)).one().answers
    assert answers["value"] == {"amount": "200000", "currency": "CHF"}


def test_the_first_message_starts_the_dialogue_and_is_not_taken_as_an_answer(
    driver, emulator, engine
):
    scout = Scout(driver, emulator)
    first = scout.say("Hey, I have something from a customer call", expect="Which customer")
    assert "1 of" in str(first)
    with session_scope(engine) as session:
        dialogue = session.exec(select(DialogueSession)).one()
    assert dialogue.status == DialogueStatus.OPEN and dialogue.step == "account"


def test_the_same_dm_event_delivered_four_times_records_one_answer(driver, emulator, engine):
    scout = Scout(driver, emulator)
    scout.say("hi", expect="Which customer")
    first = driver.message(SEED.scout, "Globex")
    scout.wait_for("achieve")
    envelope = first.sent
    for retry in (1, 2, 3):
        again = driver.event(envelope["event"], event_id=envelope["event_id"], retry_num=retry)
        assert again.status == 200
    scout.say("Faster onboarding of stores", expect="stands in the way")
    with session_scope(engine) as session:
        dialogue = session.exec(select(DialogueSession)).one()
    assert dialogue.step == "gap"
    assert dialogue.answers["account"] == "Globex"
    assert sum("achieve" in str(m) for m in scout.bot_messages()) == 1


def test_a_double_clicked_submit_stores_one_discovery(driver, emulator, engine):
    scout = Scout(driver, emulator)
    answer_everything(scout)
    summary = scout.last()
    scout.click("Submit", message=summary)
    scout.click("Submit", message=summary)
    scout.wait_for("on its way")
    scout.wait_for("already submitted")  # the second click's work is done too
    wait_until(lambda: len(emulator.messages(SEED.product)) == 1, what="the card")
    scout.wait_for("went to")
    assert count(engine, Discovery) == 1
    assert len(emulator.messages(SEED.product)) == 1 and len(emulator.messages(SEED.sales)) == 1


def test_a_slow_slack_never_delays_the_ack(driver, emulator):
    scout = Scout(driver, emulator)
    # Slack answers in a second: an app that posted before its ack would answer after that post
    # (the emulator records a call once it answers), so the post would already be recorded.
    emulator.faults.latency("chat.postMessage", 1.0, times=1)
    response = driver.message(SEED.scout, "hi")
    assert response.status == 200
    assert emulator.calls_to("chat.postMessage") == []  # acked while the post is on its way
    scout.wait_for("Which customer")


def test_an_invalid_answer_is_explained_and_can_be_fixed(driver, emulator):
    scout = Scout(driver, emulator)
    scout.say("hi", expect="Which customer")
    refusal = scout.say("x" * 201, expect="200")
    assert "Which customer" in str(refusal)  # asked again, with the limit
    scout.say("Globex", expect="achieve")


def test_skip_back_cancel_and_help(driver, emulator, engine):
    scout = Scout(driver, emulator)
    scout.say("hi", expect="Which customer")
    scout.say("Globex", expect="achieve")
    scout.say("back", expect="Which customer")
    scout.say("help", expect="skip")
    scout.say("Initech", expect="achieve")
    scout.say("Close the books in 2 days", expect="stands in the way")
    scout.say("Manual reconciliation takes 3 days a month", expect="deliver this today")
    scout.click("Not yet", expect="worth")
    scout.say("skip", expect="Who wants")  # no compelling event asked: fit is not yet
    skip_the_rest(scout)
    scout.say("cancel", expect="Cancelled")
    with session_scope(engine) as session:
        dialogue = session.exec(select(DialogueSession)).one()
    assert dialogue.status == DialogueStatus.CANCELLED
    assert count(engine, Discovery) == 0


def test_hostile_text_is_reposted_literally_and_pings_nobody(driver, emulator):
    scout = Scout(driver, emulator)
    scout.say("hi", expect="Which customer")
    scout.say("<!channel> Globex <@U0ADMIN>", expect="achieve")
    scout.say(
        "<!here> be faster <https://evil.example|click> <#C0SALES> <!subteam^S1|@all>",
        expect="stands",
    )
    challenge = scout.say("@everyone nothing works", expect="time, money or risk")  # thin
    assert "@everyone" not in str(challenge)  # its answer quoted, pinging nobody
    scout.say("keep it", expect="deliver")
    scout.click("Not yet", expect="worth")
    scout.say("skip", expect="Who wants")
    skip_the_rest(scout)
    scout.click("Submit", expect="on its way")
    card = wait_until(lambda: emulator.messages(SEED.product), what="the card")[0]
    text = str(card)
    for hostile in (
        "<!channel>",
        "<!here>",
        "<@U0ADMIN>",
        "<#C0SALES>",
        "<https://evil.example",
        "<!subteam",
    ):
        assert hostile not in text
    assert "&lt;!channel&gt;" in text


def test_accounts_logged_before_are_offered_as_buttons(driver, emulator, engine):
    scout = Scout(driver, emulator)
    answer_everything(scout)
    scout.click("Submit", expect="on its way")
    ask = scout.say("another one", expect="Which customer")
    assert "Globex" in str(ask)  # the earlier account, spelled as before
    scout.click("Globex", expect="achieve")
    with session_scope(engine) as session:
        dialogue = session.exec(
            select(DialogueSession).where(DialogueSession.status == DialogueStatus.OPEN)
        ).one()
    assert dialogue.answers["account"] == "Globex" and dialogue.step == "outcome"


def test_a_whole_dialogue_reuses_a_few_connections_to_the_web_api(driver, emulator):
    calls, opened = len(emulator.calls), emulator.connections_opened

    answer_everything(Scout(driver, emulator))

    assert len(emulator.calls) - calls >= 7  # a reply to each step, at least
    assert emulator.connections_opened - opened <= 2  # kept alive, not one per call


def test_skip_on_an_earlier_questions_message_skips_nothing_now_and_a_skip_shows_as_skipped(
    driver, emulator
):
    scout = Scout(driver, emulator)
    up_to_the_fit(scout)
    scout.click("Partly", expect="worth")
    value_question = scout.last()
    scout.say("40k EUR", expect="pressure")  # typed: the value question's buttons stay shown
    scout.click("Skip", message=value_question, expect="already answered")
    event_question = next(m for m in reversed(scout.bot_messages()) if "pressure" in str(m))
    # the event question is still the one asked: its own Skip goes on to who cares
    scout.click("Skip", message=event_question, expect="Who wants")
    redrawn = emulator.message(scout.dm, event_question["ts"])
    assert "Skipped" in str(redrawn)
    assert not [b for b in redrawn["blocks"] if b.get("block_id") == "nav:event"]  # buttons gone
