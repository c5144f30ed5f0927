"""A PM merges two discoveries from a card's menu ("Merge with…"): the modal, then the merge."""

from __future__ import annotations

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.discoveries.merging import merge_discoveries, open_merge
from bot.listeners.support import actor, after_ack, request_time, services, tell_privately
from bot.rendering.ids import BlockId, CallbackId
from bot.rendering.merge import merge_modal, merge_refusal, merge_target_of, other_from_modal


def register(app: App) -> None:
    """Listen for the merge modal's submission (the card menu's listener opens it)."""
    app.view(CallbackId.DISCOVERY_MERGE.value)(ack=handle_merge_submitted, lazy=[after_merge])


def open_merge_modal(
    client: WebClient, context: BoltContext, body: dict, discovery_id: int, channel: str | None
) -> None:
    """Open the modal if this person may merge into the discovery, else tell them why not."""
    app, who = services(context), actor(context)
    with app.reading() as session:
        opening = open_merge(
            session=session, discovery_id=discovery_id, actor=who, channel_id=channel,
            now=request_time(context),
        )  # fmt: skip
    if opening.refused is not None:
        text = merge_refusal(opening.refused, kept_id=discovery_id, other_id=None)
        tell_privately(client, channel=channel, user=who.user_id, text=text)
        return
    view = merge_modal(
        discovery_id=discovery_id, account=opening.account, lookalikes=list(opening.lookalikes),
        origin=channel,
    )  # fmt: skip
    client.views_open(trigger_id=body["trigger_id"], view=view)


def handle_merge_submitted(ack: Ack, view: dict, context: BoltContext) -> None:
    """Check the number typed, then merge in the request (a refusal shows on the field)."""
    (kept_id, origin), (other_id, errors) = merge_target_of(view), other_from_modal(view)
    if other_id is None:
        return ack(response_action="errors", errors=errors)
    with services(context).transaction() as session:
        merged = merge_discoveries(
            session=session, kept_id=kept_id, other_id=other_id, actor=actor(context),
            channel_id=origin, now=request_time(context),
        )  # fmt: skip
    if merged.refused is not None:
        text = merge_refusal(merged.refused, kept_id=kept_id, other_id=other_id,
                             merged_into=merged.merged_into)  # fmt: skip
        ack(response_action="errors", errors={BlockId.MERGE_WITH.value: text})
        return
    ack(response_action="clear")


@after_ack
def after_merge(view: dict, context: BoltContext) -> None:
    """The merge queued both discoveries' redraws and the other scout's reply: send them now."""
    services(context).wake_delivery()
