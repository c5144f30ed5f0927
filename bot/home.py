"""What a scout's App Home shows, read in one short transaction as plain views."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine

from bot.accounts.owned import load_owner_home
from bot.config import load_config, workspace_admins
from bot.discoveries.service import receipt_posts
from bot.domain.accounts import OwnerHome
from bot.domain.views import DiscoveryView, RouteView, ScoutFigures, view_of
from bot.domain.workspace import WorkspaceConfig
from bot.settings import Settings
from storage.engine import session_scope
from storage.queries import scout_discoveries, scout_figures
from storage.queries.config import scout_digest_opt_outs


@dataclass(frozen=True)
class HomePage:
    """One page of a scout's discoveries, their figures, and what only admins see."""

    discoveries: list[tuple[DiscoveryView, list[RouteView]]]
    has_more: bool
    figures: ScoutFigures
    config: WorkspaceConfig | None  # the workspace settings: admins only
    digests_off: bool
    receipts: dict[int, tuple[str, str]]  # discovery id → (channel, ts) of its receipt
    accounts: OwnerHome  # the accounts the person owns, their DM switch; admins merge


def load_home(
    *, engine: Engine, settings: Settings, team_id: str, user_id: str, page: int,
    page_size: int, since: datetime,
) -> HomePage:  # fmt: skip
    """The scout's page `page` of discoveries, newest first, with their figures since `since`."""
    with session_scope(engine) as session:
        rows = scout_discoveries(
            session=session, team_id=team_id, user_id=user_id,
            limit=page_size + 1, offset=page * page_size,
        )  # fmt: skip
        figures = scout_figures(session=session, team_id=team_id, user_id=user_id, since=since)
        admin = user_id in workspace_admins(session=session, settings=settings, team_id=team_id)
        shown = [
            (view_of(DiscoveryView, d), [view_of(RouteView, r) for r in routes])
            for d, routes in rows[:page_size]
        ]
        return HomePage(
            discoveries=shown,
            has_more=len(rows) > page_size,
            figures=view_of(ScoutFigures, figures),
            config=load_config(session=session, settings=settings, team_id=team_id)
            if admin
            else None,
            digests_off=user_id in scout_digest_opt_outs(session=session),
            receipts=receipt_posts(session=session, discovery_ids=[d.id for d, _ in shown]),
            accounts=load_owner_home(session=session, user_id=user_id, admin=admin),
        )
