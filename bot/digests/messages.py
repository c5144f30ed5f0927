"""Weekly digests as Slack messages: a short parent, details in its thread, within Block Kit limits."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import ActionsBlock, ButtonElement

from bot.dialogue.answer_common import MONTHS
from bot.dialogue.answers import format_amount, show_date
from bot.digests.compose import Answer, CoachReport, RouteReport, ScoutReport
from bot.digests.model import Message, Week
from bot.digests.quality_messages import coach_quality_sections, tip_section
from bot.digests.theme_table import WEEKS
from bot.domain.money import Money, current_money
from bot.rendering.cards import link_to
from bot.rendering.ids import ActionId
from bot.rendering.text import render, shorten
from bot.routes import current_routes
from bot.wording import say
from storage.queries.digest_figures import DiscoveryLine

SECTION_LIMIT = 3000  # characters of a section's text, as sent
MAX_BLOCKS = 50
MESSAGE_BUDGET = 12_000  # characters per message: Slack takes more, readers don't
ACCOUNT, OUTCOME, NOTE = 80, 140, 140  # user text is cut to these before it is escaped
BANDS = ("under_10k", "10k_100k", "100k_1m", "over_1m")  # digest_band_<band> in texts.yaml


def period(week: Week) -> str:
    """A week as people read it: '16–22 Nov 2026', '28 Dec 2026 – 3 Jan 2027'."""
    first, last = week.monday, week.monday + timedelta(days=6)
    if first.year != last.year:
        return f"{show_date(first)} – {show_date(last)}"
    if first.month != last.month:
        return f"{first.day} {MONTHS[first.month - 1]} – {show_date(last)}"
    return f"{first.day}–{show_date(last)}"


def route_messages(report: RouteReport, *, zone: ZoneInfo) -> tuple[Message, tuple[Message, ...]]:
    """A route channel's digest: the headline figures, then the details as thread replies."""
    name, when = current_routes().label(report.route), period(report.week)
    if report.quiet:
        return _parent(render("digest_route_quiet.md.j2", route=name, period=when)), ()
    parent = render(
        "digest_route_parent.md.j2", route=name, period=when, new=report.new,
        last_week=report.last_week, acknowledged=report.acknowledged, actioned=report.actioned,
        declined=report.declined, open=_total(report.open_loops),
        days=report.open_after_days,
    )  # fmt: skip
    sections = [*_arrivals(report), *_loops(report, zone)]
    return _parent(parent), tuple(pack(sections, fallback=f"{name} digest, {when}"))


def _arrivals(report: RouteReport) -> list[str]:
    """What arrived: by theme, the largest, the gaps that recur."""
    sections = []
    if report.themes:
        themes = [_theme(entry) for entry in report.themes.items]
        sections.append(render("digest_themes.md.j2", themes=themes, more=report.themes.more))
    if report.largest:
        money = current_money()
        largest = [_discovery(line, **_value(line, money)) for line in report.largest]
        sections.append(render("digest_largest.md.j2", discoveries=largest, base=money.base,
                               as_of=show_date(money.as_of)))  # fmt: skip
    if report.value_by_theme:
        money = current_money()
        sections.append(render("value_by_theme.md.j2", themes=report.value_by_theme,
                               period=period(report.week), base=money.base, weeks=WEEKS,
                               weekly=True, command=None))  # fmt: skip
    if report.recurring:
        recurring = [_theme(entry) for entry in report.recurring.items]
        sections.append(
            render("digest_recurring.md.j2", themes=recurring, more=report.recurring.more)
        )
    return sections


def _loops(report: RouteReport, zone: ZoneInfo) -> list[str]:
    """Open loops with a nudge, closed loops with their outcomes, thanks."""
    sections = []
    if report.open_loops:
        waiting = [_discovery(d, since=_day(d, zone)) for d in report.open_loops.items]
        sections.append(
            render(
                "digest_open_loops.md.j2",
                count=_total(report.open_loops),
                discoveries=waiting,
                more=_more(report.open_loops),
                days=report.open_after_days,
            )
        )
    if report.closed:
        answers = [_answer(a) for a in report.closed.items]
        sections.append(render("digest_closed.md.j2", answers=answers, more=report.closed.more))
    if report.thanks:
        scouts = [{"user": s.scout_user_id} for s in report.thanks.items]
        sections.append(render("digest_thanks.md.j2", scouts=scouts, more=report.thanks.more))
    return sections


