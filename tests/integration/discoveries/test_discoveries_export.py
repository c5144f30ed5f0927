"""`valuescout export`: exact CSV and JSONL, date windows in the workspace zone, streaming."""

from __future__ import annotations

import json
import logging
import os
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import Engine

from bot.cli import main
from bot.discoveries.export.options import Window
from bot.discoveries.export.reading import export_records
from bot.discoveries.export.records import FIELDS, HISTORY_FIELDS, ROUTE_FIELDS
from storage.engine import session_scope
from storage.enums import DiscoverySource, DiscoveryStatus, Fit, Persona, ValueBand
from storage.models import Account, Discovery, DiscoveryRoute, StatusChange
from storage.queries.loop_facts import FACTS

CLEARED = ("SLACK_", "VALUESCOUT_", "DATABASE_URL", "LOG_LEVEL")
HOSTILE_CREATED = datetime(2025, 2, 28, 23, 0, tzinfo=UTC)  # 1 March, midnight in Berlin
PLAIN_CREATED = datetime(2025, 3, 31, 21, 59, 59, tzinfo=UTC)  # 23:59:59 in Berlin (CEST)

HEADER = (
    "id,created_at,updated_at,edited_at,team_id,scout_user_id,account,account_id,crm_id,"
    "who_cares,outcome,gap,"
    "evidence,evidence_url,value_band,value_amount,value_currency,value_base,event_date,event_pressure,"
    "event_owner,fit,themes,status,source,quality,routes,history,supporters\r\n"
)
NO_STAGE = (  # a route that was never actioned with stages has no follow-through
    '"stage":null,"follow_up_on":null,"realised_amount":null,"realised_currency":null,'
    '"realised_base":null,"realised_link":null,"stage_history":[]'
)
HOSTILE_ROUTES = (
    '[{"route":"sales","reason":"budget, \\"now\\"","channel_id":"C0SALES",'
    '"message_ts":"1740783600.000100","rerouted_to":"product","status":"acknowledged",'
    f'"created_at":"2025-02-28T23:00:00Z",{NO_STAGE}}},'
    '{"route":"product","reason":"re-routed","channel_id":"C0PRODUCT",'
    '"message_ts":null,"rerouted_to":null,"status":"actioned",'
    f'"created_at":"2025-03-02T09:00:00Z",{NO_STAGE}}}]'
)
HOSTILE_HISTORY = (  # each team's own status and the route each change changed (none: all)
    '[{"at":"2025-03-01T08:00:00Z","from_status":"new","to_status":"acknowledged",'
    '"actor_user_id":"U0DANA","note":"-on it\\nwill call, \\"soon\\"","outcome_kind":null,'
    '"link":null,"rerouted_from":null,"rerouted_to":null,"route":null},'
    '{"at":"2025-03-02T09:30:00Z","from_status":"acknowledged","to_status":"actioned",'
    '"actor_user_id":"U0DANA","note":"@here shipped","outcome_kind":"content",'
    '"link":"https://wiki.example/p?a=1&b=2","rerouted_from":"sales","rerouted_to":"product",'
    '"route":"product"}]'
)
HOSTILE_CSV = (
    "1,2025-02-28T23:00:00Z,2025-03-02T09:30:00Z,2025-03-01T07:15:00Z,T0ACME,U0SCOUT,"
    '"Globex, ""Inc.""",1,\'=CRM-7,executive,"\'=HYPERLINK(""https://evil.example"",""click"")",'
    '"line one\nline two, with a comma",Ünïcödé ✓ 日本語 😀 a\u2028b,'
    "https://example.com/a?b=1&c=2,100k_1m,1234567.89,EUR,1308641.96,2025-04-15,'+1 budget freeze,,"
    "partly,onboarding; pricing,actioned,modal,3,"
    f'"{HOSTILE_ROUTES.replace(chr(34), chr(34) * 2)}",'
    f'"{HOSTILE_HISTORY.replace(chr(34), chr(34) * 2)}",[]\r\n'
)
PLAIN_CSV = (
    "2,2025-03-31T21:59:59Z,2025-03-31T21:59:59Z,,T0ACME,U0OTHER,Initech,,,,Faster payroll,"
    "Manual export,,,,,,,,,,yes,,new,dm,1,[],[],[]\r\n"
)
HOSTILE_JSON = (
    '{"id":1,"created_at":"2025-02-28T23:00:00Z","updated_at":"2025-03-02T09:30:00Z",'
    '"edited_at":"2025-03-01T07:15:00Z","team_id":"T0ACME","scout_user_id":"U0SCOUT",'
    '"account":"Globex, \\"Inc.\\"","account_id":1,"crm_id":"=CRM-7","who_cares":"executive",'
    '"outcome":"=HYPERLINK(\\"https://evil.example\\",\\"click\\")",'
    '"gap":"line one\\nline two, with a comma","evidence":"Ünïcödé ✓ 日本語 😀 a\\u2028b",'
    '"evidence_url":"https://example.com/a?b=1&c=2","value_band":"100k_1m",'
    '"value_amount":"1234567.89","value_currency":"EUR","value_base":"1308641.96",'
    '"event_date":"2025-04-15",'
    '"event_pressure":"+1 budget freeze","event_owner":null,"fit":"partly",'
    '"themes":["onboarding","pricing"],'
    f'"status":"actioned","source":"modal","quality":3,"routes":{HOSTILE_ROUTES},'
    f'"history":{HOSTILE_HISTORY},"supporters":[]}}\n'
)
PLAIN_JSON = (
    '{"id":2,"created_at":"2025-03-31T21:59:59Z","updated_at":"2025-03-31T21:59:59Z",'
    '"edited_at":null,"team_id":"T0ACME","scout_user_id":"U0OTHER","account":"Initech",'
    '"account_id":null,"crm_id":null,"who_cares":null,"outcome":"Faster payroll","gap":"Manual export","evidence":null,'
    '"evidence_url":null,"value_band":null,"value_amount":null,"value_currency":null,'
    '"value_base":null,'
    '"event_date":null,"event_pressure":null,"event_owner":null,"fit":"yes","themes":[],'
    '"status":"new","source":"dm","quality":1,"routes":[],"history":[],"supporters":[]}\n'
)


