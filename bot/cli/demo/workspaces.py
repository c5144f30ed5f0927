"""Two workspaces in the demo (`valuescout demo --workspaces 2`): Acme and Globex, both
installed by OAuth through the app's real install pages, served by one app and one database.
`/team globex` and `/team acme` move you between them; each keeps its own messages."""

from __future__ import annotations

import html
import re
import secrets
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import Engine

from bot.cli.demo.screen import Screen
from bot.emulator import SEED, SlackDriver, SlackEmulator
from bot.emulator.seed import GLOBEX, Seed
from bot.manifest import REDIRECT_PATH
from storage.engine import session_scope
from storage.queries import set_route_channel

if TYPE_CHECKING:
    from bot.cli.demo.session import Demo

CLIENT_ID = "1000.2000"  # the demo app's, as a distributed app has one
CLIENT_SECRET = secrets.token_hex(16)  # per process: nothing outside it installs the demo
INSTALL_LINK = re.compile(r'href="([^"]+/oauth/v2/authorize[^"]*)"')


@dataclass(frozen=True)
class Place:
    """One workspace as the demo shows it: its view of Slack, who signs its requests, what
    was shown there."""

    name: str
    team_id: str
    emulator: SlackEmulator
    driver: SlackDriver
    screen: Screen


def open_workspaces(demo: Demo, first: Place) -> dict[str, Place]:
    """Install the app in Acme and in a second workspace, Globex, as their admins would."""
    app_url = demo.server.url.removesuffix("/slack/events")
    secret = demo.settings.signing_secret.get_secret_value()  # type: ignore[union-attr]
    demo.emulator.accept_installs(
        client_id=CLIENT_ID, client_secret=CLIENT_SECRET, redirect_url=app_url + REDIRECT_PATH
    )
    globex = demo.emulator.add_team(GLOBEX)
    demo.names |= rooms_of(globex)  # its channels have ids of their own
    second = Place("Globex", GLOBEX.team_id, globex,
                   SlackDriver(demo.server.url, secret, emulator=globex),
                   Screen(demo.names, demo.screen.out, first.screen.numbers))  # fmt: skip
    for place in (first, second):
        install(app_url, place.team_id)
    map_own_channels(demo.parts.engine, GLOBEX)  # the environment's channels are Acme's
    return {first.team_id: first, second.team_id: second}


def map_own_channels(engine: Engine, seed: Seed) -> None:
    """The workspace's route channels, as its admin maps them with *Change settings*: its
    channel ids are its own (Slack's are unique across workspaces)."""
    own = {"sales": seed.sales, "marketing": seed.marketing, "product": seed.product}
    with session_scope(engine) as session:
        for route, channel in (own | {"coach": seed.coaches}).items():
            set_route_channel(session=session, route=route, channel_id=channel,
                              changed_by=seed.admin, team_id=seed.team_id)  # fmt: skip


def rooms_of(emulator: SlackEmulator) -> dict[str, str]:
    """A workspace's channels (seeded, and one for each route not seeded): id → name."""
    channels = emulator.workspace.channels.values()
    return {c.id: c.name for c in channels if c.kind == "channel"}


def install(app_url: str, team_id: str) -> None:
    """/slack/install → Slack's authorize page (approved by the workspace's admin) → the
    app's redirect, which keeps the workspace's token; as an admin's browser goes."""
    browser = _Browser()
    page = browser.get(f"{app_url}/slack/install?team={team_id}")
    link = INSTALL_LINK.search(page)
    if link is None:
        raise RuntimeError(f"the install page offers no link to Slack: {page[:200]}")
    back = browser.redirect(html.unescape(link[1]))
    if "Thank you" not in browser.get(back):
        raise RuntimeError(f"installing the demo app in {team_id} failed")


def switch(demo: Demo, rest: str) -> None:
    """/team globex: you are now in that workspace (same people, its own messages)."""
    wanted = rest.strip().lower()
    place = next((p for p in demo.places.values()
                  if wanted and wanted in (p.name.lower(), p.team_id.lower())), None)  # fmt: skip
    if place is None:
        names = ", ".join(p.name.lower() for p in demo.places.values())
        demo.screen.say(f"which workspace? try {names}" if len(demo.places) > 1 else
                        "one workspace only: start with `valuescout demo --workspaces 2`")
        return
    demo.enter(place)
    demo.screen.say(f"you are now in {place.name} ({place.team_id}), as {demo.names[demo.user]}")
    demo.show_unseen_ephemerals()


def first_place(demo: Demo) -> Place:
    """The demo's own workspace, Acme."""
    return Place(SEED.team_name.split()[0], SEED.team_id, demo.emulator, demo.driver, demo.screen)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # each hop is followed by hand, with the state cookie


class _Browser:
    """Just enough of a browser for the install: one cookie (Bolt's state), no auto-redirects."""

    def __init__(self) -> None:
        self._opener = urllib.request.build_opener(_NoRedirects)
        self._cookie = ""

    def get(self, url: str) -> str:
        return self._open(url)[1]

    def redirect(self, url: str) -> str:
        """Where a 302 sends the browser."""
        headers, _page = self._open(url)
        return headers["Location"]

    def _open(self, url: str):
        request = urllib.request.Request(url, headers={"Cookie": self._cookie})
        try:
            with self._opener.open(request, timeout=10) as response:
                headers, body = response.headers, response.read()
        except urllib.error.HTTPError as answer:  # the 302, or an error page
            headers, body = answer.headers, answer.read()
        for cookie in headers.get_all("Set-Cookie") or []:
            self._cookie = cookie.split(";")[0]
        return headers, body.decode()
