"""Value by theme counts supporters: their value, and accounts no discovery of the theme has."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from storage.engine import session_scope
from storage.models import Discovery, DiscoverySupporter
from storage.queries.digest_value import value_by_theme

END = datetime(2026, 11, 30, tzinfo=UTC)
START, BEFORE = END - timedelta(weeks=4), END - timedelta(weeks=8)


def discovery(n: int, account: str, value: int, *, days_ago: int, status: str = "new") -> Discovery:
    at = END - timedelta(days=days_ago)
    return Discovery(
        id=n, team_id="T1", scout_user_id="U1", account=account, outcome="Onboard in a day",
        gap="Consultants", fit="partly", themes=["onboarding"], source="dm", status=status,
        source_key=f"d{n}", value_base=Decimal(value), created_at=at, updated_at=at,
    )  # fmt: skip


def supporter(n: int, discovery_id: int, account: str, value: int | None) -> DiscoverySupporter:
    return DiscoverySupporter(
        discovery_id=discovery_id, account=account, scout_user_id="U2", source_key=f"s{n}",
        value_base=None if value is None else Decimal(value), created_at=END - timedelta(days=1),
    )


def test_supporters_add_their_value_and_only_accounts_the_theme_lacks(engine):
    with session_scope(engine) as session:
        session.add_all([discovery(1, "Globex", 100, days_ago=3), discovery(2, "Initech", 10, days_ago=4),
                         discovery(3, "Gone", 1000, days_ago=5, status="withdrawn"),
                         discovery(4, "Old", 7, days_ago=40)])  # fmt: skip
        session.flush()
        session.add_all([supporter(1, 1, " initech", 20), supporter(2, 1, "Hooli", 5),
                         supporter(3, 1, "Nameless", None), supporter(4, 3, "Ghost", 500),
                         supporter(5, 4, "Earlier", 21)])  # fmt: skip

    with session_scope(engine) as session:
        [theme] = value_by_theme(session=session, team_id="T1", start=START, end=END, before=BEFORE)

    # Globex, Initech (also a supporter: once), Hooli, Nameless; the withdrawn one counts nothing.
    assert (theme.discoveries, theme.accounts, theme.value) == (2, 4, Decimal(135))
    assert theme.value_before == Decimal(28)  # the period before: 7 + its supporter's 21
