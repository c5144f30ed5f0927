"""Where dialogues are kept between steps: one open dialogue per scout, drafts kept, never dropped."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from storage.enums import DialogueStatus
from storage.models import DialogueSession, Discovery


def open_dialogue(*, session: Session, team_id: str, user_id: str) -> DialogueSession | None:
    """The scout's open dialogue, if any (locked for this transaction where the database can)."""
    query = select(DialogueSession).where(
        DialogueSession.team_id == team_id,
        DialogueSession.user_id == user_id,
        DialogueSession.status == DialogueStatus.OPEN,
    )
    return session.exec(query.with_for_update()).first()


def latest_draft(*, session: Session, team_id: str, user_id: str) -> DialogueSession | None:
    """The scout's most recent draft: a dialogue parked after a day without an answer."""
    query = (
        select(DialogueSession)
        .where(
            DialogueSession.team_id == team_id,
            DialogueSession.user_id == user_id,
            DialogueSession.status == DialogueStatus.DRAFT,
        )
        .order_by(DialogueSession.updated_at.desc(), DialogueSession.id.desc())
    )
    return session.exec(query).first()


def begin_dialogue(
    *,
    session: Session,
    team_id: str,
    user_id: str,
    channel_id: str | None,
    step: str,
    answers: dict,
    now: datetime,
) -> DialogueSession:
    """Open a new dialogue; one already open is parked as a draft, not lost."""
    current = open_dialogue(session=session, team_id=team_id, user_id=user_id)
    if current is not None:
        park(session=session, dialogue=current, now=now)
    dialogue = DialogueSession(
        team_id=team_id, user_id=user_id, channel_id=channel_id, step=step, answers=answers
    )
    dialogue.created_at = dialogue.updated_at = now
    session.add(dialogue)
    session.flush()
    return dialogue


def reopen(*, session: Session, dialogue: DialogueSession, now: datetime) -> DialogueSession:
    """Make a draft the open dialogue again."""
    dialogue.status, dialogue.updated_at, dialogue.reminded_at = DialogueStatus.OPEN, now, None
    session.add(dialogue)
    session.flush()
    return dialogue


def park(*, session: Session, dialogue: DialogueSession, now: datetime) -> None:
    """Keep a dialogue as a draft the scout can resume."""
    dialogue.status, dialogue.updated_at = DialogueStatus.DRAFT, now
    session.add(dialogue)
    session.flush()


def save_dialogue(
    *,
    session: Session,
    dialogue: DialogueSession,
    step: str,
    answers: dict,
    status: DialogueStatus,
    now: datetime,
) -> None:
    """Store the dialogue after a step (a new dict, so the JSON column sees the change)."""
    dialogue.step, dialogue.answers, dialogue.status = step, dict(answers), status
    dialogue.updated_at, dialogue.reminded_at = now, None
    session.add(dialogue)
    session.flush()


RECENT_DISCOVERIES = 50  # how far back a scout's own discoveries are read for suggestions


def recent_accounts(*, session: Session, team_id: str, user_id: str, limit: int = 5) -> list[str]:
    """The accounts this scout logged discoveries for most recently, to suggest the same spelling."""
    # Newest first through ix_discoveries_scout_user_id_created_at and bounded: the first
    # reply of a dialogue reads at most RECENT_DISCOVERIES rows, however long the history.
    query = (
        select(Discovery.account)
        .where(Discovery.scout_user_id == user_id, Discovery.team_id == team_id)
        .order_by(col(Discovery.created_at).desc())
        .limit(RECENT_DISCOVERIES)
    )
    accounts: dict[str, str] = {}
    for account in session.exec(query):
        accounts.setdefault(" ".join(account.split()).casefold(), account)
    return list(accounts.values())[:limit]