@pytest.fixture
def cli(database_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path):
    """Run `valuescout …` in this process on the test database, in Berlin's time zone."""
    for name in [name for name in os.environ if name.startswith(CLEARED)]:
        monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)  # no developer's .env file
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("VALUESCOUT_TIMEZONE", "Europe/Berlin")
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield lambda *args: main(["export", *args])
    root.handlers[:], root.level = handlers, level  # main() configures logging for a process


def discovery(number: int, created_at: datetime, **fields: Any) -> Discovery:
    """A discovery with only the required fields set, unless told otherwise."""
    values: dict[str, Any] = {
        "team_id": "T0ACME",
        "scout_user_id": "U0OTHER",
        "account": "Initech",
        "outcome": "Faster payroll",
        "gap": "Manual export",
        "fit": Fit.YES,
        "source": DiscoverySource.DM,
        "source_key": f"view:{number}",
        "created_at": created_at,
        "updated_at": created_at,
    }
    return Discovery(**(values | fields))


def hostile_discovery() -> Discovery:
    """Everything a scout can type that breaks a naive export."""
    return discovery(
        1,
        HOSTILE_CREATED,
        scout_user_id="U0SCOUT",
        account='Globex, "Inc."',
        account_id=1,
        who_cares=Persona.EXECUTIVE,
        outcome='=HYPERLINK("https://evil.example","click")',
        gap="line one\nline two, with a comma",
        evidence="Ünïcödé ✓ 日本語 😀 a\u2028b",
        evidence_url="https://example.com/a?b=1&c=2",
        value_band=ValueBand.FROM_100K_TO_1M,
        value_amount=Decimal("1234567.89"),
        value_currency="EUR",
        value_base=Decimal("1308641.96"),  # EUR at 1.06, as start-up keeps it
        event_date=date(2025, 4, 15),
        event_pressure="+1 budget freeze",
        fit=Fit.PARTLY,
        themes=["onboarding", "pricing"],
        status=DiscoveryStatus.ACTIONED,
        source=DiscoverySource.MODAL,
        updated_at=datetime(2025, 3, 2, 9, 30, tzinfo=UTC),
        edited_at=datetime(2025, 3, 1, 7, 15, tzinfo=UTC),
    )


