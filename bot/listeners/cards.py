"""The buttons on discovery cards and their modals: Acknowledge, Actioned, Decline, Re-route."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.discoveries.follow_ups import follow_up_default, follow_up_outcomes
from bot.discoveries.loop import Change, ChangeResult, change_status, heal_cards, start_change
from bot.discoveries.reroute import Move, offer_reroute, reroute_card
from bot.domain.lifecycle import RerouteRefused, Status, Why
from bot.listeners.support import (
    acknowledge,
    actor,
    after_ack,
    is_channel_member,
    request_time,
    services,
    tell_privately,
    workspace_zone,
)
from bot.rendering.ids import ActionId, BlockId, CallbackId
from bot.rendering.status import (
    CardRef,
    actioned_from_modal,
    actioned_modal,
    decline_modal,
    members_only_text,
    reason_from_modal,
    refusal_text,
    reroute_from_modal,
    reroute_modal,
    reroute_refusal,
)

READERS: dict[str, Callable] = {
    CallbackId.STATUS_ACTIONED.value: actioned_from_modal,
    CallbackId.STATUS_DECLINED.value: reason_from_modal,
    CallbackId.STATUS_REROUTED.value: reroute_from_modal,
}
MODALS = {Status.ACTIONED: actioned_modal, Status.DECLINED: decline_modal}


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
    card = _card(body, action)
    if not _theirs_to_work(client, context, card):
        return
    change = Change(Status.ACKNOWLEDGED, _user(context), card.channel_id, route=card.route)
    result = _change(context, card, change)
    if result.done:
        services(context).wake_delivery()
    else:
        _heal_and_explain(client, context, card, action, result)


@after_ack
def open_actioned(body: dict, action: dict, context: BoltContext, client: WebClient) -> None:
    """Actioned: ask what came of it (the trigger id lasts 3 s: open the modal first thing)."""
    _open(client, context, body, action, Status.ACTIONED)


@after_ack
def open_decline(body: dict, action: dict, context: BoltContext, client: WebClient) -> None:
    """Decline: ask why."""
    _open(client, context, body, action, Status.DECLINED)


def handle_actioned(ack: Ack, view: dict, context: BoltContext) -> None:
    """Check the outcome, note, link and follow-up date; errors show on their fields, else the
    change is made."""
    form, errors = actioned_from_modal(view, _today(context))
    if form is None:
        ack(response_action="errors", errors=errors)
        return
    card = CardRef.of_view(view)
    change = Change(
        Status.ACTIONED, _user(context), card.channel_id,
        note=form.note, outcome_kind=form.outcome_kind, link=form.link, route=card.route,
        follow_up_on=form.follow_up_on,
    )  # fmt: skip
    _submit(ack, context, card, change)


def handle_declined(ack: Ack, view: dict, context: BoltContext) -> None:
    """Check the reason and note; errors show on their fields, else the discovery is declined."""
    form, errors = reason_from_modal(view)
    if form is None:
        ack(response_action="errors", errors=errors)
        return
    card = CardRef.of_view(view)
    change = Change(
        Status.DECLINED, _user(context), card.channel_id,
        note=form.note, outcome_kind=form.reason, route=card.route,
    )  # fmt: skip
    _submit(ack, context, card, change)


@after_ack
def open_reroute(body: dict, action: dict, context: BoltContext, client: WebClient) -> None:
    """Re-route: ask where to and why, offering the teams it has not been to."""
    card = _card(body, action)
    if not _theirs_to_work(client, context, card):
        return
    try:
        with services(context).reading() as session:
            offer = offer_reroute(session=session, discovery_id=card.discovery_id, route=card.route)
    except RerouteRefused as refused:
        _tell(client, context, card, reroute_refusal(refused, account=refused.account))
        return
    view = reroute_modal(card=card, account=offer.account, routes=offer.routes)
    client.views_open(trigger_id=body["trigger_id"], view=view)


def handle_rerouted(ack: Ack, view: dict, context: BoltContext) -> None:
    """Check the choice and note, then move the card in the request (a refusal shows inline)."""
    form, errors = reroute_from_modal(view)
    if form is None:
        ack(response_action="errors", errors=errors)
        return
    card = CardRef.of_view(view)
    move = Move(card.discovery_id, str(card.route), form[0], _user(context), form[1], form[2])
    try:
        with services(context).transaction() as session:
            reroute_card(session=session, move=move, now=request_time(context))
    except RerouteRefused as refused:
        block = BlockId.STATUS_NOTE if refused.why != Why.THERE else BlockId.REROUTE_TO
        plain = reroute_refusal(refused, account=None, plain=True)
        ack(response_action="errors", errors={block.value: plain})
        return
    ack(response_action="clear")


@after_ack
def update_after_submit(view: dict, context: BoltContext) -> None:
    """After a modal's submit: the change queued its card redraws and reply; send them now."""
    _form, errors = READERS[view["callback_id"]](view)
    if not errors:  # with errors the modal is still open: nothing changed
        services(context).wake_delivery()


