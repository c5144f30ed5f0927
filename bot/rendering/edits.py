"""The scout's own changes: the edit modal, the withdraw confirmation, and their refusals."""

from __future__ import annotations

import json
from typing import Any

from slack_sdk.models.blocks import MarkdownTextObject, SectionBlock
from slack_sdk.models.views import View

from bot.dialogue.definition import Definition
from bot.domain.lifecycle import ChangeResult
from bot.rendering.fitting import SECTION_LIMIT, fitted
from bot.rendering.ids import CallbackId
from bot.rendering.modal import answers_modal
from bot.rendering.text import Mrkdwn, escape, render
from bot.wording import say


def edit_modal(
    definition: Definition, answers: dict[str, Any], *, discovery_id: int, origin: str | None
) -> View:
    """The discovery's answers to change; Save updates every card."""
    return answers_modal(
        definition, answers, callback=CallbackId.DISCOVERY_EDIT, title=say("edit_title"),
        submit=say("edit_save"), private_metadata=_metadata(discovery_id, origin),
    )  # fmt: skip


def withdraw_modal(*, discovery_id: int, account: str, origin: str | None) -> View:
    """Are you sure? Withdrawing is final; the history keeps it."""
    text = fitted("withdraw_confirm.md.j2", SECTION_LIMIT, account)
    return View(
        type="modal",
        callback_id=CallbackId.DISCOVERY_WITHDRAW.value,
        title=say("withdraw_title"),
        submit=say("withdraw_submit"),
        close=say("withdraw_keep"),
        private_metadata=_metadata(discovery_id, origin),
        blocks=[SectionBlock(text=MarkdownTextObject(text=text))],
    )


def discovery_of(view: dict) -> int:
    """The discovery an edit or withdraw modal is about."""
    return int(json.loads(view["private_metadata"])["discovery_id"])


def not_yours_text(*, scout_user_id: str, admins: frozenset[str]) -> str:
    """Why someone else may not edit or withdraw: who can."""
    mentions = Mrkdwn(", ".join(f"<@{escape(admin)}>" for admin in sorted(admins)))
    return render("not_yours.md.j2", scout=Mrkdwn(f"<@{escape(scout_user_id)}>"), admins=mentions)


def origin_of(view: dict) -> str | None:
    """The channel (or DM) the modal was opened from, where a refusal is shown."""
    origin = json.loads(view["private_metadata"]).get("origin")
    if origin is not None and not isinstance(origin, str):
        raise ValueError("origin is not a channel id")
    return origin


def edit_refusal(result: ChangeResult, *, plain: bool = False) -> str:
    """Why an edit is closed: someone picked the discovery up (or it is final)."""
    latest, status = result.latest, result.status
    if status is None:
        return say("edit_gone")
    actor = say("edit_someone")
    if latest is not None and not plain:
        actor = Mrkdwn(f"<@{escape(latest.actor_user_id)}>")
    return render("edit_refusal.md.j2", status=status.value, actor=actor)


def _metadata(discovery_id: int, origin: str | None) -> str:
    return json.dumps({"discovery_id": discovery_id, "origin": origin})
