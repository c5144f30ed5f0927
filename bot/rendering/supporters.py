"""What supporters add to a card ("3 accounts, ≈ $420k"), the summary's offer to join a
look-alike discovery, and the receipt of a scout whose account joined one."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    CheckboxesElement,
    ContextBlock,
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextObject,
    SectionBlock,
)

from bot.domain.money import current_money
from bot.domain.supporters import Candidate, Support
from bot.rendering.ids import ActionId, BlockId, action_value
from bot.rendering.text import NO_UNFURL, Mrkdwn, escape, render, shorten
from bot.wording import say

NAMES_AT_MOST = 10  # a card names this many accounts, then "and 12 more"
SECTION_LIMIT = 3000
SUPPORT_KEY = "support"  # the summary button's "question key": it joins, not answers


def support_blocks(support: Support | None, account: str) -> list[Block]:
    """The card's line about its accounts and their value, or that it was merged elsewhere."""
    if not support:
        return []
    backing = support.backing
    names = [account, *support.accounts]
    shown = ", ".join(escape(shorten(n, 60)) for n in names[:NAMES_AT_MOST])
    if len(names) > NAMES_AT_MOST:
        shown += " " + escape(say("card_support_more", count=len(names) - NAMES_AT_MOST))
    text = render(
        "card_support.md.j2", accounts=backing.accounts, approximate=backing.approximate,
        value=current_money().show(backing.value) if backing.value is not None else None,
        names=Mrkdwn(shown), merged_from=support.merged_from, merged_into=support.merged_into,
        channel_id=support.merged_into_channel,
    )  # fmt: skip
    return [ContextBlock(elements=[MarkdownTextObject(text=shorten(text, SECTION_LIMIT))])]


def offer_blocks(candidate: Candidate | None, *, dialogue_id: int, version: str) -> list[Block]:
    """On the summary: the open discovery with the same outcome, and a button to join it."""
    if candidate is None:
        return []
    text = say(
        "summary_lookalike", discovery_id=candidate.discovery_id,
        account=shorten(candidate.account, 80), outcome=shorten(candidate.outcome, 200),
    )  # fmt: skip
    value = action_value(dialogue_id, SUPPORT_KEY, f"{candidate.discovery_id}:{version}")
    button = ButtonElement(
        text=PlainTextObject(text=shorten(say("button_add_my_account"), 75)),
        action_id=ActionId.DIALOGUE_SUPPORT.value, value=value,
    )  # fmt: skip
    section = SectionBlock(
        block_id=BlockId.LOOKALIKE.value,
        text=MarkdownTextObject(text=f":link: {escape(shorten(text, SECTION_LIMIT - 20))}"),
    )
    return [section, ActionsBlock(elements=[button])]


def join_input(candidate: Candidate | None) -> list[Block]:
    """In the modal's last step: a box to add the scout's account to the look-alike instead."""
    if candidate is None:
        return []
    about = f"#{candidate.discovery_id} {candidate.account}: {candidate.outcome}"
    option = Option(
        value=str(candidate.discovery_id), label=shorten(say("button_add_my_account"), 75),
        description=shorten(" ".join(about.split()), 75),
    )  # fmt: skip
    boxes = CheckboxesElement(action_id=ActionId.MODAL_INPUT.value, options=[option])
    label = shorten(say("modal_join_label"), 2000)
    return [InputBlock(block_id=BlockId.JOIN.value, label=label, optional=True, element=boxes)]


def parse_offer(value: str) -> tuple[int, str]:
    """The discovery id and the answers' version from offer_blocks()' button value."""
    discovery_id, _, version = value.partition(":")
    return int(discovery_id), version


def joined_summary_message(summary: dict, *, discovery_id: int, account: str) -> dict[str, Any]:
    """The summary once the scout's account joined a look-alike: what happened on top, the
    answers as they read (each row without its Edit), and no control left to click."""
    text = say("supporter_added", discovery_id=discovery_id, account=account)
    mark = f":white_check_mark: {escape(shorten(text, SECTION_LIMIT - 30))}"
    head = SectionBlock(text=MarkdownTextObject(text=mark))
    rows = [_without_edit(b) for b in summary.get("blocks") or [] if _is_answer_row(b)]
    return {"text": shorten(text, SECTION_LIMIT), "blocks": [head.to_dict(), *rows]}


def _is_answer_row(block: dict) -> bool:
    """A summary row: an answer with its Edit button beside it."""
    accessory = block.get("accessory") or {}
    return block.get("type") == "section" and accessory.get("action_id") == ActionId.DIALOGUE_EDIT


def _without_edit(block: dict) -> dict:
    return {key: value for key, value in block.items() if key != "accessory"}


def supporter_receipt_message(
    *, account: str, discovery_id: int, discovery_account: str, places: list[str]
) -> dict[str, Any]:
    """To the scout whose account joined a discovery: where its cards are (links)."""
    text = render(
        "supporter_receipt.md.j2", account=shorten(account, 100), discovery_id=discovery_id,
        body=shorten(discovery_account, 100), more=0, places=Mrkdwn(", ".join(places)),
    )  # fmt: skip
    block = SectionBlock(text=MarkdownTextObject(text=shorten(text, SECTION_LIMIT)))
    return {"text": shorten(text, SECTION_LIMIT), "blocks": [block.to_dict()], **NO_UNFURL}
