"""A PM merges two discoveries from a card's menu: accounts, values and history kept, each
team's further answer wins, the other one closed with a pointer; refused when it should be."""

from __future__ import annotations

from sqlmodel import select

from bot.emulator import SEED
from bot.rendering.ids import ActionId, BlockId
from storage.engine import session_scope
from storage.enums import DiscoveryStatus
from storage.models import DialogueSession, Discovery, DiscoverySupporter, StatusChange
from tests.e2e.people import wait_until
from tests.e2e.test_card_actions import Team, logged
from tests.e2e.test_supporters import look_alike


def card_of(emulator, channel: str, discovery_id: int) -> dict:
    mark = f"discovery #{discovery_id}"
    return wait_until(
        lambda: next((m for m in emulator.messages(channel) if mark in str(m)), None),
        what=f"the card of #{discovery_id} in {channel}",
    )


def open_merge(team: Team, channel: str, discovery_id: int, *, user: str = SEED.dana, card=None):
    """Pick "Merge with…" on the card's menu; the modal opened, or None (told why not)."""
    card = card or card_of(team.emulator, channel, discovery_id)
    [menu] = [e for b in card["blocks"] if b["type"] == "actions" for e in b["elements"]
              if e["type"] == "overflow"]  # fmt: skip
    option = next(o for o in menu["options"] if o["value"].startswith("merge:"))
    opened, told = len(team.emulator.calls_to("views.open")), len(team.emulator.ephemerals(channel))
    response = team.driver.block_action(
        user=user, action_id=ActionId.CARD_MORE.value, message=card, channel=channel,
        selected_option=option,
    )  # fmt: skip
    assert response.status == 200, response.body
    wait_until(
        lambda: len(team.emulator.calls_to("views.open")) > opened
        or len(team.emulator.ephemerals(channel)) > told, what="a modal or a refusal",
    )  # fmt: skip
    if len(team.emulator.calls_to("views.open")) > opened:
        return team.emulator.modal_stack(user)[-1]
    return None


def merge(team: Team, view: dict, typed: str, *, user: str = SEED.dana):
    values = {BlockId.MERGE_WITH.value: {ActionId.MODAL_INPUT.value: typed}}
    return team.driver.view_submission(user=user, view=view["id"], values=values)


def two_discoveries(driver, emulator, engine, *, routes: list[str] | None = None) -> Team:
    """#1 at Globex by Sam (its cards in #product and #sales), #2 at Initech by Sally."""
    _scout, _receipt, team = logged(driver, emulator)
    second = look_alike(driver, emulator)
    if routes:
        second.tick(routes)  # stored after the ack: wait for it before submitting
        wait_until(lambda: _routes(engine, SEED.sally) == routes, what="the teams ticked")
    second.click("Submit", expect="on its way", message=second.last())
    card_of(emulator, SEED.product, 2)
    return team


def _routes(engine, user: str) -> list[str] | None:
    with session_scope(engine) as session:
        dialogue = session.exec(select(DialogueSession).where(DialogueSession.user_id == user))
        return dialogue.one().answers.get("routes")


def test_a_pm_merges_a_discovery_and_both_cards_say_so(driver, emulator, engine):
    team = two_discoveries(driver, emulator, engine)
    old_card_of_2 = card_of(emulator, SEED.product, 2)
    team.click("Acknowledge", card=old_card_of_2)  # #product is further along on #2
    wait_until(lambda: "is on it" in str(card_of(emulator, SEED.product, 2)), what="ack")
    view = open_merge(team, SEED.product, 1)
    assert "#2" in str(view)  # the look-alike is offered as a hint
    assert view["title"]["text"] == "Merge discoveries"  # not the accounts' modal's title

    assert merge(team, view, "#2").json == {"response_action": "clear"}

    kept = wait_until(lambda: (c := card_of(emulator, SEED.product, 1)) and "2 accounts" in str(c) and c,
                      what="#1 counting both accounts")  # fmt: skip
    assert "Initech" in str(kept) and "Merged into this one: #2" in str(kept)
    assert "Merged from discovery #2" in str(kept)  # #product's answer came with it
    other = wait_until(lambda: (c := card_of(emulator, SEED.sales, 2)) and "Merged into discovery #1" in str(c) and c,
                       what="#2 pointing to #1")  # fmt: skip
    assert "overflow" not in str(other)  # closed: nothing left to click
    sallys_dm = emulator.dm_channel_for(SEED.sally)
    told = wait_until(
        lambda: [m for m in emulator.messages(sallys_dm) if "Withdrawn by" in m["text"]],
        what="#2's scout told in her receipt's thread",
    )
    assert "Merged into discovery #1" in told[-1]["text"]  # not a bare "Withdrawn by Dana."
    with session_scope(engine) as session:
        supporter = session.exec(select(DiscoverySupporter)).one()
        statuses = dict(session.exec(select(Discovery.id, Discovery.status)).all())
        notes = [c.note for c in session.exec(select(StatusChange)) if c.note]
    assert (supporter.discovery_id, supporter.merged_from_id, supporter.account) == (1, 2, "Initech")
    assert statuses == {1: DiscoveryStatus.ACKNOWLEDGED, 2: DiscoveryStatus.WITHDRAWN}
    assert any("Merged into discovery #1" in note for note in notes)

    # Twice: the same submission again merges nothing more; the stale menu of #2 is refused.
    assert merge(team, view, "2").json == {"response_action": "clear"}
    assert open_merge(team, SEED.product, 2, card=old_card_of_2) is None
    assert "closed" in str(team.emulator.ephemerals(SEED.product)[-1])
    with session_scope(engine) as session:
        assert len(session.exec(select(DiscoverySupporter)).all()) == 1


def test_an_empty_or_wrong_number_is_refused_on_the_field(driver, emulator, engine):
    team = two_discoveries(driver, emulator, engine)
    view = open_merge(team, SEED.product, 1)
    for typed, says in (("", "Type the number"), ("soon", "Type the number"),
                        ("1", "That is this discovery"), ("99", "no open discovery #99")):  # fmt: skip
        answer = merge(team, view, typed)
        assert answer.json["response_action"] == "errors"
        assert says in answer.json["errors"][BlockId.MERGE_WITH.value]
    with session_scope(engine) as session:
        assert session.exec(select(DiscoverySupporter)).all() == []


def test_only_people_who_see_both_discoveries_or_admins_may_merge(driver, emulator, engine):
    team = two_discoveries(driver, emulator, engine, routes=["product"])  # #2 is not in #sales
    view = open_merge(team, SEED.sales, 1, user=SEED.sally)

    answer = merge(team, view, "2", user=SEED.sally)

    assert "Only an admin" in answer.json["errors"][BlockId.MERGE_WITH.value]
    admin_view = open_merge(team, SEED.sales, 1, user=SEED.admin)
    assert merge(team, admin_view, "2", user=SEED.admin).json == {"response_action": "clear"}
    with session_scope(engine) as session:
        assert session.exec(select(DiscoverySupporter.merged_from_id)).all() == [2]
