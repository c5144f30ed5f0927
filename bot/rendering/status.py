"""The card actions' modals, what they submit, the scout's thread replies and the refusals."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from slack_sdk.models.blocks import (
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextInputElement,
    SectionBlock,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from bot.domain.lifecycle import NOTE_LIMIT, OUTCOME_LABELS, ChangeResult, RerouteRefused, Why
from bot.domain.views import ChangeView
from bot.rendering.cards import NO_UNFURL, SECTION_LIMIT, URL_LIMIT, fitted, status_text
from bot.rendering.ids import ActionId, BlockId, CallbackId
from bot.rendering.modal import submitted_fields
from bot.rendering.text import Mrkdwn, escape, render
from bot.routes import Route, current_routes
from storage.enums import DiscoveryStatus

INPUT = ActionId.MODAL_INPUT.value
DONE = {  # how a refusal names the status someone else (or the scout) got to first
    DiscoveryStatus.ACKNOWLEDGED: "already picked up",
    DiscoveryStatus.ACTIONED: "already actioned",
    DiscoveryStatus.DECLINED: "already declined",
    DiscoveryStatus.WITHDRAWN: "withdrawn by the scout",
}


ALSO = "also"
REROUTE_HOW = {  # the re-route modal's choice: move the card, or also send the discovery
    "move": "Passes it on: move the card there",
    ALSO: "Keeps it too: also send it there",
}


@dataclass(frozen=True)
class CardRef:
    """The card a person acted on: its discovery, channel and message."""

    discovery_id: int
    channel_id: str
    message_ts: str | None = None
    route: str | None = None  # the card's route, where the button says (Re-route does)

    def metadata(self) -> str:
        """Typed private_metadata for the modal opened from this card."""
        data = {"d": self.discovery_id, "c": self.channel_id, "t": self.message_ts}
        return json.dumps(data | ({"r": self.route} if self.route else {}))

    @classmethod
    def of_view(cls, view: dict) -> CardRef:
        """The card a submitted modal was opened from."""
        data = json.loads(view["private_metadata"])
        channel, ts, route = data["c"], data.get("t"), data.get("r")
        if not isinstance(channel, str) or not all(
            v is None or isinstance(v, str) for v in (ts, route)
        ):
            raise ValueError("a card's channel, ts and route are strings")
        return cls(int(data["d"]), channel, ts, route)


@dataclass(frozen=True)
class Actioned:
    """What came of a discovery, as the modal submitted it."""

    outcome_kind: str
    note: str
    link: str | None


def actioned_modal(*, card: CardRef, account: str) -> View:
    """What came of it: an outcome, a note and an optional link."""
    options = [Option(value=kind.value, label=label) for kind, label in OUTCOME_LABELS.items()]
    blocks = [
        _intro("What came of the discovery at", account),
        InputBlock(
            block_id=BlockId.STATUS_OUTCOME.value,
            label="What came of it",
            element=StaticSelectElement(action_id=INPUT, placeholder="Choose…", options=options),
        ),
        _note_input("What happened? The scout will read this.", "A note"),
        InputBlock(
            block_id=BlockId.STATUS_LINK.value,
            label="Link (CRM, tracker, document)",
            optional=True,
            element=PlainTextInputElement(
                action_id=INPUT, max_length=URL_LIMIT, placeholder="https://…"
            ),
        ),
    ]
    return _modal(CallbackId.STATUS_ACTIONED, "Actioned", "Save", card, blocks)


def decline_modal(*, card: CardRef, account: str) -> View:
    """Why it is declined: a required reason the scout will read."""
    blocks = [
        _intro("Decline the discovery at", account),
        _note_input("Why? The scout will read this.", "The reason"),
    ]
    return _modal(CallbackId.STATUS_DECLINED, "Decline", "Decline", card, blocks)


def reroute_modal(*, card: CardRef, account: str, routes: list[Route]) -> View:
    """Where to send it instead, and why: a route that has a channel, and a required note."""
    labels = current_routes()
    options = [Option(value=route, label=labels.label(route)) for route in routes]
    blocks = [
        _intro("Re-route the discovery at", account),
        InputBlock(
            block_id=BlockId.REROUTE_TO.value,
            label="Send it to",
            element=StaticSelectElement(action_id=INPUT, placeholder="Choose…", options=options),
        ),
        _how_input(),
        _note_input("Why there? The new team and the scout will read this.", "A note"),
    ]
    return _modal(CallbackId.STATUS_REROUTED, "Re-route", "Re-route", card, blocks)


def _how_input() -> InputBlock:
    """Move the card (this team passes it on) or also send it (this team keeps it too)."""
    options = [Option(value=value, label=label) for value, label in REROUTE_HOW.items()]
    return InputBlock(
        block_id=BlockId.REROUTE_HOW.value,
        label="This team",
        optional=True,  # unanswered (an older client) reads as a move, as before
        element=StaticSelectElement(action_id=INPUT, options=options, initial_option=options[0]),
    )


def reroute_from_modal(view: dict) -> tuple[tuple[Route, str, bool] | None, dict[str, str]]:
    """The submitted route, note and whether this team keeps it too, or the errors to show."""
    fields = submitted_fields(view)
    route = fields.get(BlockId.REROUTE_TO.value)
    also = fields.get(BlockId.REROUTE_HOW.value) == ALSO
    note, note_error = _note(fields)
    found = {
        BlockId.REROUTE_TO.value: (
            None if route in current_routes() else "Choose where it should go."
        ),
        BlockId.STATUS_NOTE.value: note_error,
    }
    errors = {block: error for block, error in found.items() if error}
    return (None if errors else (str(route), note, also)), errors


def reroute_refusal(refused: RerouteRefused, *, account: str | None, plain: bool = False) -> str:
    """Why a re-route changed nothing, for the person who tried."""
    if refused.why in (Why.GONE, Why.CLOSED):
        result = ChangeResult(status=refused.status, latest=refused.latest)
        return refusal_text(result, account=account, plain=plain)
    by = refused.latest and not plain and Mrkdwn(f" by <@{escape(refused.latest.actor_user_id)}>")
    return render("reroute_refusal.md.j2", why=refused.why.value, by=by or "")


def actioned_from_modal(view: dict) -> tuple[Actioned | None, dict[str, str]]:
    """The submitted outcome, note and link, or the errors to show on their fields."""
    fields = submitted_fields(view)
    kind = fields.get(BlockId.STATUS_OUTCOME.value)
    note, note_error = _note(fields)
    link, link_error = _checked_link(fields.get(BlockId.STATUS_LINK.value))
    found = {
        BlockId.STATUS_OUTCOME.value: None if kind in OUTCOME_LABELS else "Choose what came of it.",
        BlockId.STATUS_NOTE.value: note_error,
        BlockId.STATUS_LINK.value: link_error,
    }
    errors = {block: error for block, error in found.items() if error}
    return (None if errors else Actioned(str(kind), note, link)), errors


def reason_from_modal(view: dict) -> tuple[str | None, dict[str, str]]:
    """The submitted reason, or the error to show on its field."""
    note, error = _note(submitted_fields(view))
    return (None, {BlockId.STATUS_NOTE.value: error}) if error else (note, {})


def status_reply_message(
    *, change: ChangeView, channel_id: str, to_channel_id: str | None = None
) -> dict[str, Any]:
    """The scout's reply in the receipt's thread: who picked it up, what became of it, or
    where it moved (to_channel_id)."""
    text = status_text(
        change, "status_reply.md.j2", channel_id=channel_id, to_channel_id=to_channel_id,
        also=change.rerouted_to is not None and change.from_status is None,
    )  # fmt: skip
    blocks = [SectionBlock(text=MarkdownTextObject(text=text)).to_dict()]
    return {"text": text, "blocks": blocks, **NO_UNFURL}


def refusal_text(result: ChangeResult, *, account: str | None = None, plain: bool = False) -> str:
    """Why a click changed nothing, for the person who clicked; plain: for a modal's field."""
    if result.status is None:
        return "This discovery no longer exists in Value Scout, so there is nothing to change."
    if result.moved:
        return render("status_moved.md.j2", account=None if plain else account)
    done = DONE.get(result.status, f"already {result.status.value}")
    latest = result.latest
    if latest is not None and result.status != DiscoveryStatus.WITHDRAWN and not plain:
        done += f" by <@{escape(latest.actor_user_id)}>"
    return render("status_refusal.md.j2", done=Mrkdwn(done), account=None if plain else account)


