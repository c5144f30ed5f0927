"""The scout edits or withdraws a discovery (from the receipt, or a card's menu); admins may too."""

from __future__ import annotations

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.discoveries.edits import Opening, edit_discovery, open_change, withdraw_as
from bot.domain.lifecycle import ChangeResult
from bot.listeners.cards import update_cards, wake_delivery
from bot.listeners.support import Services, acknowledge, after_ack, services, tell_privately
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
from storage.engine import session_scope
from storage.types import utc_now

EDIT, WITHDRAW = "edit", "withdraw"


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
    _open(client, services(context), body, int(action["value"]), EDIT)


@after_ack
def open_withdraw(body: dict, action: dict, context: BoltContext, client: WebClient) -> None:
    """Withdraw: ask to confirm, if this person may and nobody acted on it yet."""
    _open(client, services(context), body, int(action["value"]), WITHDRAW)


@after_ack
def handle_card_menu(body: dict, action: dict, context: BoltContext, client: WebClient) -> None:
    """The card's ⋯ menu: "edit:42" or "withdraw:42"."""
    what, _, discovery_id = action["selected_option"]["value"].partition(":")
    _open(client, services(context), body, int(discovery_id), what)


def handle_edit_submitted(ack: Ack, body: dict, view: dict, context: BoltContext) -> None:
    """Check the answers like the log modal does, then save them if it is still new."""
    app, user, discovery_id = services(context), body["user"]["id"], discovery_of(view)
    definition, now = app.rules.definition, utc_now()
    with session_scope(app.engine) as session:
        opening = open_change(
            session=session, discovery_id=discovery_id, user_id=user,
            admins=app.settings.admins, withdraw=False,
        )  # fmt: skip
    previous = opening.answers
    answers, errors = answers_from_modal(definition, view, previous=previous, today=now.date())
    first = definition.questions[0].key
    if not opening.permitted:
        errors = {first: say("edit_not_permitted")}
    if errors:
        ack(response_action="errors", errors=errors)
        return
    answers = definition.unasked(previous) | answers  # e.g. the source link of a shortcut
    with session_scope(app.engine) as session:
        result = edit_discovery(
            session=session, discovery_id=discovery_id, answers=answers,
            network=app.rules.network, now=now, actor_user_id=user,
        )  # fmt: skip
    if result.done:
        ack(response_action="clear")
    else:
        ack(response_action="errors", errors={first: edit_refusal(result, plain=True)})


@after_ack
def update_after_edit(context: BoltContext) -> None:
    """The edit queued a redraw of every posted card: send them now."""
    wake_delivery(services(context))


@after_ack
def handle_withdraw_submitted(
    body: dict, view: dict, context: BoltContext, client: WebClient
) -> None:
    """Withdraw once; the cards say so, the scout's thread keeps it; a refusal is explained."""
    app, user, discovery_id = services(context), body["user"]["id"], discovery_of(view)
    with session_scope(app.engine) as session:
        opening, result = withdraw_as(
            session=session, discovery_id=discovery_id, user_id=user, admins=app.settings.admins,
            channel_id=origin_of(view) or user, now=utc_now(),
        )  # fmt: skip
    if result is None:
        _tell(client, origin_of(view), user, _not_yours(app, opening))
        return
    if result.done:
        wake_delivery(app)  # the cards and the scout's thread hear it now
        return
    update_cards(client, app, discovery_id)  # heal a stale card
    _tell(client, origin_of(view), user, refusal_text(result, account=opening.account))


def _open(client: WebClient, app: Services, body: dict, discovery_id: int, what: str) -> None:
    """Open the edit or withdraw modal, or tell the person why not."""
    user, channel = body["user"]["id"], _channel(body)
    with session_scope(app.engine) as session:
        opening = open_change(
            session=session, discovery_id=discovery_id, user_id=user,
            admins=app.settings.admins, withdraw=what == WITHDRAW,
        )  # fmt: skip
    if not opening.permitted:
        _tell(client, channel, user, _not_yours(app, opening))
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


def _not_yours(app: Services, opening: Opening) -> str:
    if opening.scout_user_id is None:  # gone
        return refusal_text(ChangeResult(status=None))
    return not_yours_text(scout_user_id=opening.scout_user_id, admins=app.settings.admins)


def _tell(client: WebClient, channel: str | None, user: str, text: str) -> None:
    """To the person only: ephemeral where they clicked, or a DM from the Home tab."""
    tell_privately(client, channel=channel, user=user, text=text)


def _channel(body: dict) -> str | None:
    """Where the click happened (a channel or the DM); None on the Home tab."""
    container = body.get("container") or {}
    return container.get("channel_id") or (body.get("channel") or {}).get("id")