def hostile_children(discovery_id: int) -> list[Any]:
    """Two routes (one re-routed) and two status changes, the changes added out of order."""
    dana = {"discovery_id": discovery_id, "actor_user_id": "U0DANA"}
    return [
        DiscoveryRoute(
            id=1, discovery_id=discovery_id, route="sales", reason='budget, "now"',
            channel_id="C0SALES", message_ts="1740783600.000100", rerouted_to="product",
            status=DiscoveryStatus.ACKNOWLEDGED, created_at=HOSTILE_CREATED,
        ),
        DiscoveryRoute(
            id=2, discovery_id=discovery_id, route="product", reason="re-routed",
            channel_id="C0PRODUCT", status=DiscoveryStatus.ACTIONED,
            created_at=datetime(2025, 3, 2, 9, 0, tzinfo=UTC),
        ),
        StatusChange(
            **dana, route_id=2, from_status=DiscoveryStatus.ACKNOWLEDGED,
            to_status=DiscoveryStatus.ACTIONED, note="@here shipped",
            outcome_kind="content", link="https://wiki.example/p?a=1&b=2",
            rerouted_from="sales", rerouted_to="product",
            at=datetime(2025, 3, 2, 9, 30, tzinfo=UTC),
        ),
        StatusChange(
            **dana, from_status=DiscoveryStatus.NEW,
            to_status=DiscoveryStatus.ACKNOWLEDGED,
            note='-on it\nwill call, "soon"', at=datetime(2025, 3, 1, 8, 0, tzinfo=UTC),
        ),
    ]  # fmt: skip


@pytest.fixture
def fixed_data(engine: Engine) -> None:
    """The hostile discovery with its routes and history, and a plain one without."""
    with session_scope(engine) as session:
        session.add(Account(id=1, name='Globex, "Inc."', crm_id="=CRM-7"))  # a CRM id is data too
        session.flush()
        session.add(hostile_discovery())
        session.flush()
        session.add_all(hostile_children(1))
        session.add(discovery(2, PLAIN_CREATED))


@pytest.mark.usefixtures("fixed_data")
def test_csv_is_exact_with_formulas_defused_and_history_as_json(cli, capsys):
    assert cli("--format", "csv") == 0
    out, err = capsys.readouterr()
    assert out == HEADER + HOSTILE_CSV + PLAIN_CSV
    assert err == ""


@pytest.mark.usefixtures("fixed_data")
def test_jsonl_is_exact_one_line_per_discovery_with_nested_routes_and_history(cli, capsys):
    assert cli("--format", "jsonl") == 0
    out, _ = capsys.readouterr()
    assert out == HOSTILE_JSON + PLAIN_JSON
    first = json.loads(out.split("\n")[0])
    assert first["evidence"] == "Ünïcödé ✓ 日本語 😀 a\u2028b"
    assert [change["to_status"] for change in first["history"]] == ["acknowledged", "actioned"]


@pytest.mark.usefixtures("fixed_data")
@pytest.mark.parametrize(("fmt", "expected"), [("csv", HEADER + HOSTILE_CSV + PLAIN_CSV),
                                               ("jsonl", HOSTILE_JSON + PLAIN_JSON)])  # fmt: skip
def test_output_file_gets_the_same_bytes_atomically_and_a_summary(
    cli, capsys, tmp_path, fmt, expected
):
    target = tmp_path / f"export.{fmt}"
    target.write_text("an older export")
    assert cli("--format", fmt, "--output", str(target)) == 0
    out, err = capsys.readouterr()
    assert (out, err) == ("", f"exported 2 discoveries to {target}\n")
    assert target.read_bytes() == expected.encode("utf-8")
    assert sorted(path.name for path in tmp_path.glob(f"*export.{fmt}*")) == [target.name]


def test_an_empty_export_is_the_header_alone_in_csv_and_nothing_in_jsonl(cli, capsys, tmp_path):
    assert cli("--format", "csv") == 0
    assert capsys.readouterr().out == HEADER
    assert cli("--format", "jsonl", "--output", str(tmp_path / "none.jsonl")) == 0
    assert (tmp_path / "none.jsonl").read_bytes() == b""
    assert capsys.readouterr().err == f"exported 0 discoveries to {tmp_path / 'none.jsonl'}\n"


@pytest.fixture
def edges(engine: Engine) -> None:
    """Discoveries a second either side of March 2025 in Berlin (CET, then CEST from the 30th)."""
    moments = [
        datetime(2025, 2, 28, 22, 59, 59, tzinfo=UTC),  # 23:59:59 on 28 February in Berlin
        HOSTILE_CREATED,  # 00:00:00 on 1 March in Berlin
        PLAIN_CREATED,  # 23:59:59 on 31 March in Berlin, after the change to summer time
        datetime(2025, 3, 31, 22, 0, tzinfo=UTC),  # 00:00:00 on 1 April in Berlin
    ]
    with session_scope(engine) as session:
        session.add_all(discovery(number, moment) for number, moment in enumerate(moments, 1))


def exported_ids(cli, capsys, *options: str) -> list[int]:
    """Run a JSONL export and return the ids it wrote."""
    assert cli("--format", "jsonl", *options) == 0
    return [json.loads(line)["id"] for line in capsys.readouterr().out.splitlines()]


