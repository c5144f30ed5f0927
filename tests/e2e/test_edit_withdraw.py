"""The scout edits a discovery until it is picked up, or withdraws it; others are told who can."""

from __future__ import annotations

from datetime import UTC
from zoneinfo import ZoneInfo

from sqlmodel import select

from bot.cli.terminal import find_button
from bot.config import TIMEZONE
from bot.emulator import SEED
from bot.rendering.ids import ActionId
from storage.engine import session_scope
from storage.enums import DiscoveryStatus
from storage.models import Discovery, DiscoveryRoute
from storage.queries import set_setting
from storage.types import utc_now
from tests.e2e.people import wait_until
from tests.e2e.test_card_actions import history, logged, replies
from tests.e2e.test_dialogue_modal import modal_state


def opened_modal(emulator, user: str, before: int) -> dict:
    wait_until(lambda: len(emulator.calls_to("views.open")) > before, what="a modal")
    return emulator.modal_stack(user)[-1]


def scout_opens(scout, emulator, label: str, receipt: dict) -> dict:
    before = len(emulator.calls_to("views.open"))
    scout.click(label, message=receipt)
    return opened_modal(emulator, SEED.scout, before)


def card_menu(team, emulator, what: str, *, user: str) -> None:
    """Pick Edit or Withdraw from the card's ⋯ menu."""
    card = team.card()
    [menu] = [
        e for b in card["blocks"] if b["type"] == "actions" for e in b["elements"]
        if e["type"] == "overflow"
    ]  # fmt: skip
    option = next(o for o in menu["options"] if o["value"].startswith(what))
    response = team.driver.block_action(
        user=user, action_id=ActionId.CARD_MORE.value, message=card,
        channel=team.emulator.seed.product,
        selected_option=option,
    )  # fmt: skip
    assert response.status == 200, response.body


def test_the_scout_edits_from_the_receipt_and_every_card_says_edited(driver, emulator, engine):
    scout, receipt, team = logged(driver, emulator)
    view = scout_opens(scout, emulator, "Edit", receipt)
    state = modal_state(view, {"outcome": "Onboard a new store in half a day <!here>"})
    assert state["account"]["input"]["value"] == "Globex"  # prefilled with what was logged

    answer = driver.view_submission(user=SEED.scout, view=view["id"], values=state)

    assert answer.json == {"response_action": "clear"}
    for card in team.wait_for_cards("edited by the scout"):
        assert "Onboard a new store in half a day &lt;!here&gt;" in str(card)
    with session_scope(engine) as session:
        discovery = session.exec(select(Discovery)).one()
        assert discovery.outcome.endswith("<!here>") and discovery.edited_at is not None


def test_a_card_says_the_day_it_was_edited_on_the_workspaces_clock(driver, emulator, engine):
    """The admin chose a zone whose date is not UTC's now (UTC+14 or UTC-11)."""
    zone = ZoneInfo("Pacific/Kiritimati" if utc_now().hour >= 10 else "Pacific/Pago_Pago")
    with session_scope(engine) as session:
        set_setting(session=session, key=TIMEZONE, value=zone.key, changed_by=SEED.admin)
    scout, receipt, team = logged(driver, emulator)
    view = scout_opens(scout, emulator, "Edit", receipt)
    state = modal_state(view, {"outcome": "Onboard a new store in half a day"})
    assert driver.view_submission(user=SEED.scout, view=view["id"], values=state).status == 200

    cards = team.wait_for_cards("edited by the scout")
    with session_scope(engine) as session:
        edited = session.exec(select(Discovery.edited_at)).one()
    assert edited.astimezone(zone).date() != edited.astimezone(UTC).date()
    shown = f"edited by the scout on {edited.astimezone(zone):%-d %b %Y}"
    assert all(shown in str(card) for card in cards)


def test_editing_is_closed_once_someone_picked_it_up(driver, emulator, engine):
    scout, receipt, team = logged(driver, emulator)
    open_view = scout_opens(scout, emulator, "Edit", receipt)  # opened before the pick-up
    team.click("Acknowledge")
    team.wait_for_card("is on it")

    late = driver.view_submission(
        user=SEED.scout, view=open_view["id"], values=modal_state(open_view, {"gap": "Changed"})
    )
    scout.click("Edit", message=receipt)

    assert late.json["response_action"] == "errors"
    assert "picked this discovery up already" in str(late.json["errors"])
    note = wait_until(lambda: emulator.ephemerals(scout.dm), what="a refusal")[-1]
    assert note["to_user"] == SEED.scout
    assert f"<@{SEED.dana}> has picked this discovery up already" in note["text"]
    with session_scope(engine) as session:
        discovery = session.exec(select(Discovery)).one()
        assert discovery.gap != "Changed" and discovery.edited_at is None


