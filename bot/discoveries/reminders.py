"""Idle dialogues: one gentle reminder after an hour, and after a day a draft kept, never dropped."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import Engine, update

from bot.rendering.dialogue import plain_mrkdwn_message
from bot.rendering.text import render
from storage.engine import session_scope
from storage.enums import DialogueStatus
from storage.models import DialogueSession

log = logging.getLogger(__name__)

REMIND_AFTER = timedelta(hours=1)
PARK_AFTER = timedelta(hours=24)


@dataclass(frozen=True)
class Idle:
    """A dialogue to write to about its silence."""

    user_id: str
    account: str | None


def nudge_idle_dialogues(
    *, engine: Engine, client: WebClient, now: datetime, team_id: str | None = None
) -> tuple[int, int]:
    """Remind the scouts of dialogues idle for an hour; park those idle for a day. (reminded,
    parked) Of one workspace when team_id is given (its client), else of every one."""
    claim = dict(team_id=team_id)
    parked = _claim(engine, now, idle_for=PARK_AFTER, status=DialogueStatus.DRAFT, **claim)
    reminded = _claim(engine, now, idle_for=REMIND_AFTER, status=DialogueStatus.OPEN, **claim)
    for idle in reminded:
        _tell(client, idle, "reminder.md.j2")
    for idle in parked:
        _tell(client, idle, "parked.md.j2")
    return len(reminded), len(parked)


def _claim(
    engine: Engine, now: datetime, *, idle_for: timedelta, status: DialogueStatus,
    team_id: str | None,
) -> list[Idle]:  # fmt: skip
    """Mark idle open dialogues in one UPDATE, so two processes never both write to a scout."""
    table = DialogueSession
    conditions = [table.status == DialogueStatus.OPEN, table.updated_at < now - idle_for]
    if team_id is not None:
        conditions.append(table.team_id == team_id)
    if status is DialogueStatus.OPEN:
        conditions.append(table.reminded_at.is_(None))  # one reminder, not an hourly nag
    statement = (
        update(table)
        .where(*conditions)
        .values(
            status=status, reminded_at=now, updated_at=table.updated_at
        )  # silence is not activity
        .returning(table.user_id, table.answers)
    )
    with session_scope(engine) as session:
        rows = session.execute(statement).all()
    return [Idle(user, (answers or {}).get("account")) for user, answers in rows]


def _tell(client: WebClient, idle: Idle, template: str) -> None:
    """Write in the scout's DM; a failure is logged, the dialogue itself is already safe."""
    message = plain_mrkdwn_message(render(template, account=idle.account))
    try:
        # To the scout, wherever the dialogue began: a user id posts in their DM with the bot
        # (a modal opened from a channel leaves that channel's id, where the bot may not be).
        client.chat_postMessage(channel=idle.user_id, **message)
    except SlackApiError as error:
        log.warning(
            "could not write to %s about an idle dialogue: %s",
            idle.user_id,
            error.response.get("error"),
        )
