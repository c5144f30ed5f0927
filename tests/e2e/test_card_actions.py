"""Receiving teams act on cards (acknowledge, actioned, decline) and the scout hears back."""

from __future__ import annotations

import threading

import sqlalchemy as sa
from sqlmodel import select

from bot.cli.terminal import find_button
from bot.emulator import SEED, SlackDriver, SlackEmulator
from bot.rendering.ids import BlockId, CallbackId
from storage.engine import session_scope
from storage.enums import DiscoveryStatus
from storage.models import Discovery, DiscoveryRoute, StatusChange
from tests.e2e.people import Scout, wait_until
from tests.e2e.test_dialogue_dm import answer_everything

HOSTILE = "<!channel> <@U0ADMIN> <https://evil.example|x> & co"
CARD_CHANNELS = (SEED.product, SEED.sales)


class Team:
    """The people in the route channels, clicking on the cards there."""

    def __init__(self, driver: SlackDriver, emulator: SlackEmulator) -> None:
        self.driver, self.emulator = driver, emulator

    def card(self, channel: str | None = None) -> dict:
        """The first card in a channel: the workspace's #product unless named."""
        return self.emulator.messages(channel or self.emulator.seed.product)[0]

    def click(
        self, label: str, *, user: str = SEED.dana, channel: str = SEED.product, card: dict | None = None
    ) -> None:  # fmt: skip
        """Click a button on the card (the one shown now, or an older copy of it)."""
        found = find_button([card or self.card(channel)], label)
        assert found is not None, f"no {label!r} on the card"
        message, block, button = found
        response = self.driver.block_action(
            user=user, action_id=button["action_id"], value=button["value"],
            block_id=block["block_id"], message=message, channel=channel,
        )  # fmt: skip
        assert response.status == 200, response.body

    def modal(self, label: str, *, user: str = SEED.dana, channel: str = SEED.product) -> dict:
        """Click a button that opens a modal, and return the modal once it is open."""
        opened = len(self.emulator.calls_to("views.open"))
        self.click(label, user=user, channel=channel)
        wait_until(lambda: len(self.emulator.calls_to("views.open")) > opened, what="a modal")
        return self.emulator.modal_stack(user)[-1]

    def submit(
        self, view: dict, *, note: str, kind: str | None = None, link: str = "", user: str = SEED.dana,
        reason: str | None = "other",
    ):  # fmt: skip
        """Submit an Actioned (`kind`) or Decline (`reason`, "other" unless told) modal."""
        values = {BlockId.STATUS_NOTE.value: {"input": note}}
        if reason and view.get("callback_id") == CallbackId.STATUS_DECLINED:
            selected = {"type": "static_select", "selected_option": {"value": reason}}
            values |= {BlockId.DECLINE_REASON.value: {"input": selected}}
        if kind:
            selected = {"type": "static_select", "selected_option": {"value": kind}}
            values |= {BlockId.STATUS_OUTCOME.value: {"input": selected}}
            values |= {BlockId.STATUS_LINK.value: {"input": link}}
        return self.driver.view_submission(user=user, view=view["id"], values=values)

    def wait_for_cards(self, expect: str) -> list[dict]:
        """Every card of the discovery, once all of them show `expect`."""
        cards = lambda: [self.card(c) for c in CARD_CHANNELS]  # noqa: E731
        return wait_until(lambda: all(expect in str(c) for c in cards()) and cards(), what=expect)

    def wait_for_card(self, expect: str, channel: str = SEED.product) -> dict:
        """The card in one channel (the one clicked, by default), once it shows `expect`."""
        return wait_until(
            lambda: expect in str(self.card(channel)) and self.card(channel), what=expect
        )


def logged(driver: SlackDriver, emulator: SlackEmulator) -> tuple[Scout, dict, Team]:
    """A discovery logged by DM, its cards in #product and #sales, the receipt in the DM."""
    scout = Scout(driver, emulator)
    answer_everything(scout)
    scout.click("Submit", expect="on its way")
    receipt = scout.wait_for("went to")
    return scout, receipt, Team(driver, emulator)


def replies(emulator: SlackEmulator, scout: Scout, receipt: dict, count: int = 1) -> list[dict]:
    """The replies in the receipt's thread, once there are `count` of them."""

    def thread() -> list[dict]:
        return [
            m
            for m in emulator.messages(scout.dm)
            if m.get("thread_ts") == receipt["ts"] and m["ts"] != receipt["ts"]
        ]

    wait_until(lambda: len(thread()) >= count, what=f"{count} replies in the receipt thread")
    return thread()


def history(engine) -> list[StatusChange]:
    with session_scope(engine) as session:
        return list(session.exec(select(StatusChange).order_by(StatusChange.id)).all())


