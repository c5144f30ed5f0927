"""Migration 0012: every existing discovery's answers are copied from its columns into `answers`."""

import json
from datetime import UTC, date, datetime

import sqlalchemy as sa

from storage.engine import create_engine_for
from storage.migrate import downgrade, upgrade

BEFORE = "0011"
NOW = datetime(2026, 11, 2, tzinfo=UTC)
BASE = {"team_id": "T1", "scout_user_id": "U1", "account": "Acme", "outcome": "Close in 3 days",
        "gap": "Spreadsheets", "fit": "partly", "themes": "[]", "status": "new", "source": "dm",
        "created_at": NOW, "updated_at": NOW, "who_cares": None, "evidence": None,
        "evidence_url": None, "value_band": None, "value_amount": None, "value_currency": None,
        "event_date": None, "event_pressure": None}  # fmt: skip
ROWS = [
    BASE | {"source_key": "minimal"},
    BASE | {"source_key": "band", "value_band": "100k_1m", "who_cares": "executive"},
    BASE | {"source_key": "amount", "value_amount": "40000.00", "value_currency": "EUR",
            "event_date": date(2027, 3, 31), "event_pressure": "renewal",
            "evidence": "“We lose a week”", "evidence_url": "https://x.slack.com/p1"},
    BASE | {"source_key": "cents", "value_amount": "1234.50", "value_currency": "USD",
            "event_date": date(2027, 1, 5), "event_pressure": None},
]  # fmt: skip
CORE = {"account": "Acme", "outcome": "Close in 3 days", "gap": "Spreadsheets", "fit": "partly"}


def _insert(url: str) -> None:
    engine = create_engine_for(url)
    columns = ", ".join(ROWS[0])
    values = ", ".join(f":{name}" for name in ROWS[0])
    with engine.begin() as connection:
        connection.execute(sa.text(f"INSERT INTO discoveries ({columns}) VALUES ({values})"), ROWS)
    engine.dispose()


def _migrated_with_rows(url: str) -> None:
    """Discoveries as 0011 kept them, then the upgrade to the head."""
    upgrade(engine_or_url=url, revision=BEFORE)
    _insert(url)
    upgrade(engine_or_url=url)


def _documents(url: str) -> dict[str, dict]:
    engine = create_engine_for(url)
    with engine.connect() as connection:
        rows = connection.execute(sa.text("SELECT source_key, answers FROM discoveries")).all()
    engine.dispose()
    return {key: value if isinstance(value, dict) else json.loads(value) for key, value in rows}


def test_every_existing_discovery_keeps_its_answers_in_the_document(empty_database_url):
    _migrated_with_rows(empty_database_url)
    documents = _documents(empty_database_url)
    assert documents["minimal"] == CORE
    assert documents["band"] == CORE | {"value": {"band": "100k_1m"}, "who_cares": "executive"}
    assert documents["amount"] == CORE | {
        "value": {"amount": "40000", "currency": "EUR"},
        "event": {"date": "2027-03-31", "pressure": "renewal"},
        "evidence": "“We lose a week”",
        "evidence_url": "https://x.slack.com/p1",
    }
    assert documents["cents"] == CORE | {
        "value": {"amount": "1234.5", "currency": "USD"},
        "event": {"date": "2027-01-05", "pressure": ""},
    }


def test_downgrading_drops_the_document_and_keeps_the_columns(empty_database_url):
    _migrated_with_rows(empty_database_url)
    downgrade(engine_or_url=empty_database_url, revision=BEFORE)
    engine = create_engine_for(empty_database_url)
    with engine.connect() as connection:
        kept = connection.execute(sa.text("SELECT source_key, value_currency FROM discoveries"))
        currencies = dict(kept.all())
        columns = {c["name"] for c in sa.inspect(connection).get_columns("discoveries")}
    engine.dispose()
    assert currencies == {"minimal": None, "band": None, "amount": "EUR", "cents": "USD"}
    assert "answers" not in columns