@pytest.mark.usefixtures("edges")
def test_dates_are_whole_days_in_the_workspace_zone(cli, capsys):
    assert exported_ids(cli, capsys, "--since", "2025-03-01", "--until", "2025-03-31") == [2, 3]
    assert exported_ids(cli, capsys, "--since", "2025-03-31", "--until", "2025-03-31") == [3]
    assert exported_ids(cli, capsys, "--until", "2025-02-28") == [1]
    assert exported_ids(cli, capsys, "--since", "2025-04-01") == [4]


@pytest.mark.usefixtures("edges")
def test_the_same_dates_in_utc_are_other_days(cli, capsys, monkeypatch):
    monkeypatch.setenv("VALUESCOUT_TIMEZONE", "UTC")
    assert exported_ids(cli, capsys, "--since", "2025-03-01", "--until", "2025-03-31") == [3, 4]


@pytest.mark.usefixtures("edges")
def test_datetimes_are_instants_and_until_includes_its_own(cli, capsys):
    window = ("--since", "2025-03-01T00:00:00+01:00", "--until", "2025-03-31T21:59:59Z")
    assert exported_ids(cli, capsys, *window) == [2, 3]
    # Without an offset, a datetime is read in the workspace zone (Berlin).
    local = ("--since", "2025-02-28T23:59:59", "--until", "2025-03-01T00:00:00")
    assert exported_ids(cli, capsys, *local) == [1, 2]


@pytest.mark.parametrize(
    ("options", "says"),
    [
        (("--since", "2025-02-30"), "--since '2025-02-30' is not a date (YYYY-MM-DD)"),
        (("--until", "last tuesday"), "--until 'last tuesday' is not a date (YYYY-MM-DD)"),
        (("--since", "2025-03-02", "--until", "2025-03-01"), "--until 2025-03-01 is before"),
        (("--output", "/no/such/dir/x.csv"), "--output /no/such/dir/x.csv: directory"),
    ],
)
def test_a_bad_option_is_one_line_naming_it_and_exit_2(cli, capsys, options, says):
    assert cli("--format", "csv", *options) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith(f"valuescout: {says}")
    assert err.count("\n") == 1 and "Traceback" not in err


def test_the_export_streams_in_batches_with_six_queries_each(engine: Engine):
    rows = [discovery(n, HOSTILE_CREATED).model_dump(exclude={"id"}) for n in range(1, 251)]
    changes = [{"discovery_id": n, "to_status": "new", "actor_user_id": "U0SCOUT",
                "at": HOSTILE_CREATED} for n in range(1, 251, 7)]  # fmt: skip
    with session_scope(engine) as session:
        session.execute(sa.insert(Discovery), rows)
        session.execute(sa.insert(StatusChange), changes)
    selects: list[str] = []
    sa.event.listen(engine, "before_cursor_execute", _count_selects(selects))
    records = export_records(engine=engine, window=Window(), batch_size=100)
    assert next(records)["id"] == 1
    # One batch: discoveries, their routes, history, supporters, follow-ups and stage moves.
    assert len(selects) == 6
    rest = list(records)
    assert [record["id"] for record in rest] == list(range(2, 251))
    assert sum(len(record["history"]) for record in rest) == len(changes) - 1
    assert len(selects) == 18  # three batches (100, 100, 50), never a query per row
    assert sum("FROM discoveries" in sql for sql in selects) == 3


def _count_selects(selects: list[str]):
    """A cursor hook that records every SELECT the engine runs."""

    def record(_conn, _cursor, statement: str, *_: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            selects.append(statement)

    return record


def test_every_column_an_analyst_can_use_is_exported():
    # A column added to the models later must be added to the export too (or left out here).
    internal = {"id", "discovery_id"}
    # Slack's dedupe key is left out; the account's CRM id is added. The answers document is
    # exported by its keys: the built-in ones in these columns, added questions' as fields.
    # quality_missing caches what the score lacks, for the digests; analysts get the score.
    # The loop facts cache the history and routes for the digests; both are exported whole.
    assert set(FIELDS) == set(Discovery.model_fields) - {
        "source_key",
        "answers",
        "quality_missing",
        *FACTS,
    } | {
        "crm_id",
        "event_owner",  # the compelling event's owner, from the answers
    }
    assert set(ROUTE_FIELDS) == set(DiscoveryRoute.model_fields) - internal
    # A change's route is exported by name ("route"), its id is internal.
    assert set(HISTORY_FIELDS) == set(StatusChange.model_fields) - internal - {"route_id"}