def ephemerals(emulator: SlackEmulator) -> list[dict]:
    return [e for channel in CARD_CHANNELS for e in emulator.ephemerals(channel)]


def test_acknowledge_changes_its_own_teams_card_and_the_other_card_says_so(
    driver, emulator, engine
):
    scout, receipt, team = logged(driver, emulator)
    before = team.card()

    team.click("Acknowledge")

    product = team.wait_for_card(f"<@{SEED.dana}> is on it")
    assert product["ts"] == before["ts"] and len(emulator.messages(SEED.product)) == 1
    assert find_button([product], "Acknowledge") is None
    assert find_button([product], "Actioned") and find_button([product], "Decline")
    assert "Sales: new" in str(product)
    sales = team.wait_for_card("Product: acknowledged", SEED.sales)  # sales has not answered
    assert "is on it" not in str(sales) and find_button([sales], "Acknowledge")
    [reply] = replies(emulator, scout, receipt)
    assert reply["text"] == f":eyes: Picked up by <@{SEED.dana}> in <#{SEED.product}>."
    assert [(c.to_status, c.actor_user_id) for c in history(engine)][1:] == [
        (DiscoveryStatus.ACKNOWLEDGED, SEED.dana)
    ]


def test_actioned_through_its_modal_refuses_a_bad_link_then_closes_the_loop(
    driver, emulator, engine
):
    scout, receipt, team = logged(driver, emulator)
    team.click("Acknowledge")
    team.wait_for_card("is on it")
    view = team.modal("Actioned")

    bad = team.submit(view, kind="opportunity", note="Deal opened", link="javascript:alert(1)")
    assert bad.json["response_action"] == "errors"
    assert set(bad.json["errors"]) == {BlockId.STATUS_LINK}
    good = team.submit(
        view, kind="opportunity", note="Deal opened", link="https://crm.example/opp/9"
    )
    assert good.json == {"response_action": "clear"}

    card = team.wait_for_card("*Actioned* by")
    assert "Opportunity created or advanced — Deal opened" in str(card)
    assert "<https://crm.example/opp/9|crm.example>" in str(card)
    assert find_button([card], "Actioned") is None and find_button([card], "Decline") is None
    sales = team.wait_for_card("Product: actioned", SEED.sales)
    assert find_button([sales], "Acknowledge") and "*Actioned*" not in str(sales)
    picked, actioned = replies(emulator, scout, receipt, count=2)
    assert picked["text"].startswith(":eyes: Picked up by")
    assert actioned["text"] == (
        f":white_check_mark: Actioned by <@{SEED.dana}> in <#{SEED.product}>:"
        " Opportunity created or advanced"
        " — Deal opened — <https://crm.example/opp/9|crm.example>"
    )
    changes = history(engine)[1:]
    assert [(c.from_status, c.to_status) for c in changes] == [
        (DiscoveryStatus.NEW, DiscoveryStatus.ACKNOWLEDGED),
        (DiscoveryStatus.ACKNOWLEDGED, DiscoveryStatus.ACTIONED),
    ]
    assert (changes[1].actor_user_id, changes[1].note, changes[1].link) == (
        SEED.dana, "Deal opened", "https://crm.example/opp/9",
    )  # fmt: skip
    assert changes[1].outcome_kind == "opportunity"


def test_decline_needs_a_reason_and_goes_straight_from_new(driver, emulator, engine):
    scout, receipt, team = logged(driver, emulator)
    view = team.modal("Decline")

    empty = team.submit(view, note="   ", reason=None)
    assert set(empty.json["errors"]) == {BlockId.DECLINE_REASON}
    other = team.submit(view, note="   ", reason="other")  # "Other" alone says nothing
    assert set(other.json["errors"]) == {BlockId.STATUS_NOTE}
    assert team.submit(view, note="Not our market").json == {"response_action": "clear"}

    team.wait_for_card(f"*Declined* by <@{SEED.dana}>: Other — Not our market")
    [reply] = replies(emulator, scout, receipt)
    assert reply["text"] == (
        f":no_entry_sign: Declined by <@{SEED.dana}> in <#{SEED.product}>: Other — Not our market"
    )
    assert [(c.from_status, c.to_status, c.outcome_kind) for c in history(engine)][1:] == [
        (DiscoveryStatus.NEW, DiscoveryStatus.DECLINED, "other")
    ]