def coach_messages(report: CoachReport) -> tuple[Message, tuple[Message, ...]]:
    """The coaches' digest: headline figures, then trend, participation, loops, themes, people."""
    when = period(report.week)
    if report.quiet:
        return _parent(render("digest_coach_quiet.md.j2", period=when)), ()
    parent = render(
        "digest_coach_parent.md.j2", period=when, new=report.new, last_week=report.last_week,
        active=report.active_scouts, first_timers=_total(report.first_timers),
        closed_rate=report.closed_rate, median=report.median_answer,
    )  # fmt: skip
    return _parent(parent), tuple(
        pack(_coach_sections(report), fallback=say("digest_coach_fallback", when=when))
    )


def _coach_sections(report: CoachReport) -> list[str]:
    """The coach digest's thread, section by section."""
    names = [current_routes().label(route) for route in report.routes]
    sections = [
        render("digest_trend.md.j2", routes=names, rows=report.trend),
        render(
            "digest_participation.md.j2",
            active=report.active_scouts,
            first_timers=list(report.first_timers.items),
            more=report.first_timers.more,
            logged=report.logged,
            with_value=report.with_value,
            with_event=report.with_event,
            with_evidence=report.with_evidence,
        ),
    ]
    if report.cohort:
        sections.append(
            render(
                "digest_loops.md.j2",
                cohort=report.cohort,
                weeks=report.cohort_weeks,
                closed_rate=report.closed_rate,
                answered=report.answered,
                median=report.median_answer,
            )
        )
    if report.rising:
        sections.append(
            render("digest_rising.md.j2", themes=report.rising, weeks=report.baseline_weeks)
        )
    if report.recognised:
        scouts = [{"user": s.scout_user_id, "count": s.count} for s in report.recognised.items]
        sections.append(
            render("digest_recognition.md.j2", scouts=scouts, more=report.recognised.more)
        )
    return sections + coach_quality_sections(report)


def scout_messages(report: ScoutReport) -> tuple[Message, tuple[Message, ...]]:
    """A scout's DM: what happened to their discoveries, what they logged, and the off switch."""
    when = period(report.week)
    sections = [
        render(
            "digest_scout.md.j2",
            period=when,
            answered=_total(report.answered),
            logged=_total(report.logged),
        )
    ]
    if report.answered:
        answers = [_answer(a) for a in report.answered.items]
        sections.append(
            render("digest_scout_answered.md.j2", answers=answers, more=report.answered.more)
        )
    if report.logged:
        logged = [_discovery(d) for d in report.logged.items]
        sections.append(
            render("digest_scout_logged.md.j2", discoveries=logged, more=report.logged.more)
        )
    if report.tip:
        sections.append(tip_section(report.tip))
    first, *rest = pack(sections, fallback=say("digest_scout_fallback", when=when), reserve=1)
    first = Message(
        first.text, [*first.blocks, _off_switch(say("digest_scout_off"), report.user_id)]
    )
    return first, tuple(rest)


def _off_switch(label: str, user_id: str) -> dict[str, Any]:
    """The scout's "stop these DMs" button: checked by slack_sdk once per label, then copied
    with each scout's id (300 scouts' to_dict were a tenth of a week's digests)."""
    actions = _checked_switch(label)
    shared = actions["elements"][0]  # copied: no two messages share a dict
    button = {**shared, "text": dict(shared["text"]), "value": user_id}
    return {**actions, "elements": [button]}


@cache
def _checked_switch(label: str) -> dict[str, Any]:
    off = ButtonElement(text=label, action_id=ActionId.DIGEST_SCOUT_OFF, value="U0")
    return ActionsBlock(elements=[off]).to_dict()


# --- items: user text cut, then escaped by the templates ------------------------------------------


def _discovery(line: DiscoveryLine, **extra: object) -> dict[str, object]:
    return {
        "account": shorten(line.account.strip(), ACCOUNT),
        "outcome": shorten(line.outcome.strip(), OUTCOME),
        **extra,
    }


