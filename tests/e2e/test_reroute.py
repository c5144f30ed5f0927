"""A card is re-routed to another team: the new channel gets it, the old card says where."""

from __future__ import annotations

import threading
from datetime import timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from slack_sdk import WebClient
from sqlmodel import col

from bot.cli.terminal import find_button
from bot.discoveries.nudges import nudge_open_loops
from bot.emulator import SEED
from bot.rendering.ids import BlockId
from storage.engine import session_scope
from storage.enums import DiscoveryStatus
from storage.models import Discovery, DiscoveryRoute, StatusChange
from storage.types import utc_now
from tests.e2e.people import wait_until
from tests.e2e.test_card_actions import history, logged, replies


def reroute(team, view: dict, *, to: str, note: str, user: str = SEED.dana, how: str | None = None):
    values = {BlockId.STATUS_NOTE.value: {"input": note}}
    selected = {"type": "static_select", "selected_option": {"value": to}}
    values |= {BlockId.REROUTE_TO.value: {"input": selected}}
    if how is not None:  # unanswered, as an older client sends it, is a move
        chosen = {"type": "static_select", "selected_option": {"value": how}}
        values |= {BlockId.REROUTE_HOW.value: {"input": chosen}}
    return team.driver.view_submission(user=user, view=view["id"], values=values)


def marketing_card(emulator) -> dict:
    return wait_until(lambda: emulator.messages(SEED.marketing)[:1], what="a card in #marketing")[0]


def test_reroute_moves_the_card_and_tells_the_scout(driver, emulator, engine):
    scout, receipt, team = logged(driver, emulator)
    team.click("Acknowledge")
    team.wait_for_card("is on it")
    view = team.modal("Re-route")
    options = [o["value"] for o in view["blocks"][1]["element"]["options"]]
    assert options == ["marketing"]  # product and sales have it already

    answer = reroute(team, view, to="marketing", note="A messaging gap <!channel>", how="move")

    assert answer.json == {"response_action": "clear"}
    card = marketing_card(emulator)
    assert "Re-routed here from" in str(card) and f"<#{SEED.product}>" in str(card)
    assert find_button([card], "Acknowledge") is not None  # new for marketing: pick it up
    old = wait_until(lambda: "Re-routed* to" in str(team.card()) and team.card(), what="moved")
    assert f"<#{SEED.marketing}>" in str(old) and "&lt;!channel&gt;" in str(old)
    assert find_button([old], "Acknowledge") is None and find_button([old], "Re-route") is None
    sales = wait_until(
        lambda: "Marketing: new" in str(team.card(SEED.sales)) and team.card(SEED.sales)
    )
    assert find_button([sales], "Actioned") is not None  # the other team keeps its card
    assert "Product:" not in str(sales)  # product passed it on: no answer of its own to show
    _picked, moved = replies(emulator, scout, receipt, count=2)
    assert moved["text"] == (
        f":twisted_rightwards_arrows: Re-routed from <#{SEED.product}> to <#{SEED.marketing}>"
        f" by <@{SEED.dana}>: A messaging gap &lt;!channel&gt;"
    )
    last = history(engine)[-1]
    assert (last.from_status, last.to_status) == (DiscoveryStatus.ACKNOWLEDGED, DiscoveryStatus.NEW)
    assert (last.rerouted_from, last.rerouted_to) == ("product", "marketing")


def test_a_double_submitted_reroute_moves_the_card_once(driver, emulator, engine):
    scout, receipt, team = logged(driver, emulator)
    view = team.modal("Re-route")

    answers = [reroute(team, view, to="marketing", note="Theirs") for _ in range(2)]

    assert [a.json for a in answers] == [{"response_action": "clear"}] * 2
    marketing_card(emulator)
    replies(emulator, scout, receipt, count=1)
    assert len(emulator.messages(SEED.marketing)) == 1
    assert sum(1 for c in history(engine) if c.rerouted_to) == 1


def test_two_people_rerouting_at_once_move_the_card_once(driver, emulator, engine):
    _scout, _receipt, team = logged(driver, emulator)
    views = [team.modal("Re-route", user=user) for user in (SEED.dana, SEED.sally)]
    answers: list = [None, None]

    def submit(index: int, user: str) -> None:
        answers[index] = reroute(team, views[index], to="marketing", note=f"by {user}", user=user)

    threads = [threading.Thread(target=submit, args=(i, u)) for i, u in enumerate((SEED.dana, SEED.sally))]  # fmt: skip
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    actions = sorted(a.json["response_action"] for a in answers)
    assert actions == ["clear", "errors"]
    refused = next(a.json for a in answers if a.json["response_action"] == "errors")
    assert "already re-routed" in str(refused["errors"])
    assert sum(1 for c in history(engine) if c.rerouted_to) == 1