def test_a_decline_with_a_listed_reason_needs_no_note_and_says_the_reason(driver, emulator, engine):
    scout, receipt, team = logged(driver, emulator)
    view = team.modal("Decline")

    assert team.submit(view, note="", reason="not_now").json == {"response_action": "clear"}

    team.wait_for_card(f"*Declined* by <@{SEED.dana}>: Not now")
    [reply] = replies(emulator, scout, receipt)
    assert (
        reply["text"] == f":no_entry_sign: Declined by <@{SEED.dana}> in <#{SEED.product}>: Not now"
    )
    [declined] = [c for c in history(engine) if c.to_status == DiscoveryStatus.DECLINED]
    assert (declined.outcome_kind, declined.note) == ("not_now", None)


def test_a_second_decline_and_a_late_one_by_someone_else_change_nothing(driver, emulator, engine):
    scout, receipt, team = logged(driver, emulator)
    first = team.modal("Decline")
    late = team.modal("Decline", user=SEED.sally)  # Sally opened it before Dana submitted

    assert team.submit(first, note="", reason="duplicate").json == {"response_action": "clear"}
    again = team.submit(first, note="", reason="not_now")  # a double submit of Dana's modal
    refused = team.submit(late, note="", reason="not_now", user=SEED.sally)

    team.wait_for_card(f"*Declined* by <@{SEED.dana}>: Duplicate")
    assert again.status == 200  # answered (the modal is told), never a stack trace
    assert refused.json["response_action"] == "errors"
    assert "already declined" in refused.json["errors"][BlockId.STATUS_NOTE]
    declines = [c for c in history(engine) if c.to_status == DiscoveryStatus.DECLINED]
    assert [(c.actor_user_id, c.outcome_kind) for c in declines] == [(SEED.dana, "duplicate")]
    assert len(replies(emulator, scout, receipt)) == 1


def test_a_double_click_on_acknowledge_changes_the_status_once(driver, emulator, engine):
    scout, receipt, team = logged(driver, emulator)
    card = team.card()

    team.click("Acknowledge", card=card)
    team.click("Acknowledge", card=card)

    team.wait_for_card("is on it")
    replies(emulator, scout, receipt)

    # One change: each card is redrawn once (the repeat changes nothing, so redraws nothing).
    def redrawn() -> list[str]:
        return sorted(
            c.params["channel"] for c in emulator.calls_to("chat.update")
            if c.params["channel"] in CARD_CHANNELS
        )  # fmt: skip

    wait_until(lambda: len(redrawn()) >= 2, what="the cards redrawn")
    assert len(history(engine)) == 2 and len(replies(emulator, scout, receipt)) == 1
    assert redrawn() == sorted(CARD_CHANNELS)
    assert ephemerals(emulator) == []  # the same person's repeat: the card already says it


def _at_once(team: Team, clicks: list[tuple[str, str]]) -> None:
    """Each (user, channel) clicks Acknowledge on that channel's card at the same moment."""
    cards = {channel: team.card(channel) for _user, channel in clicks}
    start = threading.Barrier(len(clicks))

    def click(user: str, channel: str) -> None:
        start.wait()
        team.click("Acknowledge", user=user, channel=channel, card=cards[channel])

    people = [threading.Thread(target=click, args=args) for args in clicks]
    for person in people:
        person.start()
    for person in people:
        person.join(10)


def test_two_people_acknowledging_one_card_at_once_change_it_once_and_the_other_is_told(
    driver, emulator, engine
):
    scout, receipt, team = logged(driver, emulator)

    _at_once(team, [(SEED.dana, SEED.product), (SEED.sally, SEED.product)])

    [told] = wait_until(lambda: ephemerals(emulator), what="the ephemeral for the slower click")
    [ack] = [c for c in history(engine) if c.to_status == DiscoveryStatus.ACKNOWLEDGED]
    assert told["to_user"] != ack.actor_user_id
    assert f"already picked up by <@{ack.actor_user_id}>" in told["text"]
    assert len(replies(emulator, scout, receipt)) == 1


def test_two_teams_acknowledging_at_once_each_own_their_answer(driver, emulator, engine):
    scout, receipt, team = logged(driver, emulator)

    _at_once(team, [(SEED.dana, SEED.product), (SEED.sally, SEED.sales)])

    team.wait_for_card(f"<@{SEED.dana}> is on it")
    team.wait_for_card(f"<@{SEED.sally}> is on it", SEED.sales)
    acks = [c for c in history(engine) if c.to_status == DiscoveryStatus.ACKNOWLEDGED]
    assert sorted(c.actor_user_id for c in acks) == sorted([SEED.dana, SEED.sally])
    assert len({c.route_id for c in acks}) == 2 and ephemerals(emulator) == []
    with session_scope(engine) as session:
        assert session.exec(select(Discovery.status)).one() == DiscoveryStatus.ACKNOWLEDGED
    assert len(replies(emulator, scout, receipt, count=2)) == 2


