"""Migration 0015: each route gets its own status and history, from what one status said."""

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from storage.engine import create_engine_for
from storage.migrate import downgrade, upgrade

BEFORE = "0011"
LOGGED = datetime(2026, 11, 2, 9, tzinfo=UTC)
MOVED = LOGGED + timedelta(days=2)


def _insert(connection: sa.Connection, table: str, row: dict) -> int:
    columns = ", ".join(row)
    values = ", ".join(f":{name}" for name in row)
    statement = f"INSERT INTO {table} ({columns}) VALUES ({values}) RETURNING id"
    return connection.execute(sa.text(statement), row).scalar_one()


def _one_status_each(url: str) -> dict[str, int]:
    """As 0011 kept them: a declined discovery on two routes, and an acknowledged one whose
    product card was re-routed to marketing (so it was new again)."""
    engine = create_engine_for(url)
    ids = {}
    with engine.begin() as connection:
        for name, status in (("declined", "declined"), ("moved", "new")):
            ids[name] = _insert(connection, "discoveries", {
                "team_id": "T1", "scout_user_id": "U1", "account": name, "outcome": "o",
                "gap": "g", "fit": "yes", "themes": "[]", "status": status, "source": "dm",
                "source_key": name, "created_at": LOGGED, "updated_at": LOGGED,
            })  # fmt: skip
        for discovery, route, away in (
            ("declined", "sales", None), ("declined", "product", None),
            ("moved", "product", "marketing"), ("moved", "marketing", None),
        ):  # fmt: skip
            _insert(connection, "discovery_routes", {
                "discovery_id": ids[discovery], "route": route, "reason": "r",
                "channel_id": f"C0{route.upper()}", "rerouted_to": away,
            })  # fmt: skip
        for discovery, was, to, at, moved in (
            ("declined", None, "new", LOGGED, None),
            ("declined", "new", "acknowledged", LOGGED + timedelta(hours=1), None),
            ("declined", "acknowledged", "declined", LOGGED + timedelta(days=1), None),
            ("moved", None, "new", LOGGED, None),
            ("moved", "new", "acknowledged", LOGGED + timedelta(hours=1), None),
            ("moved", "acknowledged", "new", MOVED, ("product", "marketing")),
        ):
            ids[f"{discovery}:{to}:{at.isoformat()}"] = _insert(connection, "status_changes", {
                "discovery_id": ids[discovery], "from_status": was, "to_status": to,
                "actor_user_id": "U2", "at": at, "rerouted_from": moved and moved[0],
                "rerouted_to": moved and moved[1],
            })  # fmt: skip
    engine.dispose()
    return ids


def _read(url: str, sql: str) -> list:
    engine = create_engine_for(url)
    with engine.connect() as connection:
        rows = connection.execute(sa.text(sql)).all()
    engine.dispose()
    return rows


def _as_utc(value) -> datetime:
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def test_every_route_keeps_the_status_and_history_it_had(empty_database_url):
    upgrade(engine_or_url=empty_database_url, revision=BEFORE)
    ids = _one_status_each(empty_database_url)

    upgrade(engine_or_url=empty_database_url)

    routes = _read(empty_database_url, "SELECT id, discovery_id, route, status, created_at FROM discovery_routes")  # fmt: skip
    by_name = {(r.discovery_id, r.route): r for r in routes}
    declined, moved = ids["declined"], ids["moved"]
    assert by_name[declined, "sales"].status == by_name[declined, "product"].status == "declined"
    assert by_name[moved, "product"].status == "acknowledged"  # as it was when it moved away
    assert by_name[moved, "marketing"].status == "new"
    assert _as_utc(by_name[declined, "sales"].created_at) == LOGGED
    assert _as_utc(by_name[moved, "marketing"].created_at) == MOVED  # arrived when moved there
    changes = _read(empty_database_url, "SELECT id, route_id, rerouted_to FROM status_changes")
    assert len(changes) == 6  # no row lost, none doubled
    for change in changes:  # a re-route belongs to the route it left; the rest covered all
        expected = by_name[moved, "product"].id if change.rerouted_to else None
        assert change.route_id == expected


def test_downgrading_keeps_the_discoveries_and_their_history(empty_database_url):
    upgrade(engine_or_url=empty_database_url, revision=BEFORE)
    _one_status_each(empty_database_url)
    upgrade(engine_or_url=empty_database_url)

    downgrade(engine_or_url=empty_database_url, revision=BEFORE)

    statuses = _read(empty_database_url, "SELECT account, status FROM discoveries ORDER BY id")
    assert [tuple(row) for row in statuses] == [("declined", "declined"), ("moved", "new")]
    assert len(_read(empty_database_url, "SELECT id FROM status_changes")) == 6