def _theme(entry: Any) -> dict[str, object]:
    return {
        "label": entry.label, "count": entry.count, "account_count": entry.account_count,
        "discoveries": [_discovery(d) for d in entry.discoveries.items],
        "more": entry.discoveries.more,
        "accounts": [shorten(a, ACCOUNT) for a in entry.accounts.items],
        "accounts_more": entry.accounts.more,
    }  # fmt: skip


def _answer(answer: Answer) -> dict[str, object]:
    change = answer.line
    return {
        "account": shorten(change.account.strip(), ACCOUNT), "status": change.to_status,
        "actor": change.actor_user_id, "outcome": answer.outcome,
        "note": shorten(change.note.strip(), NOTE) if change.note else None,
        "link": link_to(change.link),
        "team": current_routes().label(change.route) if change.route else None,
    }  # fmt: skip


def _value(line: DiscoveryLine, money: Money) -> dict[str, object]:
    """The value in the base currency ($42.4k; a band's midpoint is approximate), and as
    given when that was another currency (EUR 40,000) or a band (10k–100k)."""
    given = None
    if line.value_amount is not None and line.value_currency != money.base:
        given = f"{line.value_currency or ''} {format_amount(line.value_amount)}".strip()
    elif line.value_amount is None:
        given = say(f"digest_band_{line.value_band}") if line.value_band in BANDS else None
    value = money.show(line.value_base) if line.value_base is not None else None
    return {"value": value, "approximate": line.value_amount is None, "given": given}


def _day(line: DiscoveryLine, zone: ZoneInfo) -> str:
    return show_date(line.created_at.astimezone(zone).date())


def _total(listing: Any) -> int | str:
    """How many in all; "1,000+" when they were counted only that far."""
    total = len(listing.items) + listing.more
    return f"{total:,}+" if listing.at_least else total


def _more(listing: Any) -> int | str:
    """How many are not shown; "995+" when they were counted only that far."""
    return f"{listing.more:,}+" if listing.at_least else listing.more


# --- packing: sections → section blocks → messages -----------------------------------------------


def _parent(text: str) -> Message:
    """A one-section parent message; its first line is the notification text."""
    return Message(text.splitlines()[0], [_section(chunk) for chunk in split_text(text)])


def _section(text: str) -> dict[str, Any]:
    """A section of mrkdwn, as SectionBlock(text=MarkdownTextObject(text)).to_dict() makes it
    (a test holds them equal), without its objects: split_text keeps it within its limit."""
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def pack(sections: Iterable[str], *, fallback: str, reserve: int = 0) -> list[Message]:
    """Sections as section blocks, in as few messages as the limits allow (`reserve`d in the first)."""
    messages: list[list[str]] = [[]]
    for chunk in (c for text in sections for c in split_text(text)):
        current = messages[-1]
        room = MAX_BLOCKS - (reserve if len(messages) == 1 else 0)
        if current and (
            len(current) >= room or sum(map(len, current)) + len(chunk) > MESSAGE_BUDGET
        ):
            messages.append(current := [])
        current.append(chunk)
    count = len(messages)
    return [
        Message(
            fallback if count == 1 else f"{fallback} ({n}/{count})", [_section(c) for c in texts]
        )
        for n, texts in enumerate(messages, 1)
    ]


def split_text(text: str, limit: int = SECTION_LIMIT) -> list[str]:
    """Text cut at line ends into chunks of at most `limit` characters (a longer line, cut)."""
    chunks: list[str] = []
    for line in text.strip().splitlines():
        line = cut_line(line, limit)
        if chunks and len(chunks[-1]) + 1 + len(line) <= limit:
            chunks[-1] += "\n" + line
        elif line.strip():
            chunks.append(line)
    return chunks


def cut_line(line: str, limit: int) -> str:
    """A rendered line cut to `limit`, never inside an &entity; nor a <link>, which goes whole."""
    if len(line) <= limit:
        return line
    cut = line[: limit - 1]
    for opener, closer in (("&", ";"), ("<", ">")):
        at = cut.rfind(opener)
        if at != -1 and closer not in cut[at:]:
            cut = cut[:at]
    return cut + "…"
