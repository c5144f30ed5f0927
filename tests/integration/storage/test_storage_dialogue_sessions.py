"""A scout has at most one open dialogue; finished ones are kept alongside it."""

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from storage.engine import session_scope
from storage.enums import DialogueStatus
from storage.models import DialogueSession


def _dialogue(status: DialogueStatus, user_id: str = "U1") -> DialogueSession:
    """Return a dialogue of user_id in the given status."""
    return DialogueSession(team_id="T1", user_id=user_id, step="account", status=status)


def test_a_second_open_dialogue_for_the_same_user_is_rejected(engine):
    with session_scope(engine) as session:
        session.add(_dialogue(DialogueStatus.OPEN))

    with pytest.raises(IntegrityError), session_scope(engine) as session:
        session.add(_dialogue(DialogueStatus.OPEN))


def test_finished_dialogues_do_not_block_a_new_open_one(engine):
    with session_scope(engine) as session:
        session.add(_dialogue(DialogueStatus.SUBMITTED))
        session.add(_dialogue(DialogueStatus.CANCELLED))
        session.add(_dialogue(DialogueStatus.CANCELLED))
        session.add(_dialogue(DialogueStatus.OPEN))

    with Session(engine) as session:
        assert len(session.exec(select(DialogueSession)).all()) == 4


def test_different_users_each_have_an_open_dialogue(engine):
    with session_scope(engine) as session:
        session.add(_dialogue(DialogueStatus.OPEN, user_id="U1"))
        session.add(_dialogue(DialogueStatus.OPEN, user_id="U2"))


def test_answers_survive_a_round_trip_as_json(engine):
    answers = {"account": "Acme", "themes": ["audit"], "value": {"amount": "120000"}}
    with session_scope(engine) as session:
        dialogue = _dialogue(DialogueStatus.OPEN)
        dialogue.answers = answers
        session.add(dialogue)

    with Session(engine) as session:
        stored = session.exec(select(DialogueSession)).one()
    assert stored.answers == answers
    assert stored.status is DialogueStatus.OPEN
    assert stored.created_at.tzinfo is not None
