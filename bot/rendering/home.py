"""The App Home tab: a scout's discoveries and where they stand, and a button to log one."""

from __future__ import annotations

from datetime import UTC, tzinfo

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)
from slack_sdk.models.views import View

from bot.dialogue.definition import current_definition
from bot.domain.accounts import OwnerHome
from bot.domain.views import DiscoveryView, RouteView, ScoutFigures, answers_of
from bot.domain.workspace import WorkspaceConfig
from bot.rendering.answers import brief_line
from bot.rendering.config import config_blocks
from bot.rendering.home_accounts import owned_accounts_blocks
from bot.rendering.ids import ActionId
from bot.rendering.links import link_as
from bot.rendering.text import Mrkdwn, escape_within, render
from bot.wording import say

PAGE_SIZE = 10  # two blocks each: far inside a view's 100 blocks


def home_view(
    *,
    discoveries: list[tuple[DiscoveryView, list[RouteView]]] = (),
    figures: ScoutFigures | None = None,
    page: int = 0,
    has_more: bool = False,
    config: WorkspaceConfig | None = None,
    digests_off: bool = False,
    links: dict[int, str] | None = None,
    checks: list[str] = (),
    accounts: OwnerHome | None = None,
    zone: tzinfo = UTC,
) -> View:
    """What a scout sees on the Home tab; pages of PAGE_SIZE discoveries, newest first.

    config: the settings, shown (with a button to change them) to admins only.
    digests_off: the scout turned their weekly DM off; offer to turn it back on.
    links: discovery id → permalink of its receipt, whose thread tells its story.
    checks: the set-up checks' lines, shown with the settings (to admins).
    accounts: the accounts the person owns, their DM switch, an admin's merge button.
    zone: the workspace's time zone, that dates are shown in.
    """
    blocks: list[Block] = [
        HeaderBlock(text=say("home_header")),
        SectionBlock(text=MarkdownTextObject(text=render("home.md.j2"))),
        ActionsBlock(
            elements=[_button(say("home_log"), ActionId.LOG_DISCOVERY.value, "new", "primary")]
        ),
    ]
    if figures is not None:
        text = render("home_figures.md.j2", **vars(figures))
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=text)]))
    blocks += [DividerBlock(), *_listing(discoveries, page, links or {}, zone)]
    paging = _paging(page, has_more)
    if paging:
        blocks.append(ActionsBlock(elements=paging))
    if digests_off:
        blocks += _digests_back_on()
    if accounts:
        blocks += [DividerBlock(), *owned_accounts_blocks(accounts)]
    if config is not None:
        blocks += config_blocks(config, checks)
    return View(type="home", blocks=blocks)


def _digests_back_on() -> list[Block]:
    text = say("home_digests_off")
    button = _button(say("home_digests_on"), ActionId.DIGEST_SCOUT_ON.value, "on")
    return [ContextBlock(elements=[MarkdownTextObject(text=text)]), ActionsBlock(elements=[button])]


def _listing(
    discoveries: list[tuple[DiscoveryView, list[RouteView]]], page: int, links: dict[int, str],
    zone: tzinfo,
) -> list[Block]:  # fmt: skip
    if not discoveries:
        text = say("home_none_yet") if page == 0 else say("home_no_more")
        return [SectionBlock(text=MarkdownTextObject(text=text))]
    blocks: list[Block] = []
    for discovery, routes in discoveries:
        blocks += _row(discovery, routes, links.get(discovery.id), zone)  # type: ignore[arg-type]
    return blocks


def _row(
    discovery: DiscoveryView, routes: list[RouteView], link: str | None, zone: tzinfo
) -> list[Block]:
    """One discovery: account, status and outcome; then where it went and when."""
    text = render(
        "home_discovery.md.j2",
        account=Mrkdwn(escape_within(discovery.account, 200)),
        status=status_shown(discovery.status),
        outcome=Mrkdwn(escape_within(discovery.outcome, 400)),
    )
    brief = brief_line(current_definition(), answers_of(discovery))
    text += f"\n{brief}" if brief else ""
    # Each team's own answer: one may be on it while another has declined.
    answers = [(r.channel_id, status_shown(r.status)) for r in routes if not r.rerouted_to]
    where = render("home_answers.md.j2", answers=answers) or say("home_not_routed")
    when = discovery.created_at.astimezone(zone).strftime("%-d %b %Y")  # the scout's day
    story = link_to_thread(link)
    context = say("home_logged", where=where, when=when, number=discovery.id) + (
        f" · {story}" if story else ""
    )
    return [
        SectionBlock(text=MarkdownTextObject(text=text)),
        ContextBlock(elements=[MarkdownTextObject(text=context)]),
    ]


def link_to_thread(url: str | None) -> str | None:
    """The receipt's thread, where each change was told to the scout."""
    return link_as(url, say("home_whole_story"))


def _paging(page: int, has_more: bool) -> list[ButtonElement]:
    buttons = []
    # Two paging buttons share a block: their action_ids must differ.
    if page > 0:
        buttons.append(_button(say("home_newer"), f"{ActionId.HOME_PAGE}:newer", str(page - 1)))
    if has_more:
        buttons.append(_button(say("home_older"), f"{ActionId.HOME_PAGE}:older", str(page + 1)))
    return buttons


def _button(label: str, action_id: str, value: str, style: str | None = None) -> ButtonElement:
    return ButtonElement(text=label, action_id=action_id, value=value, style=style)


def status_shown(status: str) -> str:
    """A status as App Home shows it, with its emoji (texts.yaml: home_status_<status>)."""
    return say(f"home_status_{status}")
