"""Discovery cards for the route channels: Block Kit within every limit."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import Any
from urllib.parse import urlsplit

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
from bot.domain.decline import current_reasons
from bot.domain.lifecycle import OUTCOME_LABELS
from bot.domain.money import current_money
from bot.domain.similarity import CONVERGENCE_WINDOW, Related
from bot.domain.supporters import Support
from bot.domain.themes import ValueNetwork
from bot.domain.views import ChangeView, DiscoveryView, RouteView, answers_of
from bot.rendering.answers import ShownAnswer, shown_answers, stand_in
from bot.rendering.ids import ActionId, BlockId
from bot.rendering.supporters import support_blocks
from bot.rendering.text import NO_UNFURL, Mrkdwn, escape, render
from bot.routes import current_routes
from bot.wording import say
from storage.enums import DiscoveryStatus

# Slack's limits, in characters of the text as sent (so escaped entities count in full).
SECTION_LIMIT = 3000
FIELD_LIMIT = 2000
HEADER_LIMIT = 150
FALLBACK_LIMIT = 300  # notification text: a glance, not the card
LABEL_LIMIT = 100
URL_LIMIT = 1000
FIELDS = 10  # Slack's most fields in one section
EVIDENCE = "evidence"  # the answer a shortcut's source link belongs with
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
_LINKABLE = re.compile(r"https?://\S+", re.IGNORECASE)


def clip(text: str, budget: int) -> str:
    """The longest prefix of text whose escaped form fits in budget characters."""
    used = 0
    for index, char in enumerate(text):
        used += len(escape(char))  # & costs 5, < and > 4: the limit counts what Slack gets
        if used > budget:
            return text[:index]
    return text


def fitted(template: str, limit: int, body: str, **values: object) -> str:
    """Render template with as much of body as fits in limit; the cut is counted as `more`."""
    whole = render(template, body=body, more=0, **values)
    if len(whole) <= limit or isinstance(body, Mrkdwn):
        return whole
    # The overhead is measured with the largest `more` the text could ever need.
    room = limit - len(render(template, body="", more=len(body), **values))
    while True:
        shown = clip(body, max(room, 0))
        text = render(template, body=shown, more=len(body) - len(shown), **values)
        if len(text) <= limit or room <= 0:
            return text
        room -= len(text) - limit


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
) -> dict[str, Any]:
    """The card a route channel gets: the answers, the scout, why it is here, its status.

    routes: all of the discovery's routes, so a re-routed card can name the other channel.
    """
    blocks: list[Block] = [
        HeaderBlock(text=PlainTextObject(text=_header(discovery.account), emoji=True)),
        *answer_blocks(discovery, definition, network),
        SectionBlock(text=MarkdownTextObject(text=_why(route.reason))),
        *_status(route, history, {r.route: r.channel_id for r in routes}),
        *_others(route, routes),
        *support_blocks(support, discovery.account),
        *_related(related),
        ContextBlock(elements=[MarkdownTextObject(text=_context(discovery, permalink_hint))]),
        *_actions(discovery, route),
    ]
    return {"text": _fallback(discovery), "blocks": dicts(blocks), **NO_UNFURL}


def dicts(blocks: list[Block]) -> list[dict[str, Any]]:
    """Serialise blocks; slack_sdk validates each one's limits on the way."""
    return [block.to_dict() for block in blocks]


def _header(account: str) -> str:
    return fitted("card_header.txt.j2", HEADER_LIMIT, account)


def _why(reason: str) -> str:
    return fitted("card_why.md.j2", SECTION_LIMIT, reason)


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


def link_as(url: str | None, label: str) -> Mrkdwn | None:
    """A <url|label> link the app built, for http(s) URLs only; None when unsafe or too long."""
    url = (url or "").strip()
    if not _LINKABLE.fullmatch(url) or len(url) > URL_LIMIT:
        return None
    # | ends the URL part of a link and < > end the link: percent-encode them instead.
    safe = url.replace("|", "%7C").replace("<", "%3C").replace(">", "%3E").replace("&", "&amp;")
    return Mrkdwn(render("card_link.md.j2", url=Mrkdwn(safe), label=label))


def link_labelled(url: str | None, label: str) -> Mrkdwn | None:
    """A safe <url|label> link for an http(s) URL; None when unsafe or absent."""
    return link_as(url, label)


def link_to(url: str | None) -> Mrkdwn | None:
    """A safe link to an http(s) URL someone gave, labelled with its host; None otherwise."""
    url = (url or "").strip()
    try:
        host = urlsplit(url).hostname if _LINKABLE.fullmatch(url) else None
    except ValueError:  # e.g. an unclosed [IPv6 bracket
        host = None
    return link_as(url, clip(host, LABEL_LIMIT)) if host else None


