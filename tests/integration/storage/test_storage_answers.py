"""Answers to any question, an added one included, can be searched for in the database."""

from datetime import UTC, datetime, timedelta

from storage.models import Discovery
from storage.queries.answers import discoveries_answering

NOW = datetime(2026, 12, 1, tzinfo=UTC)


def _discovery(session, key: str, answers: dict, minutes: int) -> None:
    core = {"account": "Acme", "outcome": "o", "gap": "g", "fit": "yes"}
    session.add(
        Discovery(
            team_id="T",
            scout_user_id="U",
            source="dm",
            source_key=key,
            themes=[],
            created_at=NOW + timedelta(minutes=minutes),
            answers=core | answers,
            **core,
        )
    )
    session.flush()


def test_discoveries_are_found_by_an_added_questions_answer_newest_first(session):
    _discovery(session, "a", {"competitor": "Initrode", "deal_stage": "proposal"}, 1)
    _discovery(session, "b", {"competitor": "Hooli"}, 2)
    _discovery(session, "c", {"competitor": "Initrode"}, 3)
    found = discoveries_answering(session=session, key="competitor", value="Initrode")
    assert [d.source_key for d in found] == ["c", "a"]
    found = discoveries_answering(session=session, key="deal_stage", value="proposal")
    assert [d.source_key for d in found] == ["a"]
    assert discoveries_answering(session=session, key="competitor", value="Vandelay") == []
