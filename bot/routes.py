"""The teams a discovery can go to: the `routes:` list of prompts/routing.yaml, as data.

A route is an id (stored as text on every discovery it reached), a label people read and a
description of what the team does with a discovery. Every surface iterates over `current_routes()`,
so adding a team is an entry in routing.yaml plus its channel.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import prompts
from bot.stages import FollowThrough, follow_through_of
from storage.enums import Outcome

FILE = "routing.yaml"
ROUTE_ID = re.compile(r"[a-z][a-z0-9_]{0,19}")  # fits the VARCHAR(20) columns and an env name
RESERVED = ("coach", "scout")  # the other digests' names (`valuescout digest --route coach`)
FIELDS = ("id", "label", "description", "follow_through", "follow_through_when")
LABEL_LIMIT = 40  # a button, a checkbox option and a header stay readable
MOST_ROUTES = 10  # the scout ticks teams in Slack checkboxes, which hold at most 10 options

# A route id is plain text: a discovery keeps the id of a route removed since.
Route = str


class RoutesError(Exception):
    """The routes are wrong; the message names the file and the key."""


@dataclass(frozen=True)
class RouteInfo:
    """One team: its id, its name and what it does with a discovery."""

    id: Route
    label: str
    description: str
    # The stages after Actioned; none: the route ends there.
    follow_through: FollowThrough = field(default_factory=FollowThrough)


@dataclass(frozen=True)
class Routes:
    """Every route, in file order (the order of every list that shows them)."""

    entries: tuple[RouteInfo, ...]

    def __iter__(self) -> Iterator[RouteInfo]:
        return iter(self.entries)

    def __contains__(self, route: object) -> bool:
        return route in self.ids

    @property
    def ids(self) -> tuple[Route, ...]:
        """The route ids in order."""
        return tuple(entry.id for entry in self.entries)

    def label(self, route: str) -> str:
        """The team's name; a route removed from the file keeps a readable name."""
        found = self.get(route)
        return found.label if found else route.replace("_", " ").capitalize()

    def stages(self, route: str) -> FollowThrough:
        """The route's follow-through stages (none for a route removed from the file)."""
        found = self.get(route)
        return found.follow_through if found else FollowThrough()

    def get(self, route: str) -> RouteInfo | None:
        """The route with this id, if it exists."""
        return next((entry for entry in self.entries if entry.id == route), None)

    def ordered(self, routes: Iterable[str]) -> list[Route]:
        """The given route ids in the file's order (unknown ones last, as given)."""
        given = list(routes)
        known = [route for route in self.ids if route in given]
        return known + [route for route in given if route not in self.ids]


def current_routes() -> Routes:
    """The routes of the prompts in use (read once per copy of prompts/)."""
    return _routes_at(prompts.location())


@cache
def _routes_at(location: Path | None) -> Routes:
    return load_routes()


def load_routes(path: Path | None = None) -> Routes:
    """Read and check the `routes:` list: of the prompts in use unless a path is given."""
    items, source = prompts.load_list(FILE, "routes", path=path, error=RoutesError)
    if len(items) > MOST_ROUTES:
        raise RoutesError(
            f"{source}: routes: {len(items)} routes; at most {MOST_ROUTES} (Slack shows that "
            "many checkboxes to pick teams from)"
        )
    entries = tuple(_route(item, f"{source}: routes[{n}]") for n, item in enumerate(items))
    seen: set[str] = set()
    for n, entry in enumerate(entries):
        if entry.id in seen:
            raise RoutesError(f"{source}: routes[{n}].id: {entry.id!r} is listed twice")
        seen.add(entry.id)
    return Routes(entries)


def _route(item: Any, where: str) -> RouteInfo:
    if not isinstance(item, dict):
        raise RoutesError(f"{where}: expected a mapping with id, label and description")
    unknown = sorted(set(item) - set(FIELDS))
    if unknown:
        raise RoutesError(f"{where}.{unknown[0]}: unknown field (known: {', '.join(FIELDS)})")
    route_id = item.get("id")
    if not isinstance(route_id, str) or not ROUTE_ID.fullmatch(route_id):
        raise RoutesError(
            f"{where}.id: {route_id!r} is not an id: lowercase letters, digits and _, "
            "starting with a letter, at most 20"
        )
    if route_id in RESERVED:
        raise RoutesError(f"{where}.id: {route_id!r} is the name of another digest; pick another")
    label = _text(item, "label", where)
    if len(label) > LABEL_LIMIT:
        raise RoutesError(f"{where}.label: longer than {LABEL_LIMIT} characters")
    stages = follow_through_of(
        item.get("follow_through"), f"{where}.follow_through", RoutesError,
        outcomes=item.get("follow_through_when"), known=tuple(kind.value for kind in Outcome),
    )  # fmt: skip
    return RouteInfo(route_id, label, _text(item, "description", where), stages)


def _text(item: dict, key: str, where: str) -> str:
    value = item.get(key)
    if not isinstance(value, str) or not value.strip():
        raise RoutesError(f"{where}.{key}: expected some text")
    return value.strip()
