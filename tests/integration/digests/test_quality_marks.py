"""What a discovery lacks is stored with it on submit and edit, and the digests read it rather
than score each discovery again; rows without a mark, or marked under other words, are scored."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine

from bot.digests.figures import week_scouts
from bot.digests.model import Week
from bot.digests.quality import ScoutRow
from bot.discoveries.edits import edit_discovery
from bot.discoveries.service import submit_discovery
from bot.domain.opener.quality import missing_from_mark, missing_mark
from bot.domain.themes import load_network
from storage.engine import session_scope
from storage.enums import DiscoverySource
from storage.models import Discovery
from storage.queries.digest_scouts import SCOUT_ROW_FIELDS
from tests.integration.digests.conftest import BERLIN, TEAM, add_discovery, local

NOW = datetime(2026, 11, 18, 10, 0, tzinfo=UTC)  # in 2026-W47
WEEK = Week.parse("2026-W47")
THIN: dict[str, Any] = {
    "account": "Acme Corp", "outcome": "better reporting", "gap": "a bulk import button",
    "fit": "partly", "evidence": "From a call",
}  # fmt: skip
RICH = THIN | {
    "outcome": "Month-end close down from 10 days to 3",
    "value": {"amount": "250000", "currency": "USD"},
    "event": {"date": "2027-03-31", "pressure": "renewal"},
    "who_cares": "executive", "evidence": "“We lose a week”",
}  # fmt: skip


def _submit(engine: Engine, answers: dict[str, Any]) -> int:
    with session_scope(engine) as session:
        return submit_discovery(
            session=session, source_key="dialogue:1", team_id="T1", scout_user_id="U1",
            source=DiscoverySource.DM, answers=answers, routes=[("product", "why")],
            themes=[], route_channels={"product": "C0PRODUCT"}, now=NOW,
        ).discovery_id  # fmt: skip


def _mark(engine: Engine, discovery_id: int) -> str | None:
    with session_scope(engine) as session:
        return session.get(Discovery, discovery_id).quality_missing


def test_submit_and_edit_store_what_the_discovery_lacks(engine):
    discovery_id = _submit(engine, THIN)
    assert missing_from_mark(_mark(engine, discovery_id)) == [
        "outcome", "value", "event", "who_cares", "evidence",
    ]  # fmt: skip

    with session_scope(engine) as session:
        edit_discovery(
            session=session, discovery_id=discovery_id, answers=RICH, actor_user_id="U1",
            network=load_network(), now=NOW,
        )  # fmt: skip

    assert missing_from_mark(_mark(engine, discovery_id)) == []


def test_the_digest_reads_the_mark_and_scores_rows_without_a_current_one(session):
    full = {"outcome": "Close in 3 days", "value_band": "10k_100k", "who_cares": "executive"}
    # A mark that disagrees with the columns: read as stored, so the digest did not score it.
    marked = add_discovery(
        session, account="Marked", at=local(2026, 11, 17), **full,
        quality_missing=missing_mark({"outcome": "no measure here"}),
    )  # fmt: skip
    stale = add_discovery(
        session, account="Stale", at=local(2026, 11, 17), **full, quality_missing="0ld:outcome"
    )
    unmarked = add_discovery(session, account="Unmarked", at=local(2026, 11, 17), **full)

    missing = week_scouts(session=session, team_id=TEAM, week=WEEK, zone=BERLIN, now=NOW).missing

    assert missing[marked] == ["outcome", "value", "event", "who_cares", "evidence"]
    assert missing[stale] == missing[unmarked] == ["event", "evidence"]


def test_the_week_s_rows_come_in_the_order_of_scout_row_s_fields():
    assert ScoutRow._fields == SCOUT_ROW_FIELDS
