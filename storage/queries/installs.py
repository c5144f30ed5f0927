"""Installs: save and find bot tokens by workspace or Grid organisation, forget them on
uninstall, the install flow's one-time states, and which organisation a workspace is in."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from storage.enums import OutboxStatus
from storage.models import (
    Discovery,
    OutboxMessage,
    SlackBot,
    SlackInstallation,
    SlackOAuthState,
    SlackTeam,
)
from storage.queries._dialect import insert_for


def save_installation(*, session: Session, client_id: str, values: Mapping[str, Any]) -> None:
    """Keep one install (its bot row too): a reinstall adds newer rows, the newest wins."""
    session.add(SlackInstallation(client_id=client_id, **values))
    save_bot(session=session, client_id=client_id, values=_bot_values(values))


def save_bot(*, session: Session, client_id: str, values: Mapping[str, Any]) -> None:
    """Keep a bot token for its workspace or organisation."""
    session.add(SlackBot(client_id=client_id, **values))


def _bot_values(values: Mapping[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in values.items() if key in SlackBot.model_fields}


def latest_bot(
    *, session: Session, client_id: str, enterprise_id: str | None, team_id: str | None
) -> SlackBot | None:
    """The newest bot with a token for exactly this workspace (team_id None: org-wide)."""
    query = (
        select(SlackBot)
        .where(SlackBot.client_id == client_id, SlackBot.enterprise_id == enterprise_id)
        .where(SlackBot.team_id == team_id, col(SlackBot.bot_token).is_not(None))
        .order_by(col(SlackBot.installed_at).desc(), col(SlackBot.id).desc())
    )
    return session.exec(query.limit(1)).first()


def latest_installation(
    *,
    session: Session,
    client_id: str,
    enterprise_id: str | None,
    team_id: str | None,
    user_id: str | None = None,
) -> SlackInstallation | None:
    """The newest install of this workspace (or organisation), by this user when given."""
    query = select(SlackInstallation).where(
        SlackInstallation.client_id == client_id,
        SlackInstallation.enterprise_id == enterprise_id,
        SlackInstallation.team_id == team_id,
    )
    if user_id is not None:
        query = query.where(SlackInstallation.user_id == user_id)
    order = (col(SlackInstallation.installed_at).desc(), col(SlackInstallation.id).desc())
    return session.exec(query.order_by(*order).limit(1)).first()


def delete_bots(
    *, session: Session, client_id: str, enterprise_id: str | None, team_id: str | None
) -> None:
    """Forget a workspace's (or organisation's) bot tokens."""
    session.execute(
        sa.delete(SlackBot).where(
            SlackBot.client_id == client_id,
            SlackBot.enterprise_id == enterprise_id,  # type: ignore[arg-type]
            SlackBot.team_id == team_id,  # type: ignore[arg-type]
        )
    )


def delete_installations(
    *,
    session: Session,
    client_id: str,
    enterprise_id: str | None,
    team_id: str | None,
    user_id: str | None = None,
) -> None:
    """Forget a workspace's installs (one person's, when user_id is given)."""
    statement = sa.delete(SlackInstallation).where(
        SlackInstallation.client_id == client_id,
        SlackInstallation.enterprise_id == enterprise_id,  # type: ignore[arg-type]
        SlackInstallation.team_id == team_id,  # type: ignore[arg-type]
    )
    if user_id is not None:
        statement = statement.where(SlackInstallation.user_id == user_id)
    session.execute(statement)


def issue_state(*, session: Session, state: str, expire_at: datetime) -> None:
    """Remember a state handed out by /slack/install until it expires."""
    session.add(SlackOAuthState(state=state, expire_at=expire_at))


def consume_state(*, session: Session, state: str, now: datetime) -> bool:
    """True once for a state issued and not expired: deleted as it is read, so a second
    redirect with the same state (a replay, a double click) is refused."""
    statement = sa.delete(SlackOAuthState).where(
        SlackOAuthState.state == state,
        SlackOAuthState.expire_at > now,  # type: ignore[arg-type]
    )
    removed = session.execute(statement.execution_options(preserve_rowcount=True))
    return removed.rowcount > 0  # type: ignore[attr-defined]


def note_team(*, session: Session, team_id: str, enterprise_id: str | None, now: datetime) -> None:
    """Remember which Grid organisation a workspace belongs to (kept as first seen)."""
    row = {"team_id": team_id, "enterprise_id": enterprise_id, "seen_at": now}
    session.execute(insert_for(session, SlackTeam).values(**row).on_conflict_do_nothing())


def enterprise_of_team(*, session: Session, team_id: str) -> str | None:
    """The Grid organisation a workspace was seen in, if any."""
    return session.scalar(select(SlackTeam.enterprise_id).where(SlackTeam.team_id == team_id))


def discovery_teams(*, session: Session, discovery_ids: Collection[int]) -> dict[int, str]:
    """The workspace each discovery was logged in (outbox rows go out with its token)."""
    if not discovery_ids:
        return {}
    query = select(Discovery.id, Discovery.team_id).where(col(Discovery.id).in_(discovery_ids))
    return {int(found_id): team for found_id, team in session.exec(query).all()}


def teams_of_enterprise(*, session: Session, enterprise_id: str) -> list[str]:
    """The workspaces seen in a Grid organisation."""
    return list(
        session.exec(select(SlackTeam.team_id).where(SlackTeam.enterprise_id == enterprise_id))
    )


def wake_waiting_outbox(*, session: Session, team_ids: Collection[str], now: datetime) -> None:
    """A workspace installed (again): its posts that waited for a token are due now."""
    if not team_ids:
        return
    discoveries = select(Discovery.id).where(col(Discovery.team_id).in_(team_ids))
    session.execute(
        sa.update(OutboxMessage)
        .where(OutboxMessage.status == OutboxStatus.PENDING)  # type: ignore[arg-type]
        .where(col(OutboxMessage.discovery_id).in_(discoveries))
        .where(col(OutboxMessage.next_attempt_at) > now)
        .values(next_attempt_at=now)
    )
