"""GET /api/v1/discoveries: the export records as JSON pages, for analysts and BI tools.

`?since=&until=&cursor=&limit=&team=`: since/until as `valuescout export` reads them (a date in
the zone of the workspace `team` names, else the deployment's; or an ISO 8601 time); limit 1 to 1000, 100 by default. The token is the
deployment's (its operator's), so it reads every workspace's records, each naming its team_id;
`team=T…` keeps one workspace's (repeat it with each page's cursor). Pages go by id
(keyset: each page is one bounded query, however deep), and `next_cursor` is null on the
last. A bearer token (VALUESCOUT_API_TOKEN) is required; without one set the path is 404.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from bot.api.cursor import BadParameter, Cursor
from bot.api.http import Reply, bearer_token_matches, unauthorized
from bot.config import workspace_zone
from bot.discoveries.export.options import ExportError, Window, export_request
from bot.discoveries.export.reading import export_records
from bot.settings import Settings
from storage.engine import read_scope

log = logging.getLogger(__name__)
PATH = "/api/v1/discoveries"
PARAMETERS = ("since", "until", "cursor", "limit", "team")
DEFAULT_LIMIT, MAX_LIMIT = 100, 1000


@dataclass(frozen=True)
class ReadApi:
    """What the API reads with: the database, the token (None: off) and the settings (whose
    time zone is the default of each workspace's)."""

    engine: Engine
    token: str | None
    settings: Settings

    def zone_of(self, team_id: str | None) -> ZoneInfo:
        """The zone a date in the request is read in: the workspace's, else the deployment's."""
        with read_scope(self.engine) as session:
            return workspace_zone(session=session, settings=self.settings, team_id=team_id or "")


@dataclass(frozen=True)
class PageRequest:
    """One page asked for: the window, where it starts, and how many."""

    window: Window
    cursor: Cursor
    limit: int
    team_id: str | None = None  # one workspace's records; None: every workspace's


def discoveries_reply(environ: dict, api: ReadApi) -> Reply:
    """The page a request asks for, or why not (404 off, 405, 401, 400 naming the parameter)."""
    if api.token is None:
        return Reply.json(404, {"error": "not found"})
    if environ["REQUEST_METHOD"] not in ("GET", "HEAD"):
        return Reply.json(405, {"error": "method not allowed"}, Allow="GET, HEAD")
    if not bearer_token_matches(environ, api.token):
        log.warning("refused an API request from %s: no valid token", environ.get("REMOTE_ADDR"))
        return unauthorized()
    try:
        request = page_request(environ.get("QUERY_STRING", ""), api.zone_of)
    except BadParameter as problem:
        return Reply.json(400, {"error": str(problem), "parameter": problem.name})
    return Reply.json(200, read_page(engine=api.engine, request=request))


def page_request(query: str, zone_of: Callable[[str | None], ZoneInfo]) -> PageRequest:
    """Check the parameters (before any database work but the workspace's zone)."""
    given = _parameters(query)
    zone = zone_of(given.get("team"))
    limit = _limit(given.get("limit"))
    cursor = Cursor(0, given.get("since"), given.get("until"))
    if given.get("cursor"):
        cursor = _continued(Cursor.decode(given["cursor"]), given)
    try:
        window = export_request(
            since=cursor.since, until=cursor.until, fmt="jsonl", output=None, zone=zone
        ).window
    except ExportError as problem:  # "--since 'x' is not a date …": name the parameter
        text = str(problem).replace("--", "")
        raise BadParameter(text.split()[0], text) from None
    return PageRequest(window, cursor, limit, given.get("team"))


def read_page(*, engine: Engine, request: PageRequest) -> dict[str, Any]:
    """Up to `limit` records after the cursor, and the cursor of the next page (None: last)."""
    records = export_records(
        engine=engine, window=request.window, batch_size=request.limit + 1,
        after=request.cursor.after, team_id=request.team_id,
    )  # fmt: skip
    page = list(itertools.islice(records, request.limit + 1))  # one batch: one bounded query
    items = page[: request.limit]
    if len(page) <= request.limit:
        return {"items": items, "next_cursor": None}
    following = Cursor(items[-1]["id"], request.cursor.since, request.cursor.until)
    return {"items": items, "next_cursor": following.encode()}


def _parameters(query: str) -> dict[str, str]:
    """The known parameters, each at most once; blank ones count as not given."""
    try:
        parsed = parse_qs(query, keep_blank_values=True, strict_parsing=bool(query))
    except ValueError:
        raise BadParameter("query", "the query string is malformed") from None
    for name, values in parsed.items():
        if name not in PARAMETERS:
            raise BadParameter(name, f"{name} is not a parameter (use {', '.join(PARAMETERS)})")
        if len(values) > 1:
            raise BadParameter(name, f"{name} is given {len(values)} times")
    return {name: values[0] for name, values in parsed.items() if values[0].strip()}


def _limit(text: str | None) -> int:
    if text is None:
        return DEFAULT_LIMIT
    if not (text.strip().isascii() and text.strip().isdigit()) or not 1 <= int(text) <= MAX_LIMIT:
        raise BadParameter("limit", f"limit must be a whole number from 1 to {MAX_LIMIT}")
    return int(text)


def _continued(cursor: Cursor, given: dict[str, str]) -> Cursor:
    """A cursor pages through the window it came from: since/until may be repeated, not changed."""
    for name in ("since", "until"):
        if name in given and given[name] != getattr(cursor, name):
            raise BadParameter("cursor", f"cursor belongs to another {name}: start without it")
    return cursor
