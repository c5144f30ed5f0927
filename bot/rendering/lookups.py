"""Answers to `/scout account` and `/scout search`: only the asker sees them, with links."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, tzinfo
from typing import Any

from slack_sdk.models.blocks import (
    Block,
    ContextBlock,
    DividerBlock,
    MarkdownTextObject,
    SectionBlock,
)

from bot.dialogue.answers import format_amount, show_date
from bot.dialogue.definition import Definition
from bot.domain.accounts import AccountPicture
from bot.domain.money import current_money
from bot.domain.views import DiscoveryView, RouteView
from bot.rendering.fitting import SECTION_LIMIT, dicts
from bot.rendering.home import status_shown
from bot.rendering.links import link_as
from bot.rendering.text import NO_UNFURL, Mrkdwn, escape_within, render, shorten
from bot.wording import say

Listed = list[tuple[DiscoveryView, list[RouteView]]]
OUTCOME, PRESSURE = 200, 150  # user text cut to these, visibly, before it is escaped


@dataclass(frozen=True)
class Labels:
    """How stored keys read: value bands and themes, in the admin's words; dates, on the
    workspace's clock."""

    band: Callable[[str], str]
    theme: Callable[[str], str]
    zone: tzinfo = UTC


def account_message(
    *, picture: AccountPicture, links: dict[int, str], labels: Labels
) -> dict[str, Any]:
    """The account's discoveries with each team's status, its value, events and themes."""
    count = len(picture.discoveries) + picture.more
    money = current_money()
    value = money.show(picture.value) if picture.value is not None else ""
    head = render(
        "account_view.md.j2", name=picture.name, link=link_as(picture.crm_url, picture.name),
        owner=picture.owner_user_id, count=count, value=value,
        approximate=picture.approximate, base=money.base,
    )  # fmt: skip
    blocks: list[Block] = [
        _section(head),
        DividerBlock(),
        *_lines(picture.discoveries, links, labels, named=False),
    ]
    if picture.more:
        blocks.append(_context(render("account_view_more.md.j2", more=picture.more)))
    if picture.events:
        events = [
            (show_date(day), _cut(pressure, PRESSURE)) for day, pressure, _id in picture.events
        ]
        blocks.append(_section(render("account_view_events.md.j2", events=events)))
    if picture.themes:
        themes = ", ".join(f"{labels.theme(key)} ({n})" for key, n in picture.themes)
        blocks.append(_section(render("account_view_themes.md.j2", themes=themes)))
    return {"text": shorten(head, SECTION_LIMIT), "blocks": dicts(blocks), **NO_UNFURL}


def search_message(
    *, words: str, found: Listed, links: dict[int, str], limit: int, labels: Labels
) -> dict[str, Any]:
    """The best matches, each as on the account view."""
    head = render("search_results.md.j2", words=words, count=len(found), limit=limit)
    blocks: list[Block] = [_section(head), *_lines(found, links, labels, named=True)]
    return {"text": shorten(head, SECTION_LIMIT), "blocks": dicts(blocks), **NO_UNFURL}


def _lines(listed: Listed, links: dict[int, str], labels: Labels, *, named: bool) -> list[Block]:
    """One section per discovery; `named`: each says its account (search; not one account)."""
    return [
        _section(_line(discovery, routes, links, labels, named=named))
        for discovery, routes in listed
    ]


def _line(
    discovery: DiscoveryView, routes: list[RouteView], links: dict[int, str], labels: Labels,
    *, named: bool,
) -> str:  # fmt: skip
    statuses = "; ".join(
        render(
            "account_view_route.md.j2", route=route.route,
            link=link_as(links.get(route.id), say("account_view_card")),
            status=(say("account_view_moved", route=route.rerouted_to) if route.rerouted_to
                    else status_shown(route.status or discovery.status)),  # each team's own
        )
        for route in routes
    )  # fmt: skip
    return render(
        "account_view_line.md.j2", account=discovery.account if named else None,
        outcome=_cut(discovery.outcome, OUTCOME), statuses=Mrkdwn(statuses),
        value=_value(discovery, labels.band), scout=discovery.scout_user_id,
        day=show_date(discovery.created_at.astimezone(labels.zone).date()),
    )  # fmt: skip


def band_label(definition: Definition) -> Callable[[str], str]:
    """The admin's words for a stored value band."""

    def label(band: str) -> str:
        try:
            return definition.question("value").choice_label(band)
        except StopIteration:
            return band

    return label


def _value(discovery: DiscoveryView, band: Callable[[str], str]) -> str | None:
    if discovery.value_amount is not None:
        return f"{discovery.value_currency or ''} {format_amount(discovery.value_amount)}".strip()
    return band(discovery.value_band) if discovery.value_band else None


def _cut(text: str, limit: int) -> Mrkdwn:
    return Mrkdwn(escape_within(" ".join(text.split()), limit))


def _section(text: str) -> SectionBlock:
    return SectionBlock(text=MarkdownTextObject(text=shorten(text, SECTION_LIMIT)))


def _context(text: str) -> ContextBlock:
    return ContextBlock(elements=[MarkdownTextObject(text=text)])
