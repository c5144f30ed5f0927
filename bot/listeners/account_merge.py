"""An admin merges two accounts from App Home: pick the two, confirm, and the merge is done."""

from __future__ import annotations

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.accounts.merging import MergeRefused, merge_by_ids, merge_choices, merge_preview
from bot.domain.actor import AdminsOnly
from bot.listeners.home import publish_home
from bot.listeners.support import (
    acknowledge,
    actor,
    after_ack,
    services,
    team_admins,
    tell_privately,
)
from bot.rendering.account_merge import (
    CHOICES,
    merge_confirm_modal,
    merge_metadata,
    merge_modal,
    merge_pair,
)
from bot.rendering.config import admins_only_text
from bot.rendering.ids import ActionId, BlockId, CallbackId
from bot.rendering.text import render
from bot.wording import say


def register(app: App) -> None:
    """Listen for the Home tab's merge button and the two steps of its modal."""
    app.action(ActionId.ACCOUNT_MERGE.value)(ack=acknowledge, lazy=[handle_merge_open])
    app.view(CallbackId.ACCOUNT_MERGE.value)(handle_merge_picked)
    app.view(CallbackId.ACCOUNT_MERGE_CONFIRM.value)(
        ack=ack_merge_confirmed, lazy=[handle_merge_confirmed]
    )


@after_ack
def handle_merge_open(body: dict, context: BoltContext, client: WebClient) -> None:
    """Open the merge modal for an admin; anyone else (an old Home tab) is told who may."""
    app, user = services(context), actor(context).user_id
    if not actor(context).is_admin:
        tell_privately(client, channel=None, user=user, text=admins_only_text(team_admins(context)))
        return
    accounts = merge_choices(engine=app.engine, team_id=actor(context).team_id, limit=CHOICES + 1)
    view = merge_modal(accounts[:CHOICES], more=len(accounts) > CHOICES)
    client.views_open(trigger_id=body["trigger_id"], view=view)


def handle_merge_picked(ack: Ack, view: dict, context: BoltContext) -> None:
    """The two picked: show what the merge does, or say on the form why it cannot be."""
    app = services(context)
    source, target = (
        _picked(view, block) for block in (BlockId.MERGE_SOURCE, BlockId.MERGE_TARGET)
    )
    if not actor(context).is_admin:
        ack(response_action="errors", errors={BlockId.MERGE_SOURCE.value: say("merge_admins_only")})
        return
    if source is None or target is None:
        missing = BlockId.MERGE_SOURCE if source is None else BlockId.MERGE_TARGET
        ack(response_action="errors", errors={missing.value: say("merge_pick_an_account")})
        return
    try:
        names = merge_preview(
            engine=app.engine, team_id=actor(context).team_id, source_id=source, target_id=target
        )
    except MergeRefused as refused:
        ack(
            response_action="errors",
            errors={BlockId.MERGE_TARGET.value: say("merge_pick_another", reason=str(refused))},
        )
        return
    confirm = merge_confirm_modal(
        source=names[0], target=names[1], moved=names[2], metadata=merge_metadata(source, target)
    )
    ack(response_action="update", view=confirm)


def ack_merge_confirmed(ack: Ack) -> None:
    """Close the modal at once; the merge follows, and its result goes to the admin's DM."""
    ack(response_action="clear")


@after_ack
def handle_merge_confirmed(view: dict, context: BoltContext, client: WebClient) -> None:
    """Merge (an admin only; a second click finds it done), tell the admin, redraw their Home."""
    app, who = services(context), actor(context)
    source, target = merge_pair(view["private_metadata"])  # the guard checked it reads
    try:
        merged = merge_by_ids(engine=app.engine, actor=who, source_id=source, target_id=target)
        text = render(
            "account_merged.md.j2", source=merged.source, target=merged.target, moved=merged.moved
        )
    except MergeRefused as refused:
        text = render("account_merge_refused.md.j2", reason=str(refused))
    except AdminsOnly:
        text = admins_only_text(team_admins(context))
    tell_privately(client, channel=None, user=who.user_id, text=text)
    publish_home(client, context, page=0)


def _picked(view: dict, block: BlockId) -> int | None:
    """The account id picked in one select; None when none is (Slack requires one, a retry or
    an odd client may still send it empty)."""
    field = (view.get("state", {}).get("values", {}).get(block.value) or {}).get(
        ActionId.MODAL_INPUT.value
    ) or {}
    value = str((field.get("selected_option") or {}).get("value", ""))
    return int(value) if value.isdecimal() and len(value) <= 18 else None  # not "²"
