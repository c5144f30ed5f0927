"""Full-text search over discoveries: the database's own index, ranked, kept in step with edits,
withdrawn ones hidden, and existing discoveries indexed by the migration."""

from datetime import UTC, datetime

import sqlalchemy as sa

from storage.engine import create_engine_for, session_scope
from storage.enums import DiscoverySource, DiscoveryStatus, Fit
from storage.migrate import upgrade
from storage.models import Discovery
from storage.queries.search import search_discoveries

TEAM = "T1"


def discovery(key: str, **fields) -> Discovery:
    values = {
        "team_id": TEAM, "scout_user_id": "U1", "account": "Globex", "outcome": "Faster audits",
        "gap": "Manual exports", "fit": Fit.YES, "source": DiscoverySource.DM, "source_key": key,
    }  # fmt: skip
    return Discovery(**(values | fields))


def found(engine, text: str, team: str = TEAM) -> list[str]:
    with session_scope(engine) as session:
        return [d.source_key for d in search_discoveries(session=session, team_id=team, text=text)]


def test_words_in_account_outcome_gap_and_evidence_are_found_ranked(engine):
    with session_scope(engine) as session:
        session.add(discovery("evidence", evidence="They said onboarding takes weeks"))
        session.add(discovery("outcome", outcome="Onboard a store in one day"))
        session.add(discovery("account", account="Onboarding Masters Ltd"))
        session.add(discovery("gap", gap="Onboarding needs a consultant on site"))
        session.add(discovery("other"))
    ranked = found(engine, "onboarding")
    assert set(ranked) == {"evidence", "outcome", "account", "gap"}
    assert ranked[-1] == "evidence"  # a word in the customer's words ranks below the outcome
    assert set(found(engine, "GLOBEX manual")) == {"evidence", "outcome", "other"}


def test_every_word_must_match_and_operators_are_only_words(engine):
    with session_scope(engine) as session:
        session.add(discovery("a", outcome="Close the books faster"))
        session.add(discovery("b", outcome="Faster books? NOT now"))
    assert found(engine, "books close") == ["a"]
    assert found(engine, "book clo") == ["a"]  # the last word may be unfinished
    assert found(engine, "clo books") == []  # an earlier one is a whole word
    assert found(engine, '"books" (-close*') == ["a"]  # quotes, minus, star: only words
    assert sorted(found(engine, 'faster:')) == ["a", "b"]
    assert found(engine, "  ?! ") == []


def test_withdrawn_discoveries_and_other_teams_are_hidden(engine):
    with session_scope(engine) as session:
        session.add(discovery("kept", outcome="Audit trail"))
        session.add(discovery("gone", outcome="Audit trail", status=DiscoveryStatus.WITHDRAWN))
        session.add(discovery("elsewhere", outcome="Audit trail", team_id="T2"))
    assert found(engine, "audit") == ["kept"]


def test_an_edit_or_a_delete_reaches_the_index(engine):
    with session_scope(engine) as session:
        row = discovery("edited", outcome="Old words")
        session.add(row)
    with session_scope(engine) as session:
        session.get(Discovery, row.id).outcome = "Brand new phrasing"
    assert found(engine, "old") == [] and found(engine, "phrasing") == ["edited"]
    with session_scope(engine) as session:
        session.delete(session.get(Discovery, row.id))
    assert found(engine, "phrasing") == []


def test_the_migration_indexes_discoveries_that_were_there_before(empty_database_url):
    upgrade(engine_or_url=empty_database_url, revision="0011")
    engine = create_engine_for(empty_database_url)
    now = datetime(2026, 11, 2, tzinfo=UTC)
    row = {"team_id": TEAM, "scout_user_id": "U1", "account": "Initech", "outcome": "Ship TPS reports",
           "gap": "g", "fit": "yes", "themes": "[]", "status": "new", "source": "dm",
           "source_key": "old", "created_at": now, "updated_at": now}  # fmt: skip
    with engine.begin() as connection:
        names = ", ".join(row)
        connection.execute(
            sa.text(
                f"INSERT INTO discoveries ({names}) VALUES ({', '.join(':' + n for n in row)})"
            ),
            row,
        )
    upgrade(engine_or_url=empty_database_url)
    assert found(engine, "tps report") == ["old"]
    engine.dispose()
