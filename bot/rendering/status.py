"""The card actions' modals, what they submit, the scout's thread replies and the refusals."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from slack_sdk.models.blocks import (
    DatePickerElement,
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextInputElement,
    SectionBlock,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from bot.domain.decline import DeclineReasons, current_reasons
from bot.domain.lifecycle import NOTE_LIMIT, OUTCOME_LABELS, ChangeResult, RerouteRefused, Why
from bot.domain.views import ChangeView
from bot.rendering.card_status import status_text
from bot.rendering.fitting import SECTION_LIMIT, fitted
from bot.rendering.ids import ActionId, BlockId, CallbackId
from bot.rendering.links import URL_LIMIT
from bot.rendering.modal import submitted_fields
from bot.rendering.text import NO_UNFURL, Mrkdwn, escape, render
from bot.routes import Route, current_routes
from bot.wording import say
from storage.enums import DiscoveryStatus

INPUT = ActionId.MODAL_INPUT.value
ALSO = "also"


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
    follow_up_on: date | None = None  # a route with follow-through stages: when to ask


def actioned_modal(
    *, card: CardRef, account: str, follow_up: date | None = None,
    follow_up_for: tuple[str, ...] = (),
) -> View:  # fmt: skip
    """What came of it: an outcome, a note, an optional link, and (a route that follows
    through) the date its follow-up is due, `follow_up` picked already; `follow_up_for`: the
    outcomes that start the follow-through (empty: any)."""
    options = [Option(value=kind.value, label=label) for kind, label in OUTCOME_LABELS.items()]
    blocks = [
        _intro(say("actioned_intro"), account),
        InputBlock(
            block_id=BlockId.STATUS_OUTCOME.value,
            label=say("actioned_outcome_label"),
            element=StaticSelectElement(
                action_id=INPUT, placeholder=say("menu_placeholder"), options=options
            ),
        ),
        _note_input(say("actioned_note_label"), say("status_note_placeholder")),
        InputBlock(
            block_id=BlockId.STATUS_LINK.value,
            label=say("actioned_link_label"),
            optional=True,
            element=PlainTextInputElement(
                action_id=INPUT, max_length=URL_LIMIT, placeholder="https://…"
            ),
        ),
        *_follow_up_input(follow_up, follow_up_for),
    ]
    return _modal(CallbackId.STATUS_ACTIONED, say("actioned_title"), say("edit_save"), card, blocks)


@dataclass(frozen=True)
class Declined:
    """Why a discovery is declined, as the modal submitted it: a reason's key and a note."""

    reason: str
    note: str | None


def _follow_up_input(initial: date | None, outcomes: tuple[str, ...]) -> list[InputBlock]:
    """The follow-up date, for a route with stages after Actioned (none without); its hint
    names the outcomes it is for, when only some start the stages."""
    if initial is None:
        return []
    labels = " or ".join(f"“{OUTCOME_LABELS[kind]}”" for kind in outcomes)
    hint = say("follow_up_date_hint_for", outcomes=labels) if labels else say("follow_up_date_hint")
    picker = DatePickerElement(action_id=INPUT, initial_date=initial.isoformat())
    return [
        InputBlock(
            block_id=BlockId.FOLLOW_UP_DATE.value,
            label=say("follow_up_date_label"),
            hint=hint,
            element=picker,
            optional=True,  # left empty: the default, as an older modal without it gets
        )
    ]


def decline_modal(*, card: CardRef, account: str) -> View:
    """Why it is declined: a required reason (prompts/decline_reasons.yaml) and a note the
    scout will read, required only with a reason that says little by itself (Other)."""
    options = [Option(value=r.key, label=r.label) for r in current_reasons()]
    blocks = [
        _intro(say("decline_intro"), account),
        InputBlock(
            block_id=BlockId.DECLINE_REASON.value,
            label=say("decline_reason_label"),
            element=StaticSelectElement(
                action_id=INPUT, placeholder=say("menu_placeholder"), options=options
            ),
        ),
        _note_input(say("decline_note_label"), say("decline_note_placeholder"), optional=True),
    ]
    decline = say("decline_title")
    return _modal(CallbackId.STATUS_DECLINED, decline, decline, card, blocks)


def reroute_modal(*, card: CardRef, account: str, routes: list[Route]) -> View:
    """Where to send it instead, and why: a route that has a channel, and a required note."""
    labels = current_routes()
    options = [Option(value=route, label=labels.label(route)) for route in routes]
    blocks = [
        _intro(say("reroute_intro"), account),
        InputBlock(
            block_id=BlockId.REROUTE_TO.value,
            label=say("modal_send_to"),
            element=StaticSelectElement(
                action_id=INPUT, placeholder=say("menu_placeholder"), options=options
            ),
        ),
        _how_input(),
        _note_input(say("reroute_note_label"), say("status_note_placeholder")),
    ]
    reroute = say("reroute_title")
    return _modal(CallbackId.STATUS_REROUTED, reroute, reroute, card, blocks)


