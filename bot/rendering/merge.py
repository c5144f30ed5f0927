"""A PM's "Merge with…" from a card's menu: the modal that asks for the other discovery's
number (look-alikes offered as hints), what was typed, and why a merge was refused."""

from __future__ import annotations

import json
import re

from slack_sdk.models.blocks import (
    ContextBlock,
    InputBlock,
    MarkdownTextObject,
    PlainTextInputElement,
    SectionBlock,
)
from slack_sdk.models.views import View

from bot.domain.supporters import Candidate
from bot.rendering.ids import ActionId, BlockId, CallbackId
from bot.rendering.text import escape, shorten
from bot.wording import say

NUMBER = re.compile(r"#?\s*(\d{1,12})")
HINTS = 5


def merge_modal(
    *, discovery_id: int, account: str, lookalikes: list[Candidate], origin: str | None
) -> View:
    """Which discovery to merge into this one: its number, typed (look-alikes listed)."""
    intro = say("merge_intro", discovery_id=discovery_id, account=shorten(account, 80))
    blocks: list = [SectionBlock(text=MarkdownTextObject(text=escape(intro)))]
    if lookalikes:
        items = "; ".join(
            f"#{c.discovery_id} {shorten(c.account, 40)}: {shorten(c.outcome, 80)}"
            for c in lookalikes[:HINTS]
        )
        hint = escape(say("merge_lookalikes", items=items))
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=shorten(hint, 2000))]))
    number = PlainTextInputElement(action_id=ActionId.MODAL_INPUT.value, max_length=20)
    label, hint = say("merge_with_label"), say("merge_with_hint")
    blocks.append(
        InputBlock(block_id=BlockId.MERGE_WITH.value, label=label, hint=hint, element=number)
    )
    return View(
        type="modal", callback_id=CallbackId.DISCOVERY_MERGE.value, title=say("merge_title"),
        submit=say("merge_submit"), close=say("merge_keep"), blocks=blocks,
        private_metadata=json.dumps({"discovery_id": discovery_id, "origin": origin}),
    )  # fmt: skip


def other_from_modal(view: dict) -> tuple[int | None, dict[str, str]]:
    """The other discovery's number as typed ("12", "#12"), or the error for its field."""
    block = (view.get("state") or {}).get("values", {}).get(BlockId.MERGE_WITH.value) or {}
    typed = str((block.get(ActionId.MODAL_INPUT.value) or {}).get("value") or "").strip()
    found = NUMBER.fullmatch(typed)
    if found is None:
        return None, {BlockId.MERGE_WITH.value: say("merge_empty")}
    return int(found.group(1)), {}


def merge_target_of(view: dict) -> tuple[int, str | None]:
    """The discovery a merge modal merges into, and the channel it was opened from."""
    meta = json.loads(view["private_metadata"])
    origin = meta.get("origin")
    if origin is not None and not isinstance(origin, str):
        raise ValueError("origin is not a channel id")
    return int(meta["discovery_id"]), origin


def merge_refusal(
    refused: str, *, kept_id: int, other_id: int | None, merged_into: int | None = None
) -> str:
    """Why the merge was not made (other_id None: why its modal did not open), in plain text
    (a modal field shows no mentions)."""
    if other_id is None and refused == "not_permitted":
        return say("merge_refused_not_here", kept_id=kept_id)
    texts = {
        "same": lambda: say("merge_refused_same"),
        "gone": lambda: say("merge_refused_gone", other_id=kept_id if other_id is None else other_id),
        "closed": lambda: say("merge_refused_closed", kept_id=kept_id),
        "other_closed": lambda: say("merge_refused_other_closed", other_id=other_id),
        "merged": lambda: say("merge_refused_merged", other_id=other_id, merged_into=merged_into),
        "not_permitted": lambda: say("merge_refused_not_permitted", kept_id=kept_id, other_id=other_id),
    }  # fmt: skip
    return texts[refused]()