def status_text(change: ChangeView, template: str, **values: object) -> str:
    """A status change in words (who, what came of it, the note, the link), within limits."""
    return fitted(
        template, SECTION_LIMIT, change.note or "", status=change.to_status.value,
        actor=change.actor_user_id, outcome=outcome_label(change), link=link_to(change.link),
        **values,
    )  # fmt: skip


def outcome_label(change: ChangeView) -> str | None:
    """What came of it (actioned), or why not (declined, with a reason since reasons exist)."""
    kind = change.outcome_kind
    if not kind:
        return None
    if change.to_status == DiscoveryStatus.DECLINED:
        return current_reasons().get(kind).label
    return OUTCOME_LABELS.get(kind, kind)


def _status(
    route: RouteView, history: Sequence[ChangeView], channels: dict[str, str]
) -> list[SectionBlock]:
    """The card's status line: who on this team is on it, what became of it, or where it moved;
    once actioned, the follow-through stage it reached."""
    change = _status_change(route, history)
    if change is None:
        return []
    moved = change.rerouted_to is not None
    text = status_text(
        change, "status_line.md.j2", moved_away=moved and change.rerouted_from == route.route,
        to_channel=channels.get(change.rerouted_to) if moved else None,  # type: ignore[arg-type]
        from_channel=channels.get(change.rerouted_from) if moved else None,  # type: ignore[arg-type]
        also=moved and change.from_status is None,
    )  # fmt: skip
    if _stage(route) and not moved:
        text += "\n" + stage_line(route)
    return [SectionBlock(block_id=BlockId.CARD_STATUS.value, text=MarkdownTextObject(text=text))]


def stage_label(route: str, stage: str) -> str:
    """A follow-through stage as people read it (its id, for one removed from the file)."""
    found = current_routes().stages(route).get(stage)
    return found.label if found else stage.replace("_", " ").capitalize()


def _stage(route: RouteView) -> str | None:
    """The route's follow-through stage (a stored route row, drawn as is, has none)."""
    return getattr(route, "stage", None)


def stage_line(route: RouteView) -> str:
    """The stage line: "Follow-through: *Won* · €50k", or with the release or published link."""
    line = say("card_stage", stage=escape(stage_label(route.route, str(route.stage))))
    if route.stage_value is not None:
        line += f" · {current_money().show(route.stage_value)}"
    if route.stage_link:
        line += f" · {link_to(route.stage_link)}"
    return line


def _status_change(route: RouteView, history: Sequence[ChangeView]) -> ChangeView | None:
    """The change a card shows: its move away, else its own latest status (none while new,
    unless it arrived from another team)."""
    if route.rerouted_to is not None:
        moves = (c for c in reversed(history) if c.rerouted_from == route.route)
        return next((c for c in moves if c.rerouted_to == route.rerouted_to), None)
    if route.status == DiscoveryStatus.NEW:
        return next((c for c in reversed(history) if c.rerouted_to == route.route), None)
    own = (c for c in reversed(history) if c.route_id in (None, route.id) and not c.rerouted_to)
    return next((c for c in own if c.to_status == route.status), None)


def _others(route: RouteView, routes: Sequence[RouteView]) -> list[ContextBlock]:
    """In one line, every other team's own answer ("Marketing: acknowledged · Product: new")."""
    others = [r for r in routes if r.rerouted_to is None and r.route != route.route]
    if not others or route.rerouted_to is not None:
        return []
    text = render("card_others.md.j2", answers=team_answers(others))
    return [
        ContextBlock(block_id=BlockId.CARD_OTHERS.value, elements=[MarkdownTextObject(text=text)])
    ]


def team_answers(routes: Sequence[RouteView]) -> list[dict[str, str]]:
    """Each route's team (as the admin labels it), channel and status, for one line of text."""
    labels = current_routes()
    return [
        {
            "team": labels.label(r.route),
            "channel_id": r.channel_id,
            "status": r.status.value
            + (f" ({stage_label(r.route, stage).lower()})" if (stage := _stage(r)) else ""),
        }
        for r in routes
    ]


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


def ordinal(number: int) -> str:
    """1st, 2nd, 3rd, 4th … 11th, 12th, 13th … 21st, 22nd, 101st, 111th."""
    suffix = (
        "th" if number % 100 in (11, 12, 13) else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    )
    return f"{number}{suffix}"


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


def _context(discovery: DiscoveryView, permalink_hint: str | None) -> str:
    source_link = link_as(permalink_hint, say("card_source_message"))
    edited = discovery.edited_at.strftime("%-d %b %Y") if discovery.edited_at else None
    return render(
        "card_context.md.j2", discovery_id=discovery.id, source_link=source_link, edited=edited
    )


def _fallback(discovery: DiscoveryView) -> str:
    """Short notification text: the account and the start of the outcome."""
    account = clip(discovery.account, 60)
    account += "…" if account != discovery.account else ""
    return fitted("card_fallback.txt.j2", FALLBACK_LIMIT, discovery.outcome, account=account)


def and_list(items: list[str]) -> str:
    """Join as in prose: a, b and c."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
