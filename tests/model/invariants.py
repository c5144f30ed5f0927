"""What must hold after every step people take, whatever they did."""

from __future__ import annotations

import json

from sqlmodel import select

from bot.discoveries.service import CARD, RECEIPT
from bot.domain.lifecycle import overall
from bot.emulator import SEED, SlackEmulator
from bot.emulator.driver import DriverResponse
from bot.rendering.cards import BUTTONS
from bot.rendering.ids import ActionId
from bot.rendering.receipts import SCOUT_BUTTONS
from bot.routes import current_routes
from storage.engine import session_scope
from storage.enums import DiscoveryStatus
from storage.models import Discovery, DiscoveryRoute, OutboxMessage
from tests.model.world import Screens

APOLOGY = "something went wrong"
ACK_BUDGET = 3.0  # seconds: Slack shows the person an error after this
STATUS_WORDS = {  # what a card says for each status (a re-route says so instead)
    DiscoveryStatus.ACKNOWLEDGED: "is on it",
    DiscoveryStatus.ACTIONED: "*Actioned*",
    DiscoveryStatus.DECLINED: "*Declined*",
    DiscoveryStatus.WITHDRAWN: "*Withdrawn*",
}
CARD_MARK = "Value Scout · discovery #"  # the context line that names a card's discovery
CHANNELS = (SEED.sales, SEED.marketing, SEED.product, SEED.coaches, SEED.general)


def answered_in_time(responses: list[DriverResponse]) -> None:
    """Every request was acknowledged with a 2xx within Slack's budget."""
    for response in responses:
        sent = _describe(response.sent or {})
        assert 200 <= response.status < 300, (
            f"{sent} answered {response.status}: {response.body[:300]}"
        )
        assert response.elapsed < ACK_BUDGET, f"acknowledged after {response.elapsed:.2f} s"


def _describe(sent: dict) -> str:
    """What a request was, in a few words, for a failure message."""
    payload = json.loads(sent["payload"]) if isinstance(sent.get("payload"), str) else sent
    kind = payload.get("type") or payload.get("command") or "request"
    view = payload.get("view") or {}
    actions = [a.get("action_id") for a in payload.get("actions") or []]
    event = (payload.get("event") or {}).get("type")
    return f"{kind} {view.get('callback_id', '')} {actions or ''} {event or ''}".strip()


def slack_accepted_everything(emulator: SlackEmulator, seen: int) -> int:
    """Every Web API call since `seen` was accepted (Block Kit valid, ids known); returns the count."""
    calls = emulator.calls
    for call in calls[seen:]:
        body = call.response if isinstance(call.response, dict) else {}
        assert body.get("ok", True), f"{call.method} refused: {body.get('error')} {body}"
    return len(calls)


def nobody_saw_an_apology(emulator: Screens, people: list[str]) -> None:
    """No message, ephemeral or response in any channel or DM apologises for a crash."""
    places = [*CHANNELS, *(emulator.dm_channel_for(p) for p in people)]
    for place in places:
        shown = emulator.messages(place) + emulator.ephemerals(place)
        sorry = [m for m in shown if APOLOGY in str(m.get("text", "")) + str(m.get("blocks", ""))]
        assert not sorry, f"apology in {place}: {sorry[-1].get('text')}"
    posts = [p for p in emulator.response_url_posts if APOLOGY in str(p.payload)]
    assert not posts, f"apology via response_url: {posts[-1].payload}"


