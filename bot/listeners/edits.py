"""The scout edits or withdraws a discovery (from the receipt, or a card's menu); admins may too."""

from __future__ import annotations

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.discoveries.edits import Opening, edit_as, open_change, withdraw_as
from bot.discoveries.loop import heal_cards
from bot.domain.lifecycle import ChangeResult
from bot.listeners.merge import open_merge_modal
from bot.listeners.retheme import open_themes
from bot.listeners.support import (
    acknowledge,
    actor,
    after_ack,
    request_time,
    request_today,
    services,
    team_admins,
    tell_privately,
)
from bot.rendering.edits import (
    discovery_of,
    edit_modal,
    edit_refusal,
    not_yours_text,
    origin_of,
    withdraw_modal,
)
from bot.rendering.ids import ActionId, CallbackId
from bot.rendering.modal import answers_from_modal
from bot.rendering.status import refusal_text
from bot.wording import say

EDIT, WITHDRAW, MERGE, THEMES = "edit", "withdraw", "merge", "themes"


def register(app: App) -> None:
    """Listen for Edit and Withdraw (buttons and the card's menu) and their modals."""
    app.action(ActionId.DISCOVERY_EDIT.value)(ack=acknowledge, lazy=[open_edit])
    app.action(ActionId.DISCOVERY_WITHDRAW.value)(ack=acknowledge, lazy=[open_withdraw])
    app.action(ActionId.CARD_MORE.value)(ack=acknowledge, lazy=[handle_card_menu])
    app.view(CallbackId.DISCOVERY_EDIT.value)(ack=handle_edit_submitted, lazy=[update_after_edit])
    app.view(CallbackId.DISCOVERY_WITHDRAW.value)(ack=acknowledge, lazy=[handle_withdraw_submitted])


@after_ack
def open_edit(body: dict, action: dict, context: BoltContext, client: WebClient) -> None:
    """Edit: the modal prefilled with the discovery, if this person may and it is still new."""
    _open(client, context, body, int(action["value"]), EDIT)


@after_ack
def open_withdraw(body: dict, action: dict, context: BoltContext, client: WebClient) -> None:
    """Withdraw: ask to confirm, if this person may and nobody acted on it yet."""
    _open(client, context, body, int(action["value"]), WITHDRAW)


@after_ack
def handle_card_menu(body: dict, action: dict, context: BoltContext, client: WebClient) -> None:
    """The card's ⋯ menu: "edit:42", "withdraw:42", "merge:42" or "themes:42"."""
    what, _, discovery_id = action["selected_option"]["value"].partition(":")
    if what == MERGE:  # a PM merges another discovery into this one
        open_merge_modal(client, context, body, int(discovery_id), _channel(body))
    elif what == THEMES:  # a team corrects its themes
        open_themes(client, context, body, int(discovery_id))
    else:
        _open(client, context, body, int(discovery_id), what)


def handle_edit_submitted(ack: Ack, view: dict, context: BoltContext) -> None:
    """Check the answers like the log modal does, then save them if it is still new."""
    app, who, discovery_id = services(context), actor(context), discovery_of(view)
    definition, now = app.rules.definition, request_time(context)
    with app.reading() as session:
        opening = open_change(session=session, discovery_id=discovery_id, actor=who, withdraw=False)
    previous = opening.answers
    today = request_today(context)
    answers, errors = answers_from_modal(definition, view, previous=previous, today=today)
    first = definition.questions[0].key
    if not opening.permitted:
        errors = {first: say("edit_not_permitted")}
    if errors:
        ack(response_action="errors", errors=errors)
        return
    answers = definition.unasked(previous) | answers  # e.g. the source link of a shortcut
    with app.transaction() as session:
        opening, result = edit_as(
            session=session, discovery_id=discovery_id, answers=answers, actor=who,
            network=app.rules.network, now=now,
        )  # fmt: skip
    if result is None:  # no longer theirs to change (it cannot become so: a forged submit)
        ack(response_action="errors", errors={first: say("edit_not_permitted")})
    elif result.done:
        ack(response_action="clear")
    else:
        ack(response_action="errors", errors={first: edit_refusal(result, plain=True)})


@after_ack
def update_after_edit(context: BoltContext) -> None:
    """The edit queued a redraw of every posted card: send them now."""
    services(context).wake_delivery()


@after_ack
def handle_withdraw_submitted(
    body: dict, view: dict, context: BoltContext, client: WebClient
) -> None:
    """Withdraw once; the cards say so, the scout's thread keeps it; a refusal is explained."""
    app, who, discovery_id = services(context), actor(context), discovery_of(view)
    user, now = who.user_id, request_time(context)
    with app.transaction() as session:
        opening, result = withdraw_as(
            session=session, discovery_id=discovery_id, actor=who,
            channel_id=origin_of(view) or user, now=now,
        )  # fmt: skip
        if result is not None and not result.done:  # a stale card: redraw it as it is
            cause = f"refused:withdraw:{view.get('id', '')}"
            heal_cards(session=session, discovery_id=discovery_id, cause=cause, now=now)
    if result is None:
        _tell(client, origin_of(view), user, _not_yours(team_admins(context), opening))
        return
    app.wake_delivery()  # the cards and the scout's thread hear it now
    if not result.done:
        _tell(client, origin_of(view), user, refusal_text(result, account=opening.account))


def _open(
    client: WebClient, context: BoltContext, body: dict, discovery_id: int, what: str
) -> None:
    """Open the edit or withdraw modal, or tell the person why not."""
    app, user, channel = services(context), actor(context).user_id, _channel(body)
    with app.reading() as session:
        opening = open_change(
            session=session, discovery_id=discovery_id, actor=actor(context),
            withdraw=what == WITHDRAW,
        )  # fmt: skip
    if not opening.permitted:
        _tell(client, channel, user, _not_yours(team_admins(context), opening))
        return
    if opening.refused is not None:
        refused = opening.refused
        text = edit_refusal(refused) if what == EDIT else refusal_text(refused, account=None)
        _tell(client, channel, user, text)
        return
    view = (
        edit_modal(app.rules.definition, opening.answers, discovery_id=discovery_id,
                   origin=channel)
        if what == EDIT
        else withdraw_modal(discovery_id=discovery_id, account=opening.account, origin=channel)
    )  # fmt: skip
    client.views_open(trigger_id=body["trigger_id"], view=view)


def _not_yours(admins: frozenset[str], opening: Opening) -> str:
    if opening.scout_user_id is None:  # gone
        return refusal_text(ChangeResult(status=None))
    return not_yours_text(scout_user_id=opening.scout_user_id, admins=admins)


def _tell(client: WebClient, channel: str | None, user: str, text: str) -> None:
    """To the person only: ephemeral where they clicked, or a DM from the Home tab."""
    tell_privately(client, channel=channel, user=user, text=text)


def _channel(body: dict) -> str | None:
    """Where the click happened (a channel or the DM); None on the Home tab."""
    container = body.get("container") or {}
    return container.get("channel_id") or (body.get("channel") or {}).get("id")
