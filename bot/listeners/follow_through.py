"""The follow-up DM's stage buttons and the small modal a stage that needs input opens."""

from __future__ import annotations

import re

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.discoveries.follow_through import Details, Move, MoveResult, move_stage, prepare_move
from bot.listeners.support import (
    acknowledge,
    actor,
    after_ack,
    request_time,
    services,
    tell_privately,
)
from bot.rendering.card_status import stage_label
from bot.rendering.follow_through import (
    FIELD,
    StageRef,
    stage_from_modal,
    stage_modal,
    stage_refusal,
)
from bot.rendering.ids import ActionId, CallbackId
from bot.routes import current_routes

STAGE_BUTTON = re.compile(rf"^{ActionId.FOLLOW_UP_STAGE.value}:")


def register(app: App) -> None:
    """Listen for the stage buttons and the stage modal's submissions."""
    app.action(STAGE_BUTTON)(ack=acknowledge, lazy=[handle_stage_click])
    app.view(CallbackId.FOLLOW_UP_STAGE.value)(ack=handle_stage_submit, lazy=[wake_delivery])


@after_ack
def handle_stage_click(body: dict, action: dict, context: BoltContext, client: WebClient) -> None:
    """A stage button: open its modal when it needs input, else move the stage at once."""
    channel = (body.get("container") or {}).get("channel_id") or ""
    ref = StageRef.of_value(action["value"], channel)
    move = Move(ref.follow_up_id, ref.from_stage, ref.to_stage, actor(context).user_id)
    with services(context).reading() as session:
        prepared = prepare_move(session=session, move=move)
    if prepared.refused is not None:
        _tell(client, context, channel, prepared.refused, prepared.route)
        return
    stage = current_routes().stages(prepared.route).get(ref.to_stage)
    if stage is not None and stage.asks:
        view = stage_modal(ref=ref, asks=stage.asks, label=stage.label, account=prepared.account)
        client.views_open(trigger_id=body["trigger_id"], view=view)
        return
    result = _move(context, move)
    if result.refused is not None:
        _tell(client, context, channel, result, prepared.route)
    else:
        services(context).wake_delivery()


def handle_stage_submit(ack: Ack, view: dict, context: BoltContext) -> None:
    """Check the amount, reason or link; errors (or a refusal) show on the field."""
    ref = StageRef.of_view(view)
    move = Move(ref.follow_up_id, ref.from_stage, ref.to_stage, actor(context).user_id)
    with services(context).reading() as session:
        prepared = prepare_move(session=session, move=move)
    stage = current_routes().stages(prepared.route).get(ref.to_stage)
    asks = stage.asks if stage is not None and stage.asks else "reason"
    refused = prepared.refused
    if refused is None:
        form, errors = stage_from_modal(view, asks=asks)
        if form is None:
            ack(response_action="errors", errors=errors)
            return
        details = Details(form.amount, form.currency, form.link, form.reason)
        result = _move(context, _with(move, details))
        refused = result if result.refused is not None else None
    if refused is not None:
        text = _refusal(refused, prepared.route, plain=True)
        ack(response_action="errors", errors={FIELD[asks].value: text})
        return
    ack(response_action="clear")


@after_ack
def wake_delivery(context: BoltContext) -> None:
    """After a stage's modal: the change queued the card redraws and notes; send them now."""
    services(context).wake_delivery()


def _with(move: Move, details: Details) -> Move:
    return Move(move.follow_up_id, move.from_stage, move.to_stage, move.actor_user_id, details)


def _move(context: BoltContext, move: Move) -> MoveResult:
    with services(context).transaction() as session:
        return move_stage(session=session, move=move, now=request_time(context))


def _refusal(result: MoveResult, route: str, *, plain: bool = False) -> str:
    label = stage_label(route, result.stage) if result.stage else None
    owner = None if plain else result.owner_user_id
    return stage_refusal(str(result.refused), stage_label=label, owner=owner)


def _tell(
    client: WebClient, context: BoltContext, channel: str, result: MoveResult, route: str
) -> None:
    """An ephemeral note to the person who clicked; someone else's DM (a forwarded or shared
    view of it) takes no ephemeral for them, so they hear in their own DM."""
    user = actor(context).user_id
    mine = result.owner_user_id in (None, user)
    tell_privately(
        client, channel=channel if mine else None, user=user, text=_refusal(result, route)
    )
