"""GET /api/v1/discoveries through real HTTP: an analyst pages through every discovery with
the token, a window pages through its own, and everything else is refused with the reason."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from urllib.error import HTTPError
from urllib.parse import urlencode

import pytest

from bot.api.discoveries import ReadApi, page_request
from bot.cli.runtime import Components, web_app
from bot.cli.sample import add_sample_history
from bot.config import TIMEZONE
from bot.discoveries.export.options import Window, export_request
from bot.discoveries.export.reading import export_records
from bot.domain.themes import load_network
from bot.emulator import SEED
from bot.web import LocalServer
from storage.engine import session_scope
from storage.enums import DiscoverySource, Fit
from storage.models import Discovery
from storage.queries import route_channels, set_setting
from storage.types import utc_now
from tests.e2e.conftest import e2e_settings

TOKEN = "t0ken-" + "x" * 40
PATH = "/api/v1/discoveries"


@contextmanager
def served(parts: Components, emulator, database_url, **settings: str) -> Iterator[str]:
    """The web app with these settings on a free port; yields its base URL."""
    configured = e2e_settings(emulator, database_url, **settings)
    with_settings = replace(parts, settings=configured)
    server = LocalServer(web_app(with_settings)).start()
    try:
        yield server.url.removesuffix("/slack/events")
    finally:
        server.stop()


@pytest.fixture
def api(components, emulator, database_url) -> Iterator[str]:
    with served(components, emulator, database_url, VALUESCOUT_API_TOKEN=TOKEN) as base:
        yield base


@pytest.fixture
def history(components) -> int:
    """A quarter of sample discoveries (a few dozen), as the demo's /sample adds them."""
    engine = components.engine
    with session_scope(engine) as session:
        channels = route_channels(session=session)
    return add_sample_history(
        engine=engine, team_id=SEED.team_id, channels=channels, network=load_network(),
        now=utc_now(), zone=components.settings.zone,
    )  # fmt: skip


def get(base: str, token: str | None = TOKEN, method: str = "GET", **params: object):
    """(status, JSON body, headers) of one request."""
    query = f"?{urlencode(params)}" if params else ""
    request = urllib.request.Request(f"{base}{PATH}{query}", method=method)
    if token is not None:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read()), response.headers
    except HTTPError as error:
        return error.code, json.loads(error.read()), error.headers


def every_page(base: str, **params: object) -> list[dict]:
    """Follow next_cursor from the first page to the last (null)."""
    pages, cursor = [], None
    while True:
        status, body, _ = get(base, **params, **({"cursor": cursor} if cursor else {}))
        assert status == 200, body
        pages.append(body)
        cursor = body["next_cursor"]
        if cursor is None:
            return pages


def test_an_analyst_pages_through_every_discovery_as_the_export_has_them(api, history, engine):
    pages = every_page(api, limit=7)
    expected = list(export_records(engine=engine, window=Window()))
    assert history > 14 and len(expected) == history
    assert [len(page["items"]) for page in pages[:-1]] == [7] * (len(pages) - 1)
    assert 1 <= len(pages[-1]["items"]) <= 7
    assert [item for page in pages for item in page["items"]] == expected
    items = [item for page in pages for item in page["items"]]
    assert all(0 <= item["quality"] <= 5 and "event_owner" in item for item in items)


def test_a_window_pages_through_its_own_discoveries_only(api, history, engine, components):
    today = utc_now().astimezone(components.settings.zone).date()
    since, until = (today - timedelta(days=30)).isoformat(), (today - timedelta(days=8)).isoformat()
    pages = every_page(api, since=since, until=until, limit=5)
    window = export_request(
        since=since, until=until, fmt="jsonl", output=None, zone=components.settings.zone
    ).window
    expected = [record["id"] for record in export_records(engine=engine, window=window)]
    assert 5 < len(expected) < history
    assert [item["id"] for page in pages for item in page["items"]] == expected