def test_a_click_on_a_final_card_is_explained_never_silent(driver, emulator):
    _scout, _receipt, team = logged(driver, emulator)
    stale = team.card(SEED.product)  # as Sally's client still shows it
    team.submit(team.modal("Actioned"), kind="roadmap", note="On the Q3 roadmap")
    team.wait_for_card("*Actioned* by")

    team.click("Decline", user=SEED.sally, channel=SEED.product, card=stale)
    team.click("Acknowledge", user=SEED.sally, channel=SEED.product, card=stale)

    wait_until(lambda: len(emulator.ephemerals(SEED.product)) == 2, what="two ephemerals")
    for ephemeral in emulator.ephemerals(SEED.product):
        assert ephemeral["to_user"] == SEED.sally
        assert f"already actioned by <@{SEED.dana}>" in ephemeral["text"]
    assert emulator.modal_stack(SEED.sally) == []


def test_a_click_on_a_withdrawn_discovery_is_explained(driver, emulator, engine):
    _scout, _receipt, team = logged(driver, emulator)
    with session_scope(engine) as session:
        session.exec(sa.update(Discovery).values(status=DiscoveryStatus.WITHDRAWN))
        session.exec(sa.update(DiscoveryRoute).values(status=DiscoveryStatus.WITHDRAWN))

    team.click("Acknowledge")

    [told] = wait_until(lambda: emulator.ephemerals(SEED.product), what="the ephemeral")
    assert "withdrawn by the scout" in told["text"] and told["to_user"] == SEED.dana
    assert len(history(engine)) == 1


def test_a_rate_limited_reply_is_delivered_once_later(driver, emulator):
    scout, receipt, team = logged(driver, emulator)
    emulator.faults.rate_limit("chat.postMessage", retry_after=1, times=1)

    team.click("Acknowledge")

    [reply] = replies(emulator, scout, receipt)
    assert "Picked up by" in reply["text"]
    assert any(call.status == 429 for call in emulator.calls_to("chat.postMessage"))
    team.wait_for_card("is on it")
    assert len(replies(emulator, scout, receipt)) == 1


def test_hostile_notes_are_shown_literally_on_cards_and_in_replies(driver, emulator):
    scout, receipt, team = logged(driver, emulator)

    team.submit(team.modal("Decline"), note=HOSTILE)

    cards = [team.wait_for_card("*Declined* by")]
    [reply] = replies(emulator, scout, receipt)
    for posted in (*cards, reply):
        text = str(posted)
        assert "<!channel>" not in text and "<@U0ADMIN>" not in text and "<https://evil" not in text
        assert "&lt;!channel&gt; &lt;@U0ADMIN&gt;" in text and "&amp; co" in text


def test_a_card_keeps_its_related_discoveries_when_it_is_acknowledged(driver, emulator):
    scout, _receipt, team = logged(driver, emulator)
    answer_everything(scout)  # a second discovery at Globex, from the same scout
    scout.click("Submit", expect="on its way")
    second = wait_until(
        lambda: len(emulator.messages(SEED.product)) == 2 and emulator.messages(SEED.product)[-1]
    )
    assert "2nd discovery at Globex in 30 days" in str(second)

    team.click("Acknowledge", card=second)

    updated = wait_until(
        lambda: (
            "is on it" in str(emulator.messages(SEED.product)[-1])
            and emulator.messages(SEED.product)[-1]
        )
    )
    assert "2nd discovery at Globex in 30 days" in str(updated)


def test_only_the_cards_team_and_admins_change_its_status(driver, emulator, engine):
    """Anyone may open a public channel and click; only its members (the team) and admins change
    a card's status. Everyone else is told privately, and no modal opens."""
    _scout, _receipt, team = logged(driver, emulator)
    emulator.workspace.add_user("U0VISITOR", "vic", "Vic Visitor")  # in no channel
    emulator.workspace.leave(SEED.sales, SEED.admin)  # an admin away from #sales
    opened = len(emulator.calls_to("views.open"))
    for label in ("Acknowledge", "Actioned", "Decline", "Re-route"):
        team.click(label, user="U0VISITOR")
    def told() -> list[str]:  # not in the channel: no ephemeral there, so a DM
        calls = emulator.calls_to("chat.postMessage")
        return [c.params["text"] for c in calls if c.params.get("channel") == "U0VISITOR"]

    notes = wait_until(lambda: len(told()) >= 4 and told(), what="four private notes")
    assert all("Only members of <#C0PRODUCT> and Value Scout's admins" in note for note in notes)
    assert len(emulator.calls_to("views.open")) == opened
    assert [c.to_status for c in history(engine)] == [DiscoveryStatus.NEW]
    team.click("Acknowledge", user=SEED.admin, channel=SEED.sales)
    team.wait_for_card("is on it", SEED.sales)