def _intro(question: str, account: str) -> SectionBlock:
    text = fitted("status_intro.md.j2", SECTION_LIMIT, account, question=question)
    return SectionBlock(text=MarkdownTextObject(text=text))


def _note_input(label: str, placeholder: str) -> InputBlock:
    return InputBlock(
        block_id=BlockId.STATUS_NOTE.value,
        label=label,
        element=PlainTextInputElement(
            action_id=INPUT, multiline=True, max_length=NOTE_LIMIT, placeholder=placeholder
        ),
    )


def _modal(callback: CallbackId, title: str, submit: str, card: CardRef, blocks: list) -> View:
    return View(
        type="modal",
        callback_id=callback.value,
        title=title,
        submit=submit,
        close="Cancel",
        private_metadata=card.metadata(),
        blocks=blocks,
    )


def _note(fields: dict[str, Any]) -> tuple[str, str | None]:
    """The required note (Slack enforces the limit too, but a request can say anything)."""
    note = str(fields.get(BlockId.STATUS_NOTE.value) or "").strip()
    if not note:
        return note, "Please write a few words: the scout will read them."
    if len(note) > NOTE_LIMIT:
        return note, f"Please keep it under {NOTE_LIMIT:,} characters (it has {len(note):,})."
    return note, None


def _checked_link(raw: Any) -> tuple[str | None, str | None]:
    """An optional http(s) link, or why it is refused."""
    url = str(raw or "").strip()
    if not url:
        return None, None
    if len(url) > URL_LIMIT:
        return None, f"Please use a link under {URL_LIMIT:,} characters."
    try:
        parts = urlsplit(url)
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname or _spaced(url):
        return None, "Please give a web link that starts with https:// (or http://)."
    return url, None


def _spaced(url: str) -> bool:
    return any(char.isspace() for char in url)
