"""The admin's merge of two accounts from App Home: pick the two, then confirm."""

from __future__ import annotations

from slack_sdk.models.blocks import (
    InputBlock,
    MarkdownTextObject,
    Option,
    SectionBlock,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from bot.rendering.ids import ActionId, BlockId, CallbackId
from bot.rendering.text import render
from bot.wording import say

CHOICES = 100  # a static select's options at most
NAME = 75  # an option's text at most


def merge_modal(accounts: list[tuple[int, str]], *, more: bool) -> View:
    """Two selects over the accounts: which one goes, which one stays."""
    options = [Option(value=str(key), text=name[:NAME]) for key, name in accounts[:CHOICES]]
    intro = render("account_merge_intro.md.j2", more=more, shown=len(options))
    return View(
        type="modal", callback_id=CallbackId.ACCOUNT_MERGE.value, title=say("account_merge_title"),
        submit=say("modal_next"), close=say("button_cancel"),
        blocks=[
            SectionBlock(text=MarkdownTextObject(text=intro)),
            _select(BlockId.MERGE_SOURCE, say("merge_source_label"), options),
            _select(BlockId.MERGE_TARGET, say("merge_target_label"), options),
        ],
    )  # fmt: skip


def merge_confirm_modal(*, source: str, target: str, moved: int, metadata: str) -> View:
    """The last look before the merge; `metadata` carries the two ids."""
    text = render("account_merge_confirm.md.j2", source=source, target=target, moved=moved)
    return View(
        type="modal", callback_id=CallbackId.ACCOUNT_MERGE_CONFIRM.value, title=say("account_merge_title"),
        submit=say("merge_submit"), close=say("button_cancel"), private_metadata=metadata,
        blocks=[SectionBlock(text=MarkdownTextObject(text=text))],
    )  # fmt: skip


def merge_pair(metadata: str) -> tuple[int, int]:
    """The confirmation's metadata: the two account ids; ValueError unless exactly that."""
    source, target = metadata.split(":")
    if not all(part.isdecimal() and len(part) <= 18 for part in (source, target)):
        raise ValueError(f"not two account ids: {metadata!r}")
    return int(source), int(target)


def merge_metadata(source: int, target: int) -> str:
    """What merge_pair reads back."""
    return f"{source}:{target}"


def _select(block_id: BlockId, label: str, options: list[Option]) -> InputBlock:
    element = StaticSelectElement(action_id=ActionId.MODAL_INPUT.value, options=options)
    return InputBlock(block_id=block_id.value, label=label, element=element)
