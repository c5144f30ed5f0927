"""Migration 0013: discoveries logged before values were normalised get their value in USD."""

from datetime import UTC, datetime
from decimal import Decimal

import sqlalchemy as sa

from bot.domain.money import load_money
from storage.engine import create_engine_for
from storage.migrate import downgrade, upgrade
from tests.integration.storage.conftest import insert_discoveries

BEFORE = "0011"
VALUES = [  # band, amount, currency
    (None, "40000", "EUR"), (None, "300000", "USD"), (None, "5000000", "JPY"),
    ("10k_100k", None, None), ("over_1m", None, None), ("unknown", None, None),
    (None, None, None), (None, "1000", "XYZ"),
]  # fmt: skip


def _discoveries_with_values(url: str) -> None:
    """Discoveries as 0011 kept them: a band, or an amount with its currency."""
    now = datetime(2026, 11, 2, tzinfo=UTC)
    rows = [
        {"team_id": "T1", "scout_user_id": "U1", "account": "Acme", "outcome": "o", "gap": "g",
         "fit": "yes", "themes": "[]", "status": "new", "source": "dm", "source_key": f"k{i}",
         "created_at": now, "updated_at": now, "value_band": band, "value_amount": amount,
         "value_currency": currency}
        for i, (band, amount, currency) in enumerate(VALUES)
    ]  # fmt: skip
    insert_discoveries(url, rows)


def _column(url: str, name: str) -> list:
    engine = create_engine_for(url)
    with engine.connect() as connection:
        found = connection.execute(sa.text(f"SELECT {name} FROM discoveries ORDER BY id")).all()
    engine.dispose()
    return [row[0] for row in found]


def test_existing_values_are_converted_as_the_app_converts_them(empty_database_url):
    upgrade(engine_or_url=empty_database_url, revision=BEFORE)
    _discoveries_with_values(empty_database_url)
    upgrade(engine_or_url=empty_database_url)

    money = load_money()
    expected = [
        money.value(band=band, amount=Decimal(amount) if amount else None, currency=currency)
        for band, amount, currency in VALUES
    ]
    found = [Decimal(str(value)) if value is not None else None
             for value in _column(empty_database_url, "value_base")]  # fmt: skip
    assert found == expected
    assert found[:5] == [Decimal("42400.00"), Decimal("300000.00"), Decimal("33500.00"),
                         Decimal("55000"), Decimal("2000000")]  # fmt: skip
    assert found[5:] == [None, None, None]  # don't know, no value, a currency without a rate


def test_downgrading_keeps_the_values_as_given(empty_database_url):
    upgrade(engine_or_url=empty_database_url, revision=BEFORE)
    _discoveries_with_values(empty_database_url)
    upgrade(engine_or_url=empty_database_url)
    downgrade(engine_or_url=empty_database_url, revision=BEFORE)

    assert _column(empty_database_url, "value_currency") == [c for _, _, c in VALUES]
    assert len(_column(empty_database_url, "value_band")) == len(VALUES)