def test_reroute_is_refused_once_the_discovery_is_closed(driver, emulator, engine):
    _scout, _receipt, team = logged(driver, emulator)
    stale = team.card()
    view = team.modal("Decline")
    team.submit(view, note="Not for us")
    team.wait_for_card("*Declined* by")

    team.click("Re-route", card=stale)

    wait_until(lambda: emulator.ephemerals(SEED.product), what="a refusal")
    [note] = emulator.ephemerals(SEED.product)
    assert note["to_user"] == SEED.dana and "already declined" in note["text"]
    assert not emulator.messages(SEED.marketing)


def test_a_rerouted_card_is_nudged_by_its_own_age_not_the_discoverys(driver, emulator, engine):
    """The nudge clock of a moved card starts when it arrived in its new channel."""
    _scout, _receipt, team = logged(driver, emulator)
    reroute(team, team.modal("Re-route"), to="marketing", note="Theirs")
    marketing_card(emulator)
    with session_scope(engine) as session:  # the discovery is old; the move is recent
        month_ago, hour_ago = utc_now() - timedelta(days=30), utc_now() - timedelta(hours=1)
        session.exec(sa.update(Discovery).values(created_at=month_ago))
        session.exec(sa.update(DiscoveryRoute).values(created_at=month_ago))
        moved = col(DiscoveryRoute.route) == "marketing"
        session.exec(sa.update(DiscoveryRoute).where(moved).values(created_at=hour_ago))
        moves = sa.update(StatusChange).where(col(StatusChange.rerouted_to).is_not(None))
        session.exec(moves.values(at=hour_ago))
    client = WebClient(token=SEED.bot_token, base_url=emulator.api_url)

    nudge_open_loops(engine=engine, client=client, zone=ZoneInfo("Europe/Berlin"), now=utc_now())

    def threaded(channel: str) -> list[dict]:
        return [m for m in emulator.messages(channel) if m.get("thread_ts", m["ts"]) != m["ts"]]

    assert threaded(SEED.marketing) == []  # an hour in its new channel: no nudge yet
    assert threaded(SEED.product) == []  # moved away: nothing to nudge there
    assert len(threaded(SEED.sales)) == 1  # the sales card is 30 days old


def test_also_send_reaches_another_team_and_this_team_keeps_its_card(driver, emulator, engine):
    scout, receipt, team = logged(driver, emulator)
    team.click("Acknowledge")
    team.wait_for_card("is on it")
    view = team.modal("Re-route")

    answer = reroute(team, view, to="marketing", note="A story for them too", how="also")

    assert answer.json == {"response_action": "clear"}
    card = marketing_card(emulator)
    assert "Also sent here from" in str(card) and find_button([card], "Acknowledge")
    product = team.wait_for_card("Marketing: new")
    assert f"<@{SEED.dana}> is on it" in str(product) and find_button([product], "Actioned")
    assert "Re-routed" not in str(product)
    _picked, sent = replies(emulator, scout, receipt, count=2)
    assert sent["text"].startswith(
        f":twisted_rightwards_arrows: Also sent from <#{SEED.product}> to <#{SEED.marketing}>"
    )
    with session_scope(engine) as session:
        routes = {r.route: r for r in session.exec(sa.select(DiscoveryRoute)).scalars()}
    assert routes["product"].status == DiscoveryStatus.ACKNOWLEDGED
    assert routes["product"].rerouted_to is None and routes["marketing"].status == "new"
    last = history(engine)[-1]
    assert (last.route_id, last.from_status) == (routes["marketing"].id, None)


def test_a_double_submitted_also_send_sends_once(driver, emulator, engine):
    scout, receipt, team = logged(driver, emulator)
    view = team.modal("Re-route")

    answers = [reroute(team, view, to="marketing", note="Too", how="also") for _ in range(2)]

    assert [a.json for a in answers] == [{"response_action": "clear"}] * 2
    marketing_card(emulator)
    replies(emulator, scout, receipt, count=1)
    assert len(emulator.messages(SEED.marketing)) == 1
    assert sum(1 for c in history(engine) if c.rerouted_to) == 1