def test_team_keeps_to_one_workspaces_records_and_every_record_names_its_team(
    api, history, components
):
    other = 3
    with session_scope(components.engine) as session:
        for n in range(other):
            session.add(Discovery(
                team_id="T0GLOBEX", scout_user_id="U0SCOUT", account="Hooli", outcome="Faster",
                gap="Manual", fit=Fit.YES, source=DiscoverySource.DM, source_key=f"globex:{n}",
            ))  # fmt: skip
    everyone = [item for page in every_page(api, limit=50) for item in page["items"]]
    acme = [item for page in every_page(api, limit=5, team=SEED.team_id) for item in page["items"]]
    globex = [item for page in every_page(api, limit=5, team="T0GLOBEX") for item in page["items"]]
    assert len(everyone) == history + other
    assert len(acme) == history and {item["team_id"] for item in acme} == {SEED.team_id}
    assert len(globex) == other and {item["team_id"] for item in globex} == {"T0GLOBEX"}


def test_pages_are_100_by_default_and_blank_parameters_are_not_given(api, history):
    status, body, headers = get(api, since="", until="", cursor="", limit="")
    assert status == 200 and headers["Content-Type"].startswith("application/json")
    assert len(body["items"]) == min(history, 100)
    assert body["next_cursor"] is None  # a quarter of samples fits in one page of 100


def test_no_token_or_a_wrong_one_is_refused_and_without_a_token_set_there_is_no_api(
    api, components, emulator, database_url
):
    for token in (None, "x" * 46, TOKEN + "x", TOKEN[:-1]):
        status, body, headers = get(api, token=token)
        assert (status, body) == (401, {"error": "unauthorized"})
        assert headers["WWW-Authenticate"].startswith("Bearer")
    with served(components, emulator, database_url) as without_token:
        assert get(without_token)[0] == 404


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": 1001}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"limit": "\u00b2"}, "limit"),
        ({"since": "last week"}, "since"),
        ({"until": "2026-13-01"}, "until"),
        ({"since": "2026-11-02", "until": "2026-11-01"}, "until"),
        ({"cursor": "not-one-of-ours"}, "cursor"),
        ({"sinse": "2026-11-01"}, "sinse"),
    ],
)
def test_a_bad_parameter_is_400_naming_it(api, params, named):
    status, body, _ = get(api, **params)
    assert status == 400 and body["parameter"] == named and named in body["error"]


def test_a_cursor_keeps_to_its_window_and_other_methods_are_refused(api, history):
    status, first, _ = get(api, since="2020-01-01", limit=3)
    assert status == 200 and first["next_cursor"]
    status, body, _ = get(api, since="2021-01-01", cursor=first["next_cursor"])
    assert (status, body["parameter"]) == (400, "cursor")
    status, repeated, _ = get(api, since="2020-01-01", cursor=first["next_cursor"], limit=3)
    assert status == 200 and repeated["items"][0]["id"] > first["items"][-1]["id"]
    status, body, headers = get(api, method="POST")
    assert status == 405 and "GET" in headers["Allow"]


def test_a_date_is_read_on_the_clock_of_the_workspace_team_names(components):
    """Globex's admin chose UTC+14; Acme keeps the deployment's Europe/Berlin."""
    with session_scope(components.engine) as session:
        set_setting(session=session, key=TIMEZONE, value="Pacific/Kiritimati",
                    changed_by="U0ADMIN", team_id="T0GLOBEX")  # fmt: skip
    api = ReadApi(engine=components.engine, token=TOKEN, settings=components.settings)

    def since(team: str) -> datetime | None:
        return page_request(f"since=2026-11-02&team={team}", api.zone_of).window.start

    assert since("T0GLOBEX") == datetime(2026, 11, 1, 10, 0, tzinfo=UTC)  # its midnight
    assert since(SEED.team_id) == datetime(2026, 11, 1, 23, 0, tzinfo=UTC)  # Berlin's
