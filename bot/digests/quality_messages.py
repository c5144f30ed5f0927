"""Quality per scout, decline reasons and a scout's one tip, as digest sections (mrkdwn)."""

from __future__ import annotations

from collections.abc import Iterable

from bot.dialogue.answers import show_date
from bot.dialogue.definition import current_definition
from bot.digests.compose import CoachReport, duration, percent
from bot.digests.quality import ScoutQuality, ScoutRow, Tip, redacted
from bot.domain.money import current_money
from bot.domain.opener.quality import completeness_hint
from bot.rendering.ids import Command
from bot.rendering.text import Mrkdwn, render, shorten
from bot.wording import say

EXAMPLE = 200  # characters of a colleague's words in a tip


def quality_line(quality: ScoutQuality) -> Mrkdwn:
    """One scout's week in one line: discoveries, completeness, rates, time to acknowledge."""
    count = quality.discoveries
    return Mrkdwn(
        render(
            "scout_quality_line.md.j2",
            user=quality.user_id,
            discoveries=count,
            completeness=f"{quality.completeness:.1f}",
            evidence=percent(quality.with_evidence, count),
            value=percent(quality.valued, count),
            acknowledged=percent(quality.acknowledged, count),
            actioned=percent(quality.actioned, count),
            median=duration(quality.median_seconds),
        )
    )


def coach_quality_sections(report: CoachReport) -> list[str]:
    """The coach digest's top and bottom scouts, and the week's decline reasons."""
    sections = []
    if report.top_scouts:
        sections.append(
            render(
                "digest_scout_quality.md.j2",
                count=report.scout_count,
                top=[quality_line(q) for q in report.top_scouts],
                bottom=[quality_line(q) for q in report.bottom_scouts],
                command=Command.SCOUT.value,
            )
        )
    if report.declines:
        reasons = [{"label": label, "count": count} for label, count in report.declines]
        total = sum(count for _label, count in report.declines)
        sections.append(render("digest_declines.md.j2", reasons=reasons, total=total))
    return sections


def everyone_text(qualities: Iterable[ScoutQuality], *, period: str) -> str:
    """`/scout coach`: every scout who logged this week, best first."""
    return render("coach_scouts.md.j2", period=period, lines=[quality_line(q) for q in qualities])


def tip_section(tip: Tip) -> str:
    """The one part a scout most often leaves out, how to add it, and a colleague's example."""
    example = example_text(tip.part, tip.example) if tip.example else None
    return render(
        "digest_scout_tip.md.j2",
        hint=completeness_hint(tip.part) or tip.part,
        missing=tip.missing,
        of=tip.of,
        example=example,
    )


def example_text(part: str, row: ScoutRow) -> str | None:
    """The colleague's words that show the part, the account's name taken out (escaped later)."""
    text = _example(part, row)
    if text is None:
        return None
    return shorten(redacted(text, row.account, say("tip_account_stand_in")).strip(), EXAMPLE)


def _example(part: str, row: ScoutRow) -> str | None:
    if part == "evidence":
        words = (row.evidence or "").strip()
        return words or say("tip_example_link", outcome=row.outcome)
    if part == "value" and row.value_base is not None:
        shown = current_money().show(row.value_base)
        value = shown if row.value_amount is not None else f"≈ {shown}"
        return say("tip_example_value", outcome=row.outcome, value=value)
    if part == "event" and row.event_date is not None:
        pressure = (row.event_pressure or "").strip() or row.outcome
        return say("tip_example_event", pressure=pressure, date=show_date(row.event_date))
    if part == "who_cares" and row.who_cares:
        persona = _persona(row.who_cares)
        return say("tip_example_who_cares", outcome=row.outcome, persona=persona)
    return row.outcome if part == "outcome" else None


def _persona(value: str) -> str:
    question = current_definition().find("who_cares")
    return question.choice_label(value) if question else value
