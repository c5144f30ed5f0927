"""Themes people set: the additions admins made, and the discoveries no theme matched."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, col, select

from storage.models import Discovery, ThemeAddition, ThemeCorrection
from storage.queries.digest_figures import logged_between, theme_values

UNTHEMED = "unthemed"  # the key discoveries.themes holds when no theme matched


@dataclass(frozen=True)
class UnthemedLine:
    """A discovery no theme matched: what its themes are read from."""

    id: int
    account: str
    outcome: str
    gap: str


def theme_additions(*, session: Session, team_id: str | None = None) -> list[ThemeAddition]:
    """The themes admins added, oldest first: the workspace's own and the deployment's ("");
    every one when team_id is None."""
    query = select(ThemeAddition).order_by(col(ThemeAddition.id))
    if team_id is not None:
        query = query.where(col(ThemeAddition.team_id).in_({"", team_id}))
    return list(session.exec(query).all())


def unthemed_between(
    *, session: Session, team_id: str | None, start: datetime, end: datetime, limit: int
) -> list[UnthemedLine]:
    """The newest `limit` live discoveries of [start, end) that carry no theme, of a workspace
    (None: of every workspace: an added theme is everyone's)."""
    themes = theme_values(session)
    query = (
        sa.select(col(Discovery.id), col(Discovery.account), col(Discovery.outcome),
                  col(Discovery.gap))
        .select_from(Discovery).join(themes, sa.true())
        # The workspace's week range by its index, newest first: PostgreSQL stops after the
        # newest few thousand (with the team as a filter it sorted 4 weeks: 235 -> 6 ms).
        .where(logged_between(start, end, team_id), themes.c.value == UNTHEMED)
        .order_by(col(Discovery.created_at).desc(), col(Discovery.id).desc())
        .limit(limit)
    )  # fmt: skip
    return [UnthemedLine(*row) for row in session.exec(query).all()]


def latest_correction(*, session: Session, discovery_id: int) -> ThemeCorrection | None:
    """The discovery's latest theme correction, if someone made one."""
    query = select(ThemeCorrection).where(col(ThemeCorrection.discovery_id) == discovery_id)
    return session.exec(query.order_by(col(ThemeCorrection.id).desc()).limit(1)).first()
