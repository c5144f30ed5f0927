"""The buttons on discovery cards and their modals: Acknowledge, Actioned, Decline, Re-route."""

from __future__ import annotations

import logging
from collections.abc import Callable

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.discoveries.loop import (
    Cards,
    Change,
    ChangeResult,
    change_status,
    load_cards,
    start_change,
)
from bot.discoveries.reroute import Move, offer_reroute, reroute_card
from bot.discoveries.similar import find_related
from bot.domain.lifecycle import RerouteRefused, Why
from bot.listeners.support import Services, acknowledge, after_ack, services, tell_privately
from bot.rendering.cards import discovery_card
from bot.rendering.ids import ActionId, BlockId, CallbackId
from bot.rendering.status import (
    CardRef,
    actioned_from_modal,
    actioned_modal,
    decline_modal,
    reason_from_modal,
    refusal_text,
    reroute_from_modal,
    reroute_modal,
    reroute_refusal,
)
from storage.engine import session_scope
from storage.enums import DiscoveryStatus
from storage.types import utc_now

Loaded = Cards | None

log = logging.getLogger(__name__)
READERS: dict[str, Callable] = {
    CallbackId.STATUS_ACTIONED.value: actioned_from_modal,
    CallbackId.STATUS_DECLINED.value: reason_from_modal,
    CallbackId.STATUS_REROUTED.value: reroute_from_modal,
}


def register(app: App) -> None:
    """Listen for the card buttons and the submissions of their modals."""
    app.action(ActionId.CARD_ACKNOWLEDGE.value)(ack=acknowledge, lazy=[handle_acknowledge])
    app.action(ActionId.CARD_ACTIONED.value)(ack=acknowledge, lazy=[open_actioned])
    app.action(ActionId.CARD_DECLINE.value)(ack=acknowledge, lazy=[open_decline])
    app.view(CallbackId.STATUS_ACTIONED.value)(ack=handle_actioned, lazy=[update_after_submit])
    app.view(CallbackId.STATUS_DECLINED.value)(ack=handle_declined, lazy=[update_after_submit])
    app.action(ActionId.CARD_REROUTE.value)(ack=acknowledge, lazy=[open_reroute])
    app.view(CallbackId.STATUS_REROUTED.value)(ack=handle_rerouted, lazy=[update_after_submit])


@after_ack
def handle_acknowledge(body: dict, action: dict, context: BoltContext, client: WebClient) -> None:
    """Acknowledge: claim the discovery once, however many clicks arrive."""
    card, user = _card(body, action), body["user"]["id"]
    result = _change(context, card, Change(DiscoveryStatus.ACKNOWLEDGED, user, card.channel_id))
    _after_change(client, services(context), card, user, result)


@after_ack
def open_actioned(body: dict, action: dict, context: BoltContext, client: WebClient) -> None:
    """Actioned: ask what came of it (the trigger id lasts 3 s: open the modal first thing)."""
    _open(client, services(context), body, action, DiscoveryStatus.ACTIONED)


@after_ack
def open_decline(body: dict, action: dict, context: BoltContext, client: WebClient) -> None:
    """Decline: ask why."""
    _open(client, services(context), body, action, DiscoveryStatus.DECLINED)


def handle_actioned(ack: Ack, body: dict, view: dict, context: BoltContext) -> None:
    """Check the outcome, note and link; errors show on their fields, else the change is made."""
    form, errors = actioned_from_modal(view)
    if form is None:
        ack(response_action="errors", errors=errors)
        return
    card = CardRef.of_view(view)
    change = Change(
        DiscoveryStatus.ACTIONED, body["user"]["id"], card.channel_id,
        note=form.note, outcome_kind=form.outcome_kind, link=form.link,
    )  # fmt: skip
    _submit(ack, context, card, change)


def handle_declined(ack: Ack, body: dict, view: dict, context: BoltContext) -> None:
    """Check the reason; an empty one shows on its field, else the discovery is declined."""
    reason, errors = reason_from_modal(view)
    if reason is None:
        ack(response_action="errors", errors=errors)
        return
    card = CardRef.of_view(view)
    change = Change(DiscoveryStatus.DECLINED, body["user"]["id"], card.channel_id, note=reason)
    _submit(ack, context, card, change)


@after_ack
def open_reroute(body: dict, action: dict, context: BoltContext, client: WebClient) -> None:
    """Re-route: ask where to and why, offering the teams it has not been to."""
    card, user = _card(body, action), body["user"]["id"]
    try:
        with session_scope(services(context).engine) as session:
            offer = offer_reroute(session=session, discovery_id=card.discovery_id, route=card.route)
    except RerouteRefused as refused:
        _tell(client, card, user, reroute_refusal(refused, account=refused.account))
        return
    view = reroute_modal(card=card, account=offer.account, routes=offer.routes)
    client.views_open(trigger_id=body["trigger_id"], view=view)


