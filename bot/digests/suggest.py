"""Themes the product digest suggests, and an admin's "Add theme": stored as an addition to
the value network (prompts/value_network.yaml stays the admin's), the unthemed discoveries
of the suggestion's weeks that it matches tagged with it, their cards redrawn."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from bot.digests.model import Week
from bot.domain.actor import Actor
from bot.domain.added_themes import AddedTheme, network_with
from bot.domain.theme_suggestions import Suggestion, SuggestionRules, suggest_themes
from bot.domain.themes import UNTHEMED, ValueNetwork, tag_themes
from bot.effects.slack import queue_redraws
from storage.models import Discovery, ThemeAddition
from storage.queries._dialect import insert_for, inserted_one_row
from storage.queries.themes import theme_additions, unthemed_between

SAMPLE = 500  # the newest unthemed discoveries read for suggestions: weeks of them, bounded
RETAGGED = 200  # unthemed discoveries an added theme tags at once (each card is redrawn)
NOT_ADMIN, ALREADY, ADDED = "not_admin", "already", "added"


@dataclass(frozen=True)
class Added:
    """What became of an "Add theme" click: added (and how many discoveries it tagged),
    there already (who added it and when; None when it is the file's), or not an admin's."""

    outcome: str
    theme: AddedTheme
    tagged: int = 0
    by: str | None = None
    at: datetime | None = None


def theme_suggestions(
    *, session: Session, team_id: str | None, network: ValueNetwork, rules: SuggestionRules,
    week: Week, zone: ZoneInfo,
) -> list[Suggestion]:  # fmt: skip
    """The suggestions of the digest of `week`: from the workspace's unthemed discoveries of its
    weeks."""
    start, end = week.shifted(1 - rules.weeks).bounds(zone)[0], week.bounds(zone)[1]
    lines = unthemed_between(session=session, team_id=team_id, start=start, end=end, limit=SAMPLE)
    network = network_with(network, theme_additions(session=session))
    taken = [name for t in network.themes for name in (t.key, t.label)]
    return suggest_themes(lines, languages=network.languages, rules=rules, taken=taken)


def add_theme(
    *, session: Session, theme: AddedTheme, actor: Actor, network: ValueNetwork, weeks: int,
    now: datetime,
) -> Added:  # fmt: skip
    """Add the suggested theme once (admins only), and tag the unthemed discoveries of the
    last `weeks` weeks that it matches."""
    if not actor.is_admin:
        return Added(NOT_ADMIN, theme)
    additions = theme_additions(session=session)
    merged = network_with(network, additions)
    there = _there(merged, additions, theme)
    if there is not None:
        return there
    row = dict(key=theme.key, label=theme.label, language=theme.language,
               phrases=list(theme.phrases), added_by=actor.user_id, created_at=now)  # fmt: skip
    statement = insert_for(session, ThemeAddition).values(**row).on_conflict_do_nothing()
    if not inserted_one_row(session, statement):  # a second click at the same moment
        return _there(merged, theme_additions(session=session), theme) or Added(ALREADY, theme)
    tagged = _tag(session, network_with(network, [*additions, theme]), weeks, now)
    return Added(ADDED, theme, tagged, actor.user_id, now)


def _there(
    network: ValueNetwork, additions: list[ThemeAddition], theme: AddedTheme
) -> Added | None:
    """The theme as it is there already (same key or label), if it is."""
    label = theme.label.lower()
    found = next((t for t in network.themes if t.key == theme.key or t.label.lower() == label),
                 None)  # fmt: skip
    if found is None:
        return None
    stored = next((a for a in additions if a.key == found.key), None)
    if stored is None:  # the file's theme
        return Added(ALREADY, AddedTheme(found.key, found.label, theme.language, ()))
    return Added(ALREADY, AddedTheme(stored.key, stored.label, stored.language,
                                     tuple(stored.phrases)), by=stored.added_by,
                 at=stored.created_at)  # fmt: skip


def _tag(session: Session, network: ValueNetwork, weeks: int, now: datetime) -> int:
    """Tag the recent unthemed discoveries the network now matches; their cards redrawn."""
    lines = unthemed_between(  # an added theme is every workspace's (theme_additions)
        session=session, team_id=None, start=now - timedelta(weeks=weeks), end=now,
        limit=RETAGGED,
    )  # fmt: skip
    tagged = 0
    for line in lines:
        themes = tag_themes(network, line.outcome, line.gap)
        if themes == [UNTHEMED]:
            continue
        discovery = session.exec(select(Discovery).where(col(Discovery.id) == line.id)).one()
        discovery.themes, discovery.updated_at = themes, now
        session.add(discovery)
        session.flush()
        queue_redraws(session=session, discovery_id=line.id, cause=f"theme_added:{now.isoformat()}",
                      now=now)  # fmt: skip
        tagged += 1
    return tagged
