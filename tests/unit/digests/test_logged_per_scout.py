"""A scout's logged discoveries come from the week's rows the quality figures read."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.digests.figures import logged_per_scout
from bot.digests.quality import ScoutRow

MONDAY = datetime(2026, 11, 16, 9, tzinfo=UTC)


def _row(n: int, scout: str, hours: int) -> ScoutRow:
    at = MONDAY + timedelta(hours=hours)
    return ScoutRow(id=n, scout_user_id=scout, account=f"A{n}", outcome="x", created_at=at,
                    value_amount=None, value_currency="EUR")  # fmt: skip


def test_each_scout_gets_a_count_of_all_and_the_first_few_in_the_order_logged():
    rows = [_row(1, "U1", 5), _row(2, "U1", 1), _row(3, "U2", 0), _row(4, "U1", 3)]

    logged = logged_per_scout(rows, per_scout=2)

    assert {user: (count, [line.id for line in lines]) for user, (count, lines) in logged.items()} == {
        "U1": (3, [2, 4]),
        "U2": (1, [3]),
    }
    assert logged["U1"][1][0].value_currency == "EUR"
