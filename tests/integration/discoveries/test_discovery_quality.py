"""The completeness score is stored on submit and on every edit, and exported; the opener stays
first in the evidence whatever the scout added after it; 0016 leaves older rows to the export."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Engine

from bot.discoveries.edits import edit_discovery
from bot.discoveries.export.options import Window
from bot.discoveries.export.reading import export_records
from bot.discoveries.service import submit_discovery
from bot.domain.themes import load_network
from storage.engine import create_engine_for, session_scope
from storage.enums import DiscoverySource
from storage.migrate import downgrade, upgrade
from storage.models import Discovery
from tests.integration.storage.conftest import insert_discoveries

NOW = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)
OPENER = "Acme's CFO wants month-end close down from 10 days to 3 before their renewal."
THIN: dict[str, Any] = {
    "account": "Acme Corp", "outcome": "better reporting", "gap": "a bulk import button",
    "fit": "partly", "opener": OPENER, "evidence": OPENER,
}  # fmt: skip
RICH = THIN | {
    "outcome": "Month-end close down from 10 days to 3",
    "value": {"amount": "250000", "currency": "USD"},
    "event": {"date": "2027-03-31", "pressure": "renewal", "owner": "CFO"},
    "who_cares": "executive",
}


def _submit(engine: Engine, answers: dict[str, Any]) -> int:
    with session_scope(engine) as session:
        return submit_discovery(
            session=session, source_key="dialogue:1", team_id="T1", scout_user_id="U1",
            source=DiscoverySource.DM, answers=answers, routes=[("product", "why")],
            themes=[], route_channels={"product": "C0PRODUCT"}, now=NOW,
        ).discovery_id  # fmt: skip


def _stored(engine: Engine, discovery_id: int) -> Discovery:
    with session_scope(engine) as session:
        discovery = session.get(Discovery, discovery_id)
        session.expunge(discovery)
        return discovery


def _exported(engine: Engine) -> list[dict[str, Any]]:
    return list(export_records(engine=engine, window=Window()))


def test_the_score_is_stored_on_submit_and_exported_with_the_events_owner(engine):
    discovery_id = _submit(engine, RICH)

    assert _stored(engine, discovery_id).quality == 4  # the opener has no quote nor link
    [record] = _exported(engine)
    assert (record["quality"], record["event_owner"]) == (4, "CFO")


def test_an_edit_recomputes_the_score(engine):
    discovery_id = _submit(engine, THIN)
    assert _stored(engine, discovery_id).quality == 0

    with session_scope(engine) as session:
        edit_discovery(
            session=session, discovery_id=discovery_id, answers=RICH | {"evidence": "“We lose a week”"},
            actor_user_id="U1", network=load_network(), now=NOW,
        )  # fmt: skip

    assert _stored(engine, discovery_id).quality == 5
    assert _exported(engine)[0]["quality"] == 5


def test_the_opener_stays_first_in_the_evidence_with_the_quote_added_after_it(engine):
    discovery_id = _submit(engine, RICH | {"evidence": "They said: “we lose a week”"})

    stored = _stored(engine, discovery_id)
    assert stored.evidence == f"{OPENER}\n\nThey said: “we lose a week”"
    assert stored.answers["evidence"] == stored.evidence and stored.answers["opener"] == OPENER
    assert _exported(engine)[0]["evidence"].startswith(OPENER)


def test_without_an_event_owner_the_export_says_null(engine):
    _submit(engine, RICH | {"event": {"date": "2027-03-31", "pressure": "renewal"}})
    assert _exported(engine)[0]["event_owner"] is None


def _quality_column(url: str) -> list:
    engine = create_engine_for(url)
    with engine.connect() as connection:
        found = connection.execute(sa.text("SELECT quality FROM discoveries ORDER BY id")).all()
    engine.dispose()
    return [row[0] for row in found]


def test_0016_leaves_older_discoveries_unscored_and_the_export_scores_them(empty_database_url):
    upgrade(engine_or_url=empty_database_url, revision="0014")
    row = {
        "team_id": "T1", "scout_user_id": "U1", "account": "Acme", "outcome": "Close in 3 days",
        "gap": "g", "fit": "yes", "themes": "[]", "status": "new", "source": "dm",
        "source_key": "k1", "created_at": NOW, "updated_at": NOW, "value_band": "10k_100k",
        "answers": "{}",
    }  # fmt: skip
    insert_discoveries(empty_database_url, [row])
    upgrade(engine_or_url=empty_database_url, revision="0016")

    assert _quality_column(empty_database_url) == [None]
    upgrade(engine_or_url=empty_database_url)  # the export reads what later migrations add
    assert _quality_column(empty_database_url) == [None]
    engine = create_engine_for(empty_database_url)
    [record] = _exported(engine)
    engine.dispose()
    assert record["quality"] == 2  # a measurable outcome and a value

    downgrade(engine_or_url=empty_database_url, revision="0014")
    upgrade(engine_or_url=empty_database_url, revision="0016")
    assert _quality_column(empty_database_url) == [None]
