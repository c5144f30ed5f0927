"""Hot paths never scan history: every query of a DM dialogue, a card's delivery, a click on
it, sending it to another team too and the nudges of open loops reads through an index (or a
bounded partial one), on a seeded history, on both databases. So does every query of a
week's digests: their cost follows the week and the trend window, not the history.

The SQL is what the app really ran (a before_cursor_execute hook while a scout logs a
discovery, the delivery posts its cards and a team member acknowledges one, the week's
digests are built), not a copy.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from slack_sdk import WebClient
from sqlalchemy import Engine, event

from bench.digest import SCOUT_PREFIX, build_once, generate
from bot.discoveries.nudges import nudge_open_loops
from bot.emulator import SEED, SlackDriver, SlackEmulator
from storage.engine import session_scope
from storage.models import metadata
from storage.queries.digest_figures import plan_for_digests
from storage.types import utc_now
from tests.e2e.people import Scout, wait_until
from tests.e2e.test_card_actions import CARD_CHANNELS, Team
from tests.e2e.test_dialogue_dm import answer_everything
from tests.e2e.test_reroute import reroute

BIG = ("discoveries", "discovery_routes", "status_changes", "dialogue_sessions")
SCOUT = f"{SCOUT_PREFIX}007"  # a seeded scout with a history of discoveries and no draft


@pytest.fixture
def history(engine: Engine) -> None:
    """Enough rows that a planner prefers indexes where they help (statistics analysed)."""
    generate(engine, rows=20_000, weekly=300, dialogues=20_000, team=SEED.team_id)


def _partial_indexes() -> set[str]:
    """Indexes over a bounded part of a table (drafts, open dialogues): a scan of one is bounded."""
    return {
        index.name
        for table in metadata.tables.values()
        for index in table.indexes
        if index.dialect_options["sqlite"]["where"] is not None
    }


@contextmanager
def _recording(engine: Engine) -> Iterator[list[tuple[str, Any]]]:
    """Collect the statements that read (SELECT, UPDATE, DELETE) the app runs meanwhile."""
    seen: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, sql: str, params: Any, _ctx: Any, many: bool) -> None:
        if sql.lstrip().split(None, 1)[0].upper() in ("SELECT", "UPDATE", "DELETE", "WITH"):
            seen.append((sql, params[0] if many else params))  # one row's plan is every row's

    event.listen(engine, "before_cursor_execute", record)
    yield seen
    event.remove(engine, "before_cursor_execute", record)


def _sqlite_scans(cursor: Any, sql: str, params: Any, partial: set[str]) -> list[str]:
    cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
    lines = [str(row[-1]) for row in cursor.fetchall()]
    return [
        line
        for line in lines
        if (line.startswith("SCAN ") or _BY_STATUS_ONLY.search(line))
        and line.split()[1] in BIG
        and not any(f"INDEX {name}" in line for name in partial)
    ]


# An index searched by status alone reads every row in that status: a share of the history.
# (The loop-facts refresh did, on a SQLite database without statistics, on every click.)
_BY_STATUS_ONLY = re.compile(r"^SEARCH \w+ USING (?:COVERING )?INDEX \w+ \(status=\?\)$")


def _postgres_scans(cursor: Any, sql: str, params: Any, partial: set[str]) -> list[str]:
    cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
    plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return list(_pg_whole_reads(plan[0]["Plan"], partial))


def _pg_whole_reads(node: dict, partial: set[str]) -> Iterator[str]:
    """Seq scans of a big table, and index scans of one with no condition (a whole index)."""
    table, kind = node.get("Relation Name"), node["Node Type"]
    if table in BIG:
        if kind == "Seq Scan":
            yield f"Seq Scan on {table}"
        whole = kind in ("Index Scan", "Index Only Scan") and "Index Cond" not in node
        if whole and node.get("Index Name") not in partial:
            yield f"{kind} using {node.get('Index Name')} on {table} without a condition"
    for child in node.get("Plans", []):
        yield from _pg_whole_reads(child, partial)


def _whole_table_reads(
    engine: Engine, statements: list[tuple[str, Any]], setup: tuple[str, ...] = ()
) -> list[str]:
    """Plan lines reading a whole big table, explained after the `setup` statements (the
    planner settings the code under test sets for its transaction)."""
    postgres = engine.dialect.name == "postgresql"
    explain = _postgres_scans if postgres else _sqlite_scans
    partial = _partial_indexes()
    found: list[str] = []
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        for sql in setup:
            cursor.execute(sql)
        for sql, params in statements:
            found += [f"{line}  <-  {' '.join(sql.split())[:300]}" for line in
                      explain(cursor, sql, params, partial)]  # fmt: skip
    finally:
        raw.rollback()
        raw.close()
    return found


def test_a_dialogue_a_delivery_and_a_click_never_read_a_whole_history_table(
    history, driver: SlackDriver, emulator: SlackEmulator, engine: Engine
):
    emulator.workspace.add_user(SCOUT, "seeded", "Seeded Scout")
    scout = Scout(driver, emulator, user=SCOUT)
    with _recording(engine) as statements:
        answer_everything(scout)  # the first reply looks up the scout's draft and accounts
        scout.click("Submit", expect="on its way")
        team = Team(driver, emulator)
        for channel in CARD_CHANNELS:  # delivery: the cards, with related discoveries
            wait_until(lambda c=channel: emulator.messages(c), what=f"the card in {channel}")
        scout.wait_for("went to")  # the receipt
        team.click("Acknowledge")
        team.wait_for_card("is on it")
        # Each team's own answer: also sending it to marketing adds a route beside this one.
        reroute(team, team.modal("Re-route"), to="marketing", note="Theirs too", how="also")
        wait_until(lambda: emulator.messages(SEED.marketing), what="the card in marketing")
        client = WebClient(token=SEED.bot_token, base_url=emulator.api_url)
        nudge_open_loops(engine=engine, client=client, zone=ZoneInfo("UTC"), now=utc_now())

    assert len(statements) > 30  # the hook saw the paths (a test that cannot fail is no test)
    assert _whole_table_reads(engine, statements) == []


def test_the_plan_check_sees_a_whole_table_read(history, engine: Engine):
    # Proves the check above can fail: the old account suggestion grouped every discovery.
    old = (
        "SELECT account FROM discoveries WHERE team_id = :team GROUP BY account"
        " ORDER BY max(created_at) DESC LIMIT 5"
    )
    style = "%(team)s" if engine.dialect.name == "postgresql" else "?"
    params: Any = {"team": SEED.team_id} if style != "?" else (SEED.team_id,)
    sql = old.replace(":team", style)

    assert _whole_table_reads(engine, [(sql, params)]) != []


def test_the_plan_check_sees_a_search_by_status_alone(history, engine: Engine):
    # A status holds a share of the history: read through its index, it is a scan in parts.
    if engine.dialect.name != "sqlite":
        pytest.skip("SQLite's plan line; PostgreSQL's whole-index reads are checked above")
    sql = "SELECT discovery_id FROM discovery_routes INDEXED BY {index} WHERE status = ?"
    index = next(
        i.name for i in metadata.tables["discovery_routes"].indexes
        if next(iter(i.columns)).name == "status"
    )  # fmt: skip

    assert _whole_table_reads(engine, [(sql.format(index=index), ("acknowledged",))]) != []


def _planner_settings(engine: Engine) -> tuple[str, ...]:
    """What plan_for_digests sets for the digests' transaction (nothing on SQLite)."""
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, sql: str, *_: Any) -> None:
        seen.append(sql)

    event.listen(engine, "before_cursor_execute", record)
    try:
        with session_scope(engine) as session:
            plan_for_digests(session)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return tuple(seen)


def test_a_weeks_digests_never_read_a_whole_history_table(history, engine: Engine):
    # Every digest of the seeded week: three route channels, the coaches' (its 12-week
    # trend), every scout with news; each query reads the week, the trend window, or a
    # capped list through an index, never the years before.
    with _recording(engine) as statements:
        messages = build_once(engine, SEED.team_id)

    assert messages > 5 and len(statements) > 25
    assert _whole_table_reads(engine, statements, _planner_settings(engine)) == []