def cards_tell_the_truth(emulator: Screens, engine) -> int:
    """Each discovery has one card per channel it went to, saying its status; one receipt."""
    with session_scope(engine) as session:
        discoveries = {d.id: d for d in session.exec(select(Discovery)).all()}
        routes = session.exec(select(DiscoveryRoute)).all()
        posts = session.exec(
            select(OutboxMessage).where(OutboxMessage.kind.in_([CARD, RECEIPT]))
        ).all()
    for route in routes:
        discovery = discoveries[route.discovery_id]
        assert route.message_ts, f"discovery #{discovery.id}'s {route.route} card was never posted"
        card = emulator.message(route.channel_id, route.message_ts)
        siblings = [r for r in routes if r.discovery_id == route.discovery_id]
        _card_agrees(card, discovery, route, siblings)
    for channel in (SEED.sales, SEED.marketing, SEED.product):
        _one_card_each(emulator.messages(channel), channel)
    for receipt in (p for p in posts if p.kind == RECEIPT):
        assert receipt.posted_ts, f"discovery #{receipt.discovery_id}'s receipt was never posted"
        shown = emulator.message(receipt.posted_channel or receipt.channel_id, receipt.posted_ts)
        mine = [r for r in routes if r.discovery_id == receipt.discovery_id]
        _receipt_agrees(shown, discoveries[receipt.discovery_id], mine)
    return len(discoveries)


def _card_agrees(
    card: dict, discovery: Discovery, route: DiscoveryRoute, siblings: list[DiscoveryRoute]
) -> None:
    """The card shows its own team's status (buttons and words) and each other team's."""
    text = str(card.get("blocks"))
    where = f"discovery #{discovery.id}'s {route.route} card"
    assert f"{CARD_MARK}{discovery.id}" in text, f"{where} does not name it"
    shown = _action_ids(card)
    if route.rerouted_to is not None:
        assert "Re-routed" in text and not shown, f"{where} moved away but does not say so"
        return
    assert discovery.status == overall(r.status for r in siblings if r.rerouted_to is None), (
        f"discovery #{discovery.id} is {discovery.status}, not what its routes add up to"
    )
    expected = {action.value for action, _style in BUTTONS.get(route.status, ())}
    if discovery.status != DiscoveryStatus.WITHDRAWN:  # Themes… (Merge while open; Edit, Withdraw while new)
        expected.add(ActionId.CARD_MORE.value)
    assert shown == expected, f"{where} is {route.status} but offers {sorted(shown)}"
    words = STATUS_WORDS.get(route.status)
    assert words is None or words in text, f"{where} is {route.status} but does not say so"
    labels = current_routes()
    for other in siblings:
        if other.rerouted_to is None and other.id != route.id:
            said = f"{labels.label(other.route)}: {other.status.value}"
            assert said in text, f"{where} does not say {said!r}"


def _receipt_agrees(receipt: dict, discovery: Discovery, routes: list[DiscoveryRoute]) -> None:
    """The receipt offers what the discovery's status allows and says each team's answer."""
    expected = {a.value for _label, a, statuses in SCOUT_BUTTONS if discovery.status in statuses}
    shown = _action_ids(receipt)
    assert shown == expected, (
        f"discovery #{discovery.id}'s receipt offers {sorted(shown)} while {discovery.status}"
    )
    text = str(receipt.get("blocks"))
    for route in routes:
        said = f"<#{route.channel_id}> ({'passed it on' if route.rerouted_to else route.status}"
        assert f"<#{route.channel_id}>" not in text or said in text, (
            f"discovery #{discovery.id}'s receipt does not say {route.route} is {said}"
        )


def _one_card_each(messages: list[dict], channel: str) -> None:
    top = [m for m in messages if m.get("thread_ts") in (None, m.get("ts"))]
    cards = [m for m in top if CARD_MARK in str(m.get("blocks"))]
    named = [_discovery_named(m) for m in cards]
    doubled = {n for n in named if named.count(n) > 1}
    assert not doubled, f"{channel} has more than one card of discoveries {sorted(doubled)}"


def _discovery_named(message: dict) -> str:
    text = str(message.get("blocks"))
    return text.split(CARD_MARK, 1)[1].split()[0].strip("'\",.")


def _action_ids(message: dict) -> set[str]:
    return {
        element.get("action_id", "")
        for block in message.get("blocks") or []
        for element in [*block.get("elements", []), block.get("accessory") or {}]
        if element.get("type") in ("button", "overflow", "static_select", "checkboxes")
    }