def handle_rerouted(ack: Ack, body: dict, view: dict, context: BoltContext) -> None:
    """Check the choice and note, then move the card in the request (a refusal shows inline)."""
    form, errors = reroute_from_modal(view)
    if form is None:
        ack(response_action="errors", errors=errors)
        return
    card, user = CardRef.of_view(view), body["user"]["id"]
    move = Move(card.discovery_id, str(card.route), form[0], user, form[1])
    try:
        with session_scope(services(context).engine) as session:
            reroute_card(session=session, move=move, now=utc_now())
    except RerouteRefused as refused:
        block = BlockId.STATUS_NOTE if refused.why != Why.THERE else BlockId.REROUTE_TO
        ack(response_action="errors", errors={block.value: _plain_refusal(refused)})
        return
    ack(response_action="clear")


@after_ack
def update_after_submit(view: dict, context: BoltContext) -> None:
    """After a modal's submit: the change queued its card redraws and reply; send them now."""
    _form, errors = READERS[view["callback_id"]](view)
    if not errors:  # with errors the modal is still open: nothing changed
        wake_delivery(services(context))


def _submit(ack: Ack, context: BoltContext, card: CardRef, change: Change) -> None:
    """Make the change in the request (one short transaction) so a refusal shows in the modal."""
    result = _change(context, card, change)
    if result.done:
        ack(response_action="clear")
    else:
        ack(response_action="errors", errors={BlockId.STATUS_NOTE.value: _plain(result)})


def _open(
    client: WebClient, app: Services, body: dict, action: dict, target: DiscoveryStatus
) -> None:
    """Open the modal for target, or tell the person why the discovery cannot get there."""
    card, user = _card(body, action), body["user"]["id"]
    with session_scope(app.engine) as session:
        account, refused = start_change(
            session=session, discovery_id=card.discovery_id, channel_id=card.channel_id,
            target=target,
        )  # fmt: skip
    if refused is not None:
        _tell(client, card, user, refusal_text(refused, account=account))
        return
    build = actioned_modal if target == DiscoveryStatus.ACTIONED else decline_modal
    client.views_open(trigger_id=body["trigger_id"], view=build(card=card, account=account))


def _after_change(
    client: WebClient, app: Services, card: CardRef, user: str, result: ChangeResult
) -> None:
    """Send the change's redraws and reply now; after a refusal, heal the stale card and say why."""
    if result.done:
        wake_delivery(app)
        return
    found = update_cards(client, app, card.discovery_id)
    _refuse(client, card, user, result, found)


def wake_delivery(app: Services) -> None:
    """A change queued card redraws and the scout's reply: deliver them now, not at the next poll."""
    if app.delivery is not None:
        app.delivery.wake()


def update_cards(client: WebClient, app: Services, discovery_id: int) -> Loaded:
    """Redraw each posted card now, e.g. a stale copy someone clicked; Slack refusing one
    does not stop the rest (changes redraw through the outbox, which retries)."""
    with session_scope(app.engine) as session:
        found = load_cards(session=session, discovery_id=discovery_id)
        related = found and find_related(session=session, discovery=found[0], now=utc_now())
    if found is None:
        return None
    discovery, routes, history = found
    for route in (r for r in routes if r.message_ts):  # unposted cards are rendered when posted
        card = discovery_card(
            discovery=discovery, route=route, definition=app.rules.definition,
            network=app.rules.network, history=history, related=related, routes=routes,
        )  # fmt: skip
        try:
            client.chat_update(
                channel=route.channel_id, ts=route.message_ts, text=card["text"],
                blocks=card["blocks"],
            )  # fmt: skip
        except SlackApiError as error:  # e.g. the channel was archived; the others still update
            log.warning("card of discovery %s in %s not updated: %s", discovery_id,
                        route.channel_id, error.response.get("error"))  # fmt: skip
    return found


def _refuse(
    client: WebClient, card: CardRef, user: str, result: ChangeResult, found: Loaded
) -> None:
    """Explain, to the person only, why their click changed nothing."""
    account = found[0].account if found else None
    _tell(client, card, user, refusal_text(result, account=account))


def _tell(client: WebClient, card: CardRef, user: str, text: str) -> None:
    """An ephemeral note to one person, beside the card they clicked."""
    tell_privately(client, channel=card.channel_id, user=user, text=text)


def _plain_refusal(refused: RerouteRefused) -> str:
    return reroute_refusal(refused, account=None, plain=True)


def _change(context: BoltContext, card: CardRef, change: Change) -> ChangeResult:
    with session_scope(services(context).engine) as session:
        return change_status(
            session=session, discovery_id=card.discovery_id, change=change, now=utc_now()
        )


def _plain(result: ChangeResult) -> str:
    """A refusal for a modal field, which shows plain text (no mentions)."""
    return refusal_text(result, plain=True)


def _card(body: dict, action: dict) -> CardRef:
    container = body.get("container") or {}
    channel = container.get("channel_id") or (body.get("channel") or {}).get("id", "")
    discovery_id, _, route = action["value"].partition(":")  # "42", or "42:sales" (Re-route)
    return CardRef(int(discovery_id), channel, container.get("message_ts"), route or None)
