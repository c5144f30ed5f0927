"""A card's answers: long text as sections of its own (the evidence with its source link), the
short answers, the scout and the themes as two-column fields."""

from __future__ import annotations

from slack_sdk.models.blocks import Block, MarkdownTextObject, SectionBlock

from bot.dialogue.definition import Definition
from bot.domain.themes import ValueNetwork
from bot.domain.views import DiscoveryView, answers_of
from bot.rendering.answers import ShownAnswer, shown_answers, stand_in
from bot.rendering.fitting import FIELD_LIMIT, LABEL_LIMIT, SECTION_LIMIT, clip, fitted
from bot.rendering.links import link_as
from bot.rendering.text import Mrkdwn, escape, render
from bot.wording import say

FIELDS = 10  # Slack's most fields in one section
EVIDENCE = "evidence"  # the answer a shortcut's source link belongs with


def answer_blocks(
    discovery: DiscoveryView, definition: Definition, network: ValueNetwork | None
) -> list[Block]:
    """Every answer, in the definition's order: long text as sections of its own, the short
    answers together as two-column fields where the first of them follows a long one."""
    blocks: list[Block] = []
    facts: list[MarkdownTextObject] = []
    at: int | None = None  # where the fields go
    answers = shown_answers(definition, answers_of(discovery))
    for item in _with_source(answers, discovery, definition):
        if item.question.multiline or item.question.key == EVIDENCE:
            blocks.append(_section(item, discovery.evidence_url))
            continue
        at = len(blocks) if at is None and blocks else at
        facts.append(_fact(item.question.label, item.text))
    facts += [_fact(label, text) for label, text in _card_facts(discovery, network) if text]
    fields = [SectionBlock(fields=facts[n : n + FIELDS]) for n in range(0, len(facts), FIELDS)]
    at = len(blocks) if at is None else at
    return blocks[:at] + fields + blocks[at:]


def _with_source(
    items: list[ShownAnswer], discovery: DiscoveryView, definition: Definition
) -> list[ShownAnswer]:
    """A source link without evidence text still gets the evidence's section, for its link."""
    if not discovery.evidence_url or any(i.question.key == EVIDENCE for i in items):
        return items
    question = definition.find(EVIDENCE) or stand_in(EVIDENCE, "")
    return [*items, ShownAnswer(question, "")]


def _fact(label: str, text: str) -> MarkdownTextObject:
    return MarkdownTextObject(
        text=fitted(
            "card_section.md.j2", FIELD_LIMIT, text, label=clip(label, LABEL_LIMIT), link=None
        )
    )


def _card_facts(
    discovery: DiscoveryView, network: ValueNetwork | None
) -> list[tuple[str, str | None]]:
    """What the card adds to the answers: who logged it, and its themes."""
    return [
        (render("card_scout_label.txt.j2"), Mrkdwn(f"<@{escape(discovery.scout_user_id)}>")),
        (render("card_themes_label.txt.j2"), _themes(discovery.themes, network)),
    ]


def _themes(keys: list[str], network: ValueNetwork | None) -> str | None:
    """The themes' labels as the value network names them."""
    return ", ".join(network.label(key) if network else key for key in keys) or None


def _section(item: ShownAnswer, source_url: str | None) -> SectionBlock:
    """A long answer; the evidence carries the source link (shown as text when not safe)."""
    link, body = None, item.text
    if item.question.key == EVIDENCE and source_url:
        link = link_as(source_url, say("card_open_source"))
        body = body if link else f"{body}\n{source_url}".strip()
    label = clip(item.question.label, LABEL_LIMIT)
    text = fitted("card_section.md.j2", SECTION_LIMIT, body, label=label, link=link)
    return SectionBlock(text=MarkdownTextObject(text=text))