def _submit(ack: Ack, context: BoltContext, card: CardRef, change: Change) -> None:
    """Make the change in the request (one short transaction) so a refusal shows in the modal."""
    result = _change(context, card, change)
    if result.done:
        ack(response_action="clear")
    else:
        ack(response_action="errors", errors={BlockId.STATUS_NOTE.value: _plain(result)})


def _open(
    client: WebClient, context: BoltContext, body: dict, action: dict, target: Status
) -> None:
    """Open the modal for target, or tell the person why the discovery cannot get there."""
    card = _card(body, action)
    if not _theirs_to_work(client, context, card):
        return
    with services(context).reading() as session:
        account, refused = start_change(
            session=session, discovery_id=card.discovery_id, channel_id=card.channel_id,
            target=target, route=card.route,
        )  # fmt: skip
    if refused is not None:
        _tell(client, context, card, refusal_text(refused, account=account))
        return
    extra = {}
    if target == Status.ACTIONED:  # a route that follows through asks when to follow up
        extra["follow_up"] = follow_up_default(card.route, _today(context))
        extra["follow_up_for"] = follow_up_outcomes(card.route)
    view = MODALS[target](card=card, account=account, **extra)
    client.views_open(trigger_id=body["trigger_id"], view=view)


def _theirs_to_work(client: WebClient, context: BoltContext, card: CardRef) -> bool:
    """The card's team (its channel's members) and admins change its status; anyone else who
    opens a public channel and clicks is told so, privately (the modals open only after this)."""
    who = actor(context)
    if who.is_admin or is_channel_member(client, card.channel_id, who.user_id):
        return True
    _tell(client, context, card, members_only_text(card.channel_id))
    return False


def _heal_and_explain(
    client: WebClient, context: BoltContext, card: CardRef, action: dict, result: ChangeResult
) -> None:
    """The click changed nothing: redraw the out-of-date card and tell the person why."""
    app = services(context)
    with app.transaction() as session:
        account = heal_cards(
            session=session, discovery_id=card.discovery_id, now=request_time(context),
            cause=f"refused:{card.channel_id}:{action.get('action_ts', '')}",
        )  # fmt: skip
    app.wake_delivery()
    _tell(client, context, card, refusal_text(result, account=account))


def _tell(client: WebClient, context: BoltContext, card: CardRef, text: str) -> None:
    """An ephemeral note to the person who clicked, beside the card."""
    tell_privately(client, channel=card.channel_id, user=_user(context), text=text)


def _change(context: BoltContext, card: CardRef, change: Change) -> ChangeResult:
    with services(context).transaction() as session:
        return change_status(
            session=session, discovery_id=card.discovery_id, change=change,
            now=request_time(context),
        )  # fmt: skip


def _today(context: BoltContext) -> date:
    """The request's day where the workspace is (its zone)."""
    return request_time(context).astimezone(workspace_zone(context)).date()


def _user(context: BoltContext) -> str:
    return actor(context).user_id


def _plain(result: ChangeResult) -> str:
    """A refusal for a modal field, which shows plain text (no mentions)."""
    return refusal_text(result, plain=True)


def _card(body: dict, action: dict) -> CardRef:
    container = body.get("container") or {}
    channel = container.get("channel_id") or (body.get("channel") or {}).get("id", "")
    discovery_id, _, route = action["value"].partition(":")  # "42:sales"; "42" on older cards
    return CardRef(int(discovery_id), channel, container.get("message_ts"), route or None)
