"""What a card says of its status: who is on it, what came of it or where it moved, the
follow-through stage it reached, and every other team's own answer in one line."""

from __future__ import annotations

from collections.abc import Sequence

from slack_sdk.models.blocks import ContextBlock, MarkdownTextObject, SectionBlock

from bot.domain.decline import current_reasons
from bot.domain.lifecycle import OUTCOME_LABELS
from bot.domain.money import current_money
from bot.domain.views import ChangeView, RouteView
from bot.rendering.fitting import SECTION_LIMIT, fitted
from bot.rendering.ids import BlockId
from bot.rendering.links import link_to
from bot.rendering.text import escape, render
from bot.routes import current_routes
from bot.wording import say
from storage.enums import DiscoveryStatus


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


def status_blocks(
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
    if route_stage(route) and not moved:
        text += "\n" + stage_line(route)
    return [SectionBlock(block_id=BlockId.CARD_STATUS.value, text=MarkdownTextObject(text=text))]


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


def stage_label(route: str, stage: str) -> str:
    """A follow-through stage as people read it (its id, for one removed from the file)."""
    found = current_routes().stages(route).get(stage)
    return found.label if found else stage.replace("_", " ").capitalize()


def route_stage(route: RouteView) -> str | None:
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


def others_blocks(route: RouteView, routes: Sequence[RouteView]) -> list[ContextBlock]:
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
            + (f" ({stage_label(r.route, stage).lower()})" if (stage := route_stage(r)) else ""),
        }
        for r in routes
    ]
