"""Follow-through messages: the follow-up DM with a button per later stage, the small modal a
stage that needs an amount, a reason or a link opens, and the scout's note (with a draft for
the customer once value is realised)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    InputBlock,
    MarkdownTextObject,
    PlainTextInputElement,
    SectionBlock,
)
from slack_sdk.models.views import View

from bot.dialogue.answer_common import format_amount
from bot.domain.money import current_money
from bot.domain.stage_input import REASON_LIMIT, URL_LIMIT, read_amount, read_link
from bot.rendering.fitting import dicts
from bot.rendering.ids import ActionId, BlockId, CallbackId
from bot.rendering.links import link_to
from bot.rendering.modal import submitted_fields
from bot.rendering.text import NO_UNFURL, Mrkdwn, escape, escape_within
from bot.wording import say

INPUT = ActionId.MODAL_INPUT.value
FIELD = {"amount": BlockId.STAGE_AMOUNT, "reason": BlockId.STAGE_REASON, "link": BlockId.STAGE_LINK}
DRAFT_LIMIT = 300  # the customer's outcome and gap, as quoted in the draft


@dataclass(frozen=True)
class FollowUpView:
    """A follow-up as its DM shows it."""

    follow_up_id: int
    account: str
    team: str
    stage: str
    stage_label: str
    later: list[tuple[str, str]]  # (stage id, label) of every stage that may follow
    card_link: str | None = None
    second: bool = False  # the second ask, 7 days after the first


@dataclass(frozen=True)
class StageNote:
    """A stage change as the scout hears of it."""

    team: str
    stage: str
    stage_label: str
    realised: bool
    actor: str
    amount: Decimal | None = None
    currency: str | None = None
    link: str | None = None
    reason: str | None = None


@dataclass(frozen=True)
class StageInput:
    """What a stage's modal submitted."""

    amount: Decimal | None = None
    currency: str | None = None
    link: str | None = None
    reason: str | None = None


@dataclass(frozen=True)
class StageRef:
    """A stage button: which follow-up, the stage it was drawn at, and the stage picked."""

    follow_up_id: int
    from_stage: str
    to_stage: str
    channel_id: str = ""

    def value(self) -> str:
        """The button's value."""
        return f"{self.follow_up_id}:{self.from_stage}:{self.to_stage}"

    @classmethod
    def of_value(cls, raw: str, channel_id: str = "") -> StageRef:
        """A button's value read back."""
        follow_up_id, from_stage, to_stage = raw.split(":", 2)
        return cls(int(follow_up_id), from_stage, to_stage, channel_id)

    @classmethod
    def of_view(cls, view: dict) -> StageRef:
        """The stage a submitted modal was opened for."""
        data = json.loads(view["private_metadata"])
        ref = cls(int(data["f"]), str(data["from"]), str(data["to"]), str(data.get("c", "")))
        return ref


def follow_up_message(view: FollowUpView) -> dict[str, Any]:
    """Where does it stand? One button per later stage (any may be skipped to)."""
    values = {"account": escape(view.account), "team": escape(view.team)}
    values["stage"] = escape(view.stage_label)
    text = say("follow_up_again", **values) if view.second else say("follow_up_ask", **values)
    if view.card_link:
        text += " " + say("follow_up_card", link=view.card_link)
    buttons = [
        ButtonElement(
            text=label,
            action_id=f"{ActionId.FOLLOW_UP_STAGE.value}:{stage}",
            value=StageRef(view.follow_up_id, view.stage, stage).value(),
        )
        for stage, label in view.later
    ]
    blocks = [SectionBlock(text=MarkdownTextObject(text=text)), ActionsBlock(elements=buttons)]
    return {"text": text, "blocks": dicts(blocks), **NO_UNFURL}


def answered_message(view: FollowUpView) -> dict[str, Any]:
    """The follow-up DM once answered: the stage now, no buttons left to press."""
    text = say("follow_up_answered", account=escape(view.account), stage=escape(view.stage_label))
    blocks = [SectionBlock(text=MarkdownTextObject(text=text))]
    return {"text": text, "blocks": dicts(blocks), **NO_UNFURL}