def _how_input() -> InputBlock:
    """Move the card (this team passes it on) or also send it (this team keeps it too)."""
    how = {"move": say("reroute_move"), ALSO: say("reroute_also")}
    options = [Option(value=value, label=label) for value, label in how.items()]
    return InputBlock(
        block_id=BlockId.REROUTE_HOW.value,
        label=say("reroute_how_label"),
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
            None if route in current_routes() else say("reroute_pick_a_route")
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
    by = (
        refused.latest
        and not plain
        and Mrkdwn(say("status_by", user=escape(refused.latest.actor_user_id)))
    )
    return render("reroute_refusal.md.j2", why=refused.why.value, by=by or "")


def actioned_from_modal(
    view: dict, today: date | None = None
) -> tuple[Actioned | None, dict[str, str]]:
    """The submitted outcome, note, link and follow-up date, or the errors to show on their
    fields (a follow-up date must come after `today`, when given)."""
    fields = submitted_fields(view)
    kind = fields.get(BlockId.STATUS_OUTCOME.value)
    note, note_error = _note(fields)
    link, link_error = _checked_link(fields.get(BlockId.STATUS_LINK.value))
    follow_up, follow_up_error = _follow_up_date(fields, today)
    found = {
        BlockId.FOLLOW_UP_DATE.value: follow_up_error,
        BlockId.STATUS_OUTCOME.value: None
        if kind in OUTCOME_LABELS
        else say("actioned_pick_outcome"),
        BlockId.STATUS_NOTE.value: note_error,
        BlockId.STATUS_LINK.value: link_error,
    }
    errors = {block: error for block, error in found.items() if error}
    return (None if errors else Actioned(str(kind), note, link, follow_up)), errors


def _follow_up_date(fields: dict[str, Any], today: date | None) -> tuple[date | None, str | None]:
    """The follow-up date, a day after today; left empty, or without the field at all (an older
    modal, a client that leaves it out), the default: 30 days on, when the change is made."""
    raw = fields.get(BlockId.FOLLOW_UP_DATE.value)
    if raw in (None, ""):
        return None, None
    try:
        picked = date.fromisoformat(str(raw))
    except ValueError:
        return None, say("follow_up_date_missing")
    if today is not None and picked <= today:
        return None, say("follow_up_date_past")
    return picked, None


def reason_from_modal(
    view: dict, reasons: DeclineReasons | None = None
) -> tuple[Declined | None, dict[str, str]]:
    """The submitted reason and note, or the errors to show on their fields."""
    reasons = reasons or current_reasons()
    fields = submitted_fields(view)
    key = fields.get(BlockId.DECLINE_REASON.value)
    reason = reasons.get(key) if key in reasons else None
    note, note_error = _note(fields)
    if note_error and not note and not (reason and reason.note_required):
        note_error = None  # a listed reason speaks for itself; a note is welcome, not needed
    elif note_error and not note:
        note_error = say("decline_note_needed")
    found = {
        BlockId.DECLINE_REASON.value: None if reason else say("decline_pick_reason"),
        BlockId.STATUS_NOTE.value: note_error,
    }
    errors = {block: error for block, error in found.items() if error}
    if errors or reason is None:
        return None, errors
    return Declined(reason.key, note or None), {}


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
        return say("status_gone")
    if result.moved:
        return render("status_moved.md.j2", account=None if plain else account)
    done = _done(result.status)
    latest = result.latest
    if latest is not None and result.status != DiscoveryStatus.WITHDRAWN and not plain:
        done += say("status_by", user=escape(latest.actor_user_id))
    return render("status_refusal.md.j2", done=Mrkdwn(done), account=None if plain else account)


def _done(status: DiscoveryStatus) -> str:
    """How a refusal names the status someone else (or the scout) got to first."""
    done = {
        DiscoveryStatus.ACKNOWLEDGED: say("status_done_acknowledged"),
        DiscoveryStatus.ACTIONED: say("status_done_actioned"),
        DiscoveryStatus.DECLINED: say("status_done_declined"),
        DiscoveryStatus.WITHDRAWN: say("status_done_withdrawn"),
    }.get(status)
    return done or say("status_done_other", status=status.value)


def _intro(question: str, account: str) -> SectionBlock:
    text = fitted("status_intro.md.j2", SECTION_LIMIT, account, question=question)
    return SectionBlock(text=MarkdownTextObject(text=text))


def _note_input(label: str, placeholder: str, *, optional: bool = False) -> InputBlock:
    return InputBlock(
        block_id=BlockId.STATUS_NOTE.value,
        label=label,
        optional=optional,
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
        close=say("button_cancel"),
        private_metadata=card.metadata(),
        blocks=blocks,
    )


def _note(fields: dict[str, Any]) -> tuple[str, str | None]:
    """The required note (Slack enforces the limit too, but a request can say anything)."""
    note = str(fields.get(BlockId.STATUS_NOTE.value) or "").strip()
    if not note:
        return note, say("status_note_missing")
    if len(note) > NOTE_LIMIT:
        return note, say("status_note_too_long", limit=f"{NOTE_LIMIT:,}", length=f"{len(note):,}")
    return note, None


def _checked_link(raw: Any) -> tuple[str | None, str | None]:
    """An optional http(s) link, or why it is refused."""
    url = str(raw or "").strip()
    if not url:
        return None, None
    if len(url) > URL_LIMIT:
        return None, say("status_link_too_long", limit=f"{URL_LIMIT:,}")
    try:
        parts = urlsplit(url)
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname or _spaced(url):
        return None, say("status_link_not_web")
    return url, None


def _spaced(url: str) -> bool:
    return any(char.isspace() for char in url)


def members_only_text(channel_id: str) -> str:
    """Why a card's status did not change: the person is not in its channel, nor an admin."""
    return render("card_members_only.md.j2", channel=Mrkdwn(f"<#{escape(channel_id)}>"))
