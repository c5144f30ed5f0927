"""`/scout search <words>`: the team's discoveries with those words, best first, withdrawn hidden."""

from __future__ import annotations

from sqlalchemy import Engine

from bot.domain.views import DiscoveryView, RouteView, view_of
from storage.engine import read_scope
from storage.queries.accounts import with_routes
from storage.queries.search import search_discoveries

SHOWN = 10  # an ephemeral answer, read at a glance: the best ten, not every match


def find_discoveries(
    *, engine: Engine, team_id: str, text: str
) -> list[tuple[DiscoveryView, list[RouteView]]]:
    """The best matches for `text` with the routes they went to."""
    with read_scope(engine) as session:
        found = search_discoveries(session=session, team_id=team_id, text=text, limit=SHOWN)
        rows = with_routes(session=session, discoveries=found)
        return [(view_of(DiscoveryView, d), [view_of(RouteView, r) for r in rs]) for d, rs in rows]