def stage_modal(*, ref: StageRef, asks: str, label: str, account: str) -> View:
    """The one field a stage needs (amount won, reason lost, release or published link)."""
    element = PlainTextInputElement(
        action_id=INPUT,
        multiline=asks == "reason",
        max_length=REASON_LIMIT if asks == "reason" else URL_LIMIT,
        placeholder=_asked(asks)[1],
    )
    intro = say("stage_modal_intro", account=escape_within(account, 200), stage=escape(label))
    blocks = [
        SectionBlock(text=MarkdownTextObject(text=intro)),
        InputBlock(block_id=FIELD[asks].value, label=_asked(asks)[0], element=element),
    ]
    metadata = {"f": ref.follow_up_id, "from": ref.from_stage, "to": ref.to_stage}
    return View(
        type="modal",
        callback_id=CallbackId.FOLLOW_UP_STAGE.value,
        title=label[:24],
        submit=say("edit_save"),
        close=say("button_cancel"),
        private_metadata=json.dumps(metadata | {"c": ref.channel_id}),
        blocks=blocks,
    )


def stage_from_modal(view: dict, *, asks: str) -> tuple[StageInput | None, dict[str, str]]:
    """The amount, reason or link the stage needs, or the error to show on its field."""
    raw = str(submitted_fields(view).get(FIELD[asks].value) or "").strip()
    block = FIELD[asks].value
    if not raw:
        return None, {block: _asked(asks)[2]}
    if asks == "amount":
        amount = read_amount(raw, base=current_money().base)
        if amount is None:
            return None, {block: say("stage_amount_unreadable")}
        if current_money().convert(amount.amount, amount.currency) is None:
            return None, {block: say("stage_amount_no_rate", currency=amount.currency)}
        return StageInput(amount=amount.amount, currency=amount.currency), {}
    if asks == "link":
        link = read_link(raw)
        return (StageInput(link=link), {}) if link else (None, {block: say("status_link_not_web")})
    if len(raw) > REASON_LIMIT:
        return None, {block: say("status_note_too_long", limit=f"{REASON_LIMIT:,}", length=f"{len(raw):,}")}  # fmt: skip
    return StageInput(reason=raw), {}


def _asked(asks: str) -> tuple[str, str, str]:
    """A stage's field: its label, placeholder, and what to say when it is left empty."""
    if asks == "amount":
        return (
            say("stage_amount_label"),
            say("stage_amount_placeholder"),
            say("stage_amount_missing"),
        )
    if asks == "link":
        return say("stage_link_label"), say("stage_link_placeholder"), say("stage_link_missing")
    return say("stage_reason_label"), say("stage_reason_placeholder"), say("stage_reason_missing")


def stage_refusal(why: str, *, stage_label: str | None, owner: str | None) -> str:
    """Why a stage click changed nothing, for the person who clicked."""
    if why == "not_yours":
        return say("stage_not_yours", owner=Mrkdwn(f"<@{escape(owner or '')}>"))
    if why == "repeated":
        return say("stage_repeated", stage=escape(stage_label or ""))
    if why == "gone":
        return say("status_gone")
    return say("stage_stale", stage=escape(stage_label or ""))


def stage_reply_message(*, discovery: Any, note: StageNote) -> dict[str, Any]:
    """To the scout: the team moved their discovery on; realised, a draft for the customer."""
    text = say(
        "stage_reply",
        account=escape(discovery.account),
        team=escape(note.team),
        stage=escape(note.stage_label),
        actor=Mrkdwn(f"<@{escape(note.actor)}>"),
    )
    detail = realised_text(note.amount, note.currency, note.link)
    if detail:
        text += f" ({detail})"
    if note.reason:
        text += f": {escape_within(note.reason, 500)}"
    blocks = [SectionBlock(text=MarkdownTextObject(text=text))]
    if note.realised:
        draft = customer_draft(discovery=discovery, note=note)
        blocks.append(SectionBlock(text=MarkdownTextObject(text=say("stage_tell_customer"))))
        blocks.append(SectionBlock(text=MarkdownTextObject(text=f"```{draft}```")))
        text += "\n" + say("stage_tell_customer")
    return {"text": text, "blocks": dicts(blocks), **NO_UNFURL}


def realised_text(amount: Decimal | None, currency: str | None, link: str | None) -> str:
    """ "EUR 50,000" or a link, as a stage recorded it (empty when neither)."""
    if amount is not None:
        return f"{currency or ''} {format_amount(amount)}".strip()
    return link_to(link) if link else ""


def customer_draft(*, discovery: Any, note: StageNote) -> str:
    """A short note to the customer, in their own terms: the outcome they wanted, the gap they
    had, and what changed (the stage, and its link when it has one)."""
    values = {
        "outcome": escape_within(discovery.outcome, DRAFT_LIMIT),
        "gap": escape_within(discovery.gap, DRAFT_LIMIT),
        "stage": escape(note.stage_label.lower()),
    }
    if note.link:
        return say("customer_draft_link", link=note.link, **values)
    return say("customer_draft", **values)
