"""Follow-through in the digests: a route channel's follow-ups left unanswered (overdue), and
for the coaches the funnel logged → acknowledged → actioned → realised and the scouts whose
discoveries realised value, ranked by it, ahead of the activity figures."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.digests.figures import TREND_WEEKS
from bot.digests.messages import Message, pack
from bot.digests.model import Week
from bot.domain.money import current_money
from bot.rendering.cards import stage_label
from bot.rendering.text import Mrkdwn, escape_within, render
from bot.routes import current_routes
from bot.wording import say
from storage.queries.digest_follow_through import (
    Funnel,
    RealisedScout,
    funnel,
    overdue_follow_ups,
    realised_scouts,
)

SHOWN = 10
TEXT = 120  # an account's name cut to this, visibly, before it is escaped


def overdue_messages(*, session: Session, team_id: str | None, route: str) -> list[Message]:
    """A route digest's follow-ups asked about twice and unanswered; none when there are none."""
    count, rows = overdue_follow_ups(session=session, team_id=team_id, route=route, limit=SHOWN)
    if not count:
        return []
    items = [
        {"account": Mrkdwn(escape_within(row.account, TEXT)), "owner": row.owner_user_id,
         "stage": stage_label(route, row.stage)}
        for row in rows
    ]  # fmt: skip
    text = render("digest_overdue.md.j2", items=items, count=count, more=count - len(rows))
    return pack([text], fallback=say("digest_overdue_fallback", count=count))


def coach_follow_through_messages(
    *, session: Session, team_id: str | None, week: Week, zone: ZoneInfo, now: datetime,
    steps: Funnel | None = None,
) -> list[Message]:  # fmt: skip
    """The realised value of the week by scout, and the funnel of the last 12 weeks' discoveries
    (`steps`, when the coaches' figures have it already)."""
    start, end = week.bounds(zone)
    end = min(end, now)
    scouts = realised_scouts(session=session, team_id=team_id, start=start, end=end, limit=SHOWN)
    if steps is None:
        cohort_start, _ = week.shifted(1 - TREND_WEEKS).bounds(zone)
        steps = funnel(session=session, team_id=team_id, start=cohort_start, end=end)
    sections = []
    if scouts:
        sections.append(render("digest_realised.md.j2", scouts=[_scout(s) for s in scouts]))
    if steps.logged:
        sections.append(render("digest_funnel.md.j2", weeks=TREND_WEEKS, **_steps(steps)))
    if not sections:
        return []
    return pack(sections, fallback=say("digest_follow_through_fallback"))


def _scout(row: RealisedScout) -> dict[str, object]:
    """A scout's realised outcomes: value won, and how many of each other realised stage."""
    every = [stage for route in current_routes() for stage in route.follow_through.stages]
    labels = {stage.id: stage.label.lower() for stage in every}
    valued = {stage.id for stage in every if stage.asks == "amount"}  # said by the value won
    stages = [
        f"{count} {labels.get(stage, stage)}"
        for stage, count in sorted(row.stages.items())
        if stage not in valued
    ]
    won = current_money().show(row.won) if row.won else None
    return {"user": row.scout_user_id, "won": won, "stages": ", ".join(stages)}


def _steps(steps: Funnel) -> dict[str, object]:
    """Each step's count and its share of the discoveries logged."""

    def share(count: int) -> int:
        return round(100 * count / steps.logged) if steps.logged else 0

    return {
        "logged": steps.logged,
        "acknowledged": steps.acknowledged, "acknowledged_share": share(steps.acknowledged),
        "actioned": steps.actioned, "actioned_share": share(steps.actioned),
        "realised": steps.realised, "realised_share": share(steps.realised),
    }  # fmt: skip