def test_the_scout_withdraws_and_the_cards_and_thread_say_so(driver, emulator, engine):
    scout, receipt, team = logged(driver, emulator)
    confirm = scout_opens(scout, emulator, "Withdraw", receipt)

    assert driver.view_submission(user=SEED.scout, view=confirm["id"]).status == 200

    for card in team.wait_for_cards("*Withdrawn* by"):
        assert (
            find_button([card], "Acknowledge") is None and find_button([card], "Re-route") is None
        )
    [reply] = replies(emulator, scout, receipt)
    assert reply["text"] == f":leftwards_arrow_with_hook: Withdrawn by <@{SEED.scout}>."
    assert history(engine)[-1].to_status == DiscoveryStatus.WITHDRAWN


def test_someone_else_is_told_who_may_withdraw_and_an_admin_may(driver, emulator, engine):
    _scout, _receipt, team = logged(driver, emulator)

    card_menu(team, emulator, "withdraw", user=SEED.dana)

    note = wait_until(lambda: emulator.ephemerals(SEED.product), what="a refusal")[-1]
    assert note["to_user"] == SEED.dana
    assert f"<@{SEED.scout}>" in note["text"] and f"<@{SEED.admin}>" in note["text"]
    assert not emulator.modal_stack(SEED.dana)

    before = len(emulator.calls_to("views.open"))
    card_menu(team, emulator, "withdraw", user=SEED.admin)
    confirm = opened_modal(emulator, SEED.admin, before)
    driver.view_submission(user=SEED.admin, view=confirm["id"])
    team.wait_for_cards("*Withdrawn* by")
    last = history(engine)[-1]
    assert (last.to_status, last.actor_user_id) == (DiscoveryStatus.WITHDRAWN, SEED.admin)


def test_a_forged_edit_by_someone_else_changes_nothing(driver, emulator, engine):
    scout, receipt, _team = logged(driver, emulator)
    view = scout_opens(scout, emulator, "Edit", receipt)

    forged = driver.view_submission(
        user=SEED.dana, view=view, values=modal_state(view, {"gap": "Forged"})
    )

    assert forged.json["response_action"] == "errors"
    assert "Only the scout or an admin" in str(forged.json["errors"])
    with session_scope(engine) as session:
        discovery = session.exec(select(Discovery)).one()
        assert discovery.gap != "Forged"


def test_the_receipts_buttons_follow_the_status(driver, emulator, engine):
    scout, receipt, team = logged(driver, emulator)

    def receipt_now() -> dict:
        return next(m for m in emulator.messages(scout.dm) if m["ts"] == receipt["ts"])

    def buttons() -> list[str]:
        now = receipt_now()
        return [e["text"]["text"] for b in now["blocks"] if b["type"] == "actions" for e in b["elements"]]  # fmt: skip

    assert buttons() == ["Edit", "Withdraw"]
    team.click("Acknowledge")
    wait_until(lambda: buttons() == ["Withdraw"], what="Edit gone once picked up")
    team.submit(team.modal("Decline"), note="Not for us")
    wait_until(lambda: "(declined" in str(receipt_now()), what="the receipt says product declined")
    assert buttons() == ["Withdraw"]  # sales still owes its answer
    sales = team.modal("Decline", user=SEED.sally, channel=SEED.sales)
    team.submit(sales, note="Not for us either", user=SEED.sally)
    wait_until(lambda: buttons() == [], what="no buttons once every team answered")


def test_withdrawing_closes_every_open_route_and_keeps_a_teams_answer(driver, emulator, engine):
    scout, receipt, team = logged(driver, emulator)
    team.submit(team.modal("Actioned"), kind="roadmap", note="On the roadmap")
    team.wait_for_card("*Actioned* by")
    confirm = scout_opens(scout, emulator, "Withdraw", receipt)  # sales still owes an answer

    assert driver.view_submission(user=SEED.scout, view=confirm["id"]).status == 200

    sales = team.wait_for_card("*Withdrawn* by", SEED.sales)
    assert find_button([sales], "Acknowledge") is None and "Product: actioned" in str(sales)
    product = team.wait_for_card("Sales: withdrawn")
    assert "*Actioned* by" in str(product)
    with session_scope(engine) as session:
        statuses = dict(session.exec(select(DiscoveryRoute.route, DiscoveryRoute.status)).all())
        assert session.exec(select(Discovery.status)).one() == DiscoveryStatus.WITHDRAWN
    assert statuses == {"product": DiscoveryStatus.ACTIONED, "sales": DiscoveryStatus.WITHDRAWN}
    assert history(engine)[-1].route_id is None  # one row for every route it closed
