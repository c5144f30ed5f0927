"""Follow-through to realised value, through the emulator: a route actioned with a follow-up
date gets one DM on that date (`valuescout jobs run --at`), whose buttons move it on (won with
an amount); the card shows it, the scout hears with a draft for the customer; a second click,
a stale click and someone else's click change nothing; unanswered, one more DM 7 days on."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlmodel import select

from bot.cli.terminal import find_button
from bot.discoveries.export.reading import current_record
from bot.domain.money import current_money
from bot.emulator import SEED, SlackDriver, SlackEmulator
from bot.rendering.ids import BlockId
from storage.engine import session_scope
from storage.models import FollowUp, StageChange
from tests.e2e.people import wait_until
from tests.e2e.test_card_actions import logged
from tests.e2e.test_event_radar import jobs  # noqa: F401  (the fixture)


def working_day(after: int) -> date:
    """A Monday-to-Friday day at least `after` days from today (the app's clock is real)."""
    day = datetime.now().date() + timedelta(days=after)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def action_sales(
    driver: SlackDriver, emulator: SlackEmulator, follow_up: date | None, channel: str = SEED.sales,
    outcome: str = "opportunity",
):  # fmt: skip
    """Log a discovery; Dana actions its sales card (or another's), picking the follow-up date."""
    scout, _receipt, team = logged(driver, emulator)
    view = team.modal("Actioned", channel=channel)
    picker = [b for b in view["blocks"] if b.get("block_id") == BlockId.FOLLOW_UP_DATE]
    assert (
        picker
        and picker[0]["element"]["initial_date"]
        == (datetime.now().date() + timedelta(days=30)).isoformat()
    )  # the default: 30 days on
    values = {
        BlockId.STATUS_NOTE.value: {"input": "Deal opened"},
        BlockId.STATUS_OUTCOME.value: {
            "input": {"type": "static_select", "selected_option": {"value": outcome}}
        },
        BlockId.FOLLOW_UP_DATE.value: {
            "input": {"type": "datepicker", "selected_date": follow_up and follow_up.isoformat()}
        },
    }
    answer = driver.view_submission(user=SEED.dana, view=view["id"], values=values)
    return scout, team, answer


def money_in_base() -> Decimal:
    """50k EUR in the base currency, as the rates in use convert it."""
    converted = current_money().convert(Decimal(50000), "EUR")
    assert converted is not None
    return converted


def follow_up_dms(emulator: SlackEmulator, user: str = SEED.dana) -> list[dict]:
    return [
        m
        for m in emulator.messages(emulator.dm_channel_for(user))
        if "Where does it stand now?" in m.get("text", "")
    ]


def click(driver: SlackDriver, emulator: SlackEmulator, message: dict, label: str, user: str):
    found = find_button([message], label)
    assert found is not None, f"no {label!r} in the DM"
    message, block, button = found
    response = driver.block_action(
        user=user, action_id=button["action_id"], value=button["value"],
        block_id=block.get("block_id"), message=message, channel=emulator.dm_channel_for(SEED.dana),
    )  # fmt: skip
    assert response.status == 200, response.body


def told(emulator: SlackEmulator, user: str, text: str) -> list[str]:
    """What `user` was told, ephemerally in Dana's DM or in their own DM."""
    shown = [e["text"] for e in emulator.ephemerals(emulator.dm_channel_for(SEED.dana))]
    shown += [m.get("text", "") for m in emulator.messages(emulator.dm_channel_for(user))]
    return [t for t in shown if text in t]


def test_a_follow_up_date_in_the_past_is_refused_and_one_left_empty_is_30_days_on(
    driver, emulator, engine
):
    _scout, _team, past = action_sales(driver, emulator, datetime.now().date())
    assert past.json["response_action"] == "errors"
    assert set(past.json["errors"]) == {BlockId.FOLLOW_UP_DATE}
    [view] = emulator.modal_stack(SEED.dana)
    empty = {
        BlockId.STATUS_NOTE.value: {"input": "Deal opened"},
        BlockId.STATUS_OUTCOME.value: {
            "input": {"type": "static_select", "selected_option": {"value": "opportunity"}}
        },
        BlockId.FOLLOW_UP_DATE.value: {"input": {"type": "datepicker", "selected_date": None}},
    }
    answer = driver.view_submission(user=SEED.dana, view=view["id"], values=empty)
    assert answer.status == 200 and "errors" not in (answer.json or {})
    follow = wait_until(lambda: _follow_up(engine), what="the follow-up, stored")
    assert follow.due_on >= datetime.now().date() + timedelta(days=29)  # the default: 30 days on


def _follow_up(engine) -> FollowUp | None:
    with session_scope(engine) as session:
        return session.exec(select(FollowUp)).first()


def preview(valuescout, capsys, route: str, week: str) -> str:
    """What `valuescout digest preview --route ROUTE --week WEEK` prints."""
    capsys.readouterr()
    assert valuescout("digest", "preview", "--route", route, "--week", week) == 0
    return capsys.readouterr().out


def this_week() -> str:
    year, week, _day = datetime.now().date().isocalendar()
    return f"{year}-W{week:02d}"


def test_won_on_the_follow_up_date_reaches_the_card_and_the_scout_with_a_draft(
    driver, emulator, engine, jobs, valuescout, capsys  # noqa: F811
):  # fmt: skip
    due = working_day(10)
    scout, team, answer = action_sales(driver, emulator, due)
    assert answer.json == {"response_action": "clear"}
    team.wait_for_card("Follow-through: *Opportunity opened*", SEED.sales)

    assert jobs(f"{(due - timedelta(days=1)).isoformat()}T10:00")["follow_ups"] == "0 asked"
    assert jobs(f"{due.isoformat()}T10:00")["follow_ups"] == "1 asked"
    assert jobs(f"{due.isoformat()}T11:00")["follow_ups"] == "0 asked"  # idempotent
    [dm] = wait_until(lambda: follow_up_dms(emulator), what="the follow-up DM")
    assert "*Opportunity opened*" in dm["text"] and "See the card" in dm["text"]
    assert find_button([dm], "Won") and find_button([dm], "Lost")
    assert find_button([dm], "Opportunity opened") is None

    click(driver, emulator, dm, "Won", user=SEED.sally)  # not hers to follow up
    wait_until(lambda: told(emulator, SEED.sally, "follows this one up"), what="a refusal")

    opened = len(emulator.calls_to("views.open"))
    click(driver, emulator, dm, "Won", user=SEED.dana)
    wait_until(lambda: len(emulator.calls_to("views.open")) > opened, what="the amount modal")
    modal = emulator.modal_stack(SEED.dana)[-1]
    empty = driver.view_submission(
        user=SEED.dana, view=modal["id"], values={BlockId.STAGE_AMOUNT.value: {"input": "  "}}
    )
    assert set(empty.json["errors"]) == {BlockId.STAGE_AMOUNT}
    bad = driver.view_submission(
        user=SEED.dana, view=modal["id"], values={BlockId.STAGE_AMOUNT.value: {"input": "lots"}}
    )
    assert set(bad.json["errors"]) == {BlockId.STAGE_AMOUNT}
    good = driver.view_submission(
        user=SEED.dana, view=modal["id"],
        values={BlockId.STAGE_AMOUNT.value: {"input": "50k EUR"}},
    )  # fmt: skip
    assert good.json == {"response_action": "clear"}

    card = team.wait_for_card("Follow-through: *Won*", SEED.sales)
    [status] = [b for b in card["blocks"] if b.get("block_id") == BlockId.CARD_STATUS]
    assert (
        f"Follow-through: *Won* · {current_money().show(money_in_base())}" in status["text"]["text"]
    )
    team.wait_for_card("Sales: actioned (won)", SEED.product)
    note = scout.wait_for("moved it to *Won*")
    assert "EUR 50,000" in note["text"] and "Tell the customer?" in note["text"]
    assert "Good news" in str(note["blocks"])
    answered = wait_until(
        lambda: [
            m for m in emulator.messages(emulator.dm_channel_for(SEED.dana))
            if m["ts"] == dm["ts"] and "is now at *Won*" in m.get("text", "")
        ],
        what="the DM redrawn without buttons",
    )  # fmt: skip
    assert find_button(answered, "Won") is None

    click(driver, emulator, dm, "Won", user=SEED.dana)  # the old copy, clicked again
    wait_until(lambda: told(emulator, SEED.dana, "Already recorded"), what="already recorded")
    click(driver, emulator, dm, "Lost", user=SEED.dana)  # stale: it is won now
    wait_until(lambda: told(emulator, SEED.dana, "it is at Won now"), what="a stale refusal")
    with session_scope(engine) as session:
        changes = session.exec(select(StageChange).order_by(StageChange.id)).all()
        assert [(c.from_stage, c.stage, c.realised) for c in changes] == [
            (None, "opened", False), ("opened", "won", True),
        ]  # fmt: skip
        assert changes[1].currency == "EUR" and changes[1].amount == 50000
        [follow] = session.exec(select(FollowUp)).all()
        assert follow.stage == "won" and follow.due_on is None
    assert jobs(f"{(due + timedelta(days=30)).isoformat()}T10:00")["follow_ups"] == "0 asked"
    with session_scope(engine) as session:
        [discovery_id] = session.exec(select(FollowUp.discovery_id)).all()
        record = current_record(session=session, discovery_id=discovery_id)
    assert record is not None
    sales = next(route for route in record["routes"] if route["route"] == "sales")
    assert (sales["stage"], sales["realised_amount"], sales["realised_currency"]) == (
        "won", "50000.00", "EUR",
    )  # fmt: skip
    assert [move["stage"] for move in sales["stage_history"]] == ["opened", "won"]
    product = next(route for route in record["routes"] if route["route"] == "product")
    assert product["stage"] is None and product["stage_history"] == []

    coach = " ".join(preview(valuescout, capsys, "coach", this_week()).split())
    realised = f"@{SEED.scout} (won {current_money().show(money_in_base())})"
    assert f"*Value realised this week:* {realised}." in coach
    assert coach.index("Value realised this week") < coach.index("Discoveries that led to action")
    assert "1 logged → 1 acknowledged (100%) → 1 actioned (100%) → 1 realised (100%)" in coach


def test_unanswered_it_asks_once_more_after_7_days_then_overdue_in_the_digest(
    driver, emulator, engine, jobs, valuescout, capsys  # noqa: F811
):  # fmt: skip
    due = working_day(10)
    _scout, _team, answer = action_sales(driver, emulator, due)
    assert answer.json == {"response_action": "clear"}
    assert jobs(f"{due.isoformat()}T10:00")["follow_ups"] == "1 asked"
    assert jobs(f"{(due + timedelta(days=6)).isoformat()}T10:00")["follow_ups"] == "0 asked"
    again = due + timedelta(days=7)
    assert jobs(f"{again.isoformat()}T10:00")["follow_ups"] == "1 asked"
    assert jobs(f"{(again + timedelta(days=7)).isoformat()}T10:00")["follow_ups"] == "0 asked"
    dms = wait_until(
        lambda: len(follow_up_dms(emulator)) == 2 and follow_up_dms(emulator), what="2"
    )
    assert "Still open" in dms[1]["text"]
    with session_scope(engine) as session:
        [follow] = session.exec(select(FollowUp)).all()
        assert follow.asked == 2


def test_shipped_asks_for_a_web_link_and_the_draft_carries_it(
    driver, emulator, engine, jobs  # noqa: F811
):  # fmt: skip
    due = working_day(5)
    scout, team, answer = action_sales(driver, emulator, due, channel=SEED.product, outcome="roadmap")
    assert answer.json == {"response_action": "clear"}
    team.wait_for_card("Follow-through: *Planned*", SEED.product)
    assert jobs(f"{due.isoformat()}T10:00")["follow_ups"] == "1 asked"
    [dm] = wait_until(lambda: follow_up_dms(emulator), what="the follow-up DM")
    assert "(Product)" in dm["text"] and find_button([dm], "Lost") is None
    opened = len(emulator.calls_to("views.open"))
    click(driver, emulator, dm, "Shipped", user=SEED.dana)
    wait_until(lambda: len(emulator.calls_to("views.open")) > opened, what="the link modal")
    modal = emulator.modal_stack(SEED.dana)[-1]
    field = BlockId.STAGE_LINK.value
    bad = driver.view_submission(
        user=SEED.dana, view=modal["id"], values={field: {"input": "javascript:alert(1)"}}
    )
    assert set(bad.json["errors"]) == {BlockId.STAGE_LINK}
    link = "https://example.com/releases/4.2"
    good = driver.view_submission(user=SEED.dana, view=modal["id"], values={field: {"input": link}})
    assert good.json == {"response_action": "clear"}
    card = team.wait_for_card("Follow-through: *Shipped*", SEED.product)
    assert f"<{link}|example.com>" in str(card)
    note = scout.wait_for("moved it to *Shipped*")
    assert link in str(note["blocks"]) and "Tell the customer?" in note["text"]


def test_lost_asks_why_ends_the_follow_up_and_tells_the_scout_without_a_customer_draft(
    driver, emulator, engine, jobs  # noqa: F811
):  # fmt: skip
    due = working_day(5)
    scout, team, answer = action_sales(driver, emulator, due)
    assert answer.json == {"response_action": "clear"}
    assert jobs(f"{due.isoformat()}T10:00")["follow_ups"] == "1 asked"
    [dm] = wait_until(lambda: follow_up_dms(emulator), what="the follow-up DM")
    opened = len(emulator.calls_to("views.open"))
    click(driver, emulator, dm, "Lost", user=SEED.dana)
    wait_until(lambda: len(emulator.calls_to("views.open")) > opened, what="the reason modal")
    modal = emulator.modal_stack(SEED.dana)[-1]
    field = BlockId.STAGE_REASON.value
    empty = driver.view_submission(user=SEED.dana, view=modal["id"], values={field: {"input": " "}})
    assert set(empty.json["errors"]) == {BlockId.STAGE_REASON}
    reason = "Budget moved to <!channel> next year"  # a mention in it must not ping anyone
    good = driver.view_submission(
        user=SEED.dana, view=modal["id"], values={field: {"input": reason}}
    )
    assert good.json == {"response_action": "clear"}

    team.wait_for_card("Follow-through: *Lost*", SEED.sales)
    note = scout.wait_for("moved it to *Lost*")
    assert "Budget moved to" in note["text"] and "<!channel>" not in note["text"]
    assert "Tell the customer?" not in note["text"]  # nothing was realised
    with session_scope(engine) as session:
        [follow] = session.exec(select(FollowUp)).all()
        lost = session.exec(select(StageChange).where(StageChange.stage == "lost")).one()
    assert follow.stage == "lost" and follow.due_on is None  # it ends: no more follow-ups
    assert lost.realised is False and lost.reason == reason
    assert jobs(f"{(due + timedelta(days=30)).isoformat()}T10:00")["follow_ups"] == "0 asked"


def test_an_outcome_that_does_not_start_the_stages_ends_at_actioned(
    driver, emulator, engine, jobs  # noqa: F811
):  # fmt: skip
    """A roadmap item given on a sales card opens no opportunity: no stage on the card, no
    follow-up DM; the modal's date says which outcome it is for."""
    due = working_day(5)
    _scout, team, answer = action_sales(driver, emulator, due, outcome="roadmap")
    assert answer.json == {"response_action": "clear"}
    card = team.wait_for_card("*Actioned*", SEED.sales)
    assert "Follow-through" not in str(card) and "Opportunity opened" not in str(card)
    assert jobs(f"{due.isoformat()}T10:00")["follow_ups"] == "0 asked"
    with session_scope(engine) as session:
        assert session.exec(select(FollowUp)).all() == []
    view = team.modal("Actioned", channel=SEED.product)
    [picker] = [b for b in view["blocks"] if b.get("block_id") == BlockId.FOLLOW_UP_DATE]
    assert picker["hint"]["text"].startswith("For “Roadmap item”: on this day")
