"""`/scout themes` and `/scout themes <name>`: value by theme, only to the person who asked."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from slack_sdk.models.blocks import MarkdownTextObject, SectionBlock
from sqlalchemy import Engine

from bot.dialogue.answer_common import show_date
from bot.digests.messages import split_text
from bot.digests.theme_table import WEEKS, theme_rows, themes_named
from bot.domain.added_themes import network_with
from bot.domain.money import Money, current_money
from bot.domain.themes import ValueNetwork
from bot.rendering.ids import Command
from bot.rendering.text import render, shorten
from storage.engine import session_scope
from storage.queries.digest_figures import plan_for_digests
from storage.queries.digest_value import ThemeDiscovery, theme_discoveries, value_by_theme
from storage.queries.themes import theme_additions

LISTED = 10  # discoveries of a theme listed; the rest are counted
OUTCOME, ACCOUNT = 140, 80


@dataclass(frozen=True)
class Reply:
    """An ephemeral answer: its notification text and its blocks."""

    text: str
    blocks: list[dict]


def themes_reply(
    *, engine: Engine, network: ValueNetwork, argument: str, now: datetime,
    team_id: str | None = None,
) -> Reply:  # fmt: skip
    """The table of every theme, or one theme's discoveries, over the last four weeks, of the
    asker's workspace (None: every workspace's: its listener does not pass the team yet)."""
    start, money = now - timedelta(weeks=WEEKS), current_money()
    with session_scope(engine) as session:  # the themes admins added count as the file's do
        network = network_with(network, theme_additions(session=session))
    period = f"{show_date(start.date())} – {show_date(now.date())}"
    if not argument.strip():
        return _table(engine, network, money, team_id, span=(start, now), period=period)
    named = themes_named(network, argument)
    if len(named) != 1:
        labels = [t.label for t in network.themes]
        text = render("themes_unknown.md.j2", word=argument.strip(), labels=labels,
                      named=[network.label(key) for key in named], command=Command.SCOUT.value)  # fmt: skip
        return _reply(text)
    return _drill(engine, network, money, team_id, theme=named[0], span=(start, now), period=period)


def _table(
    engine: Engine, network: ValueNetwork, money: Money, team_id: str | None, *,
    span: tuple[datetime, datetime], period: str,
) -> Reply:  # fmt: skip
    start, end = span
    with session_scope(engine) as session:
        plan_for_digests(session)  # PostgreSQL: index lookups over the range, no JIT
        before = start - timedelta(weeks=WEEKS)
        values = value_by_theme(
            session=session, team_id=team_id, start=start, end=end, before=before
        )
    text = render(
        "value_by_theme.md.j2", themes=theme_rows(values, network, money), period=period,
        base=money.base, weeks=WEEKS, weekly=False, command=Command.SCOUT.value,
    )  # fmt: skip
    return _reply(text)


def _drill(
    engine: Engine, network: ValueNetwork, money: Money, team_id: str | None, *, theme: str,
    span: tuple[datetime, datetime], period: str,
) -> Reply:  # fmt: skip
    start, end = span
    with session_scope(engine) as session:
        plan_for_digests(session)
        count, found = theme_discoveries(
            session=session, team_id=team_id, theme=theme, start=start, end=end, limit=LISTED
        )
    lines = [_line(d, money) for d in found]
    text = render("themes_drill.md.j2", label=network.label(theme), count=count,
                  discoveries=lines, more=count - len(lines), period=period)  # fmt: skip
    return _reply(text)


def _line(discovery: ThemeDiscovery, money: Money) -> dict[str, object]:
    value = discovery.value_base
    return {
        "account": shorten(discovery.account.strip(), ACCOUNT),
        "outcome": shorten(discovery.outcome.strip(), OUTCOME),
        "value": money.show(value) if value is not None else None,
        "approximate": discovery.value_amount is None, "status": discovery.status,
        "day": show_date(discovery.created_at.date()),
    }  # fmt: skip


def _reply(text: str) -> Reply:
    blocks = [
        SectionBlock(text=MarkdownTextObject(text=part)).to_dict() for part in split_text(text)
    ]
    return Reply(text.splitlines()[0], blocks)
