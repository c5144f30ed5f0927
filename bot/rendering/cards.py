"""Discovery cards for the route channels: Block Kit within every limit.

The parts are built beside it: card_answers.py (the answers), card_status.py (the status
and the other teams' answers), supporters.py (the accounts behind it)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, tzinfo
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    HeaderBlock,
    InteractiveElement,
    MarkdownTextObject,
    Option,
    OverflowMenuElement,
    PlainTextObject,
    SectionBlock,
)

from bot.dialogue.definition import Definition
from bot.domain.similarity import CONVERGENCE_WINDOW, Related
from bot.domain.supporters import Support
from bot.domain.themes import ValueNetwork
from bot.domain.views import ChangeView, DiscoveryView, RouteView
from bot.rendering.card_answers import answer_blocks
from bot.rendering.card_status import others_blocks, status_blocks
from bot.rendering.card_status import stage_label as stage_label  # bot/digests imports it here
from bot.rendering.fitting import FALLBACK_LIMIT, HEADER_LIMIT, SECTION_LIMIT, clip, dicts, fitted
from bot.rendering.ids import ActionId, BlockId
from bot.rendering.links import link_as
from bot.rendering.links import link_to as link_to  # bot/digests imports it here
from bot.rendering.prose import ordinal
from bot.rendering.supporters import support_blocks
from bot.rendering.text import NO_UNFURL, render
from bot.wording import say
from storage.enums import DiscoveryStatus

BUTTONS = {  # status → the buttons that still make sense on its cards (action, style)
    DiscoveryStatus.NEW: (
        (ActionId.CARD_ACKNOWLEDGE, "primary"),
        (ActionId.CARD_ACTIONED, None),
        (ActionId.CARD_DECLINE, None),
        (ActionId.CARD_REROUTE, None),
    ),
    DiscoveryStatus.ACKNOWLEDGED: (
        (ActionId.CARD_ACTIONED, "primary"),
        (ActionId.CARD_DECLINE, None),
        (ActionId.CARD_REROUTE, None),
    ),
}


def discovery_card(
    *,
    discovery: DiscoveryView,
    route: RouteView,
    definition: Definition,
    network: ValueNetwork | None = None,
    permalink_hint: str | None = None,
    history: Sequence[ChangeView] = (),
    related: Related | None = None,
    routes: Sequence[RouteView] = (),
    support: Support | None = None,
    zone: tzinfo = UTC,
) -> dict[str, Any]:
    """The card a route channel gets: the answers, the scout, why it is here, its status.

    routes: all of the discovery's routes, so a re-routed card can name the other channel.
    zone: the workspace's time zone, that the date of an edit is shown in.
    """
    blocks: list[Block] = [
        HeaderBlock(text=PlainTextObject(text=_header(discovery.account), emoji=True)),
        *answer_blocks(discovery, definition, network),
        SectionBlock(text=MarkdownTextObject(text=_why(route.reason))),
        *status_blocks(route, history, {r.route: r.channel_id for r in routes}),
        *others_blocks(route, routes),
        *support_blocks(support, discovery.account),
        *_related(related),
        ContextBlock(elements=[MarkdownTextObject(text=_context(discovery, permalink_hint, zone))]),
        *_actions(discovery, route),
    ]
    return {"text": _fallback(discovery), "blocks": dicts(blocks), **NO_UNFURL}


def _header(account: str) -> str:
    return fitted("card_header.txt.j2", HEADER_LIMIT, account)


def _why(reason: str) -> str:
    return fitted("card_why.md.j2", SECTION_LIMIT, reason)


def _related(related: Related | None) -> list[SectionBlock]:
    """Earlier discoveries like this one and the convergence at its account; none if neither."""
    if not related:
        return []
    together = related.convergence
    # Each part is clipped, so even three items and the note stay far below SECTION_LIMIT.
    items = [
        {"id": item.discovery_id, "channel_id": item.channel_id,
         "account": _short(item.account, 60), "outcome": _short(item.outcome, 140)}
        for item in related.discoveries
    ]  # fmt: skip
    text = render(
        "card_related.md.j2", items=items, days=CONVERGENCE_WINDOW.days,
        convergence=together and replace(together, account=_short(together.account, 60)),
        ordinal=ordinal(together.count) if together else None,
    )  # fmt: skip
    return [SectionBlock(text=MarkdownTextObject(text=text))]


def _short(text: str, budget: int) -> str:
    """At most budget escaped characters of text, an ellipsis showing a cut."""
    shown = clip(" ".join(text.split()), budget)
    return shown if shown == " ".join(text.split()) else shown.rstrip() + "…"


def _actions(discovery: DiscoveryView, route: RouteView) -> list[ActionsBlock]:
    """The buttons the status allows; none once final or once this card moved elsewhere."""
    if route.rerouted_to is not None:
        return []
    # Every button names the card's route: each team's answer is its own.
    labels = _button_labels()
    buttons: list[InteractiveElement] = [
        ButtonElement(
            text=labels[action],
            action_id=action.value,
            style=style,
            value=f"{discovery.id}:{route.route}",
        )
        for action, style in BUTTONS.get(route.status, ())
    ]
    if discovery.status != DiscoveryStatus.WITHDRAWN:
        buttons.append(_more_menu(discovery))
    return [ActionsBlock(block_id=BlockId.CARD_ACTIONS.value, elements=buttons)] if buttons else []


def _button_labels() -> dict[ActionId, str]:
    return {
        ActionId.CARD_ACKNOWLEDGE: say("card_acknowledge"),
        ActionId.CARD_ACTIONED: say("card_actioned"),
        ActionId.CARD_DECLINE: say("card_decline"),
        ActionId.CARD_REROUTE: say("card_reroute"),
    }


def _more_menu(discovery: DiscoveryView) -> OverflowMenuElement:
    """Edit and Withdraw while it is new, for the scout or an admin; Merge with… while open and
    Themes… for the teams (anyone else is told who can)."""
    discovery_id, options = discovery.id, []
    if discovery.status == DiscoveryStatus.NEW:  # the scout (or an admin) may still change it
        options += [
            Option(value=f"edit:{discovery_id}", label=say("card_menu_edit")),
            Option(value=f"withdraw:{discovery_id}", label=say("card_menu_withdraw")),
        ]
    if discovery.status in BUTTONS:  # still open: a PM may merge another one into it
        options.append(Option(value=f"merge:{discovery_id}", label=say("card_menu_merge")))
    options.append(Option(value=f"themes:{discovery_id}", label=say("card_menu_themes")))
    return OverflowMenuElement(action_id=ActionId.CARD_MORE.value, options=options)


def _context(discovery: DiscoveryView, permalink_hint: str | None, zone: tzinfo) -> str:
    source_link = link_as(permalink_hint, say("card_source_message"))
    edited_at = discovery.edited_at and discovery.edited_at.astimezone(zone)
    edited = edited_at.strftime("%-d %b %Y") if edited_at else None
    return render(
        "card_context.md.j2", discovery_id=discovery.id, source_link=source_link, edited=edited
    )


def _fallback(discovery: DiscoveryView) -> str:
    """Short notification text: the account and the start of the outcome."""
    account = clip(discovery.account, 60)
    account += "…" if account != discovery.account else ""
    return fitted("card_fallback.txt.j2", FALLBACK_LIMIT, discovery.outcome, account=account)
