"""The demo session: the real app wired to the emulator, and a person typing at it."""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path

from sqlmodel import select

from bot.app import after_ack_work
from bot.cli.demo import acting, clock, history, modals
from bot.cli.demo.help import HELP, unknown
from bot.cli.demo.screen import Kind, Screen, Surface
from bot.cli.demo.workspaces import Place, first_place, open_workspaces, rooms_of, switch
from bot.cli.runtime import compose, prepare_database, start_scheduler
from bot.config import workspace_settings
from bot.domain.themes import load_network
from bot.emulator import SEED, SlackDriver, SlackEmulator
from bot.rendering.ids import Command as Slash
from bot.settings import Settings
from bot.web import LocalServer, build_wsgi_app
from storage.engine import read_scope
from storage.enums import OutboxStatus
from storage.models import OutboxMessage
from storage.types import utc_now

Command = Callable[["Demo", str], None]


class Demo:
    """The app wired to the emulator, and a person talking to it."""

    def __init__(
        self, settings: Settings, emulator: SlackEmulator, *, out: Callable, files: Path | None,
        workspaces: int = 1,
    ) -> None:  # fmt: skip
        self.emulator, self.settings, self._files = emulator, settings, files
        self.names = {p.id: p.real_name for p in SEED.people} | {SEED.bot_user_id: "Value Scout"}
        self.names |= rooms_of(emulator)
        self.user, self.skipped = SEED.scout, timedelta(0)
        self.screen, self.form = Screen(self.names, out), modals.Form()
        self.network = load_network()
        self.parts = compose(settings, engine=prepare_database(settings))
        self.parts.delivery.start()
        # The demo is the scheduler (with its heartbeat: App Home's set-up checks look for one).
        self.scheduler = start_scheduler(self.parts, kind="demo")
        secret = settings.signing_secret.get_secret_value()  # type: ignore[union-attr]
        app = build_wsgi_app(
            bolt_app=self.parts.app, engine=self.parts.engine, signing_secret=secret
        )
        self.server = LocalServer(app).start()
        self.driver = SlackDriver(self.server.url, secret, emulator=emulator)
        self._homes: dict[str, str | None] = {}  # the hash of each Home tab last shown
        self.team = SEED.team_id  # the workspace you are in
        self.places = {self.team: first_place(self)}
        if workspaces > 1:  # installed by OAuth, as a deployment for several would be
            self.places = open_workspaces(self, self.places[self.team])
        for team, place in self.places.items():
            place.emulator.on_message(partial(self._arrived_in, team))

    @property
    def oauth(self) -> bool:
        """Whether the workspaces are installed by OAuth (the demo of several)."""
        return self.settings.oauth_configured

    def enter(self, place: Place) -> None:
        """Be in another workspace: its Slack, its signed requests, what it has shown you."""
        self.team, self.emulator, self.driver, self.screen = (
            place.team_id, place.emulator, place.driver, place.screen,
        )  # fmt: skip
        self._homes.clear()

    def settings_here(self) -> Settings:
        """The settings as the workspace you are in sees them: its own time zone."""
        with read_scope(self.parts.engine) as session:
            return workspace_settings(session=session, settings=self.settings,
                                      team_id=self.team if self.oauth else "")  # fmt: skip

    def client_here(self):
        """The app's client for the workspace you are in (its own token, installed by OAuth)."""
        return self.parts.clients.for_team(self.team) if self.oauth else self.parts.client

    def chat(self, lines: Iterable[str], *, user: str | None) -> None:
        """Handle each input line: a DM to the bot, or a demo command."""
        self.user = self.person(user) or SEED.scout
        self.screen.out(HELP.format(name=self.names[self.user]) + "\n\n")
        for line in lines:
            if line.strip() in ("/quit", "/exit"):
                break
            self.handle(line.strip())
            self.wait_until_quiet()

    def stop(self) -> None:
        """Stop serving and delivering."""
        self.server.stop()
        if self.scheduler is not None:
            self.scheduler.shutdown(wait=False)
        self.parts.delivery.stop(timeout=5)

    def handle(self, line: str) -> None:
        """A line that starts with / is a demo command (or /scout); anything else is a DM."""
        command, _, rest = line.partition(" ")
        if not line:
            return
        if not command.startswith("/"):
            self.driver.message(self.user, line)
        elif command in COMMANDS:
            COMMANDS[command](self, rest)
        else:
            self.screen.out(unknown(command, list(COMMANDS)))

    def files(self) -> Path:
        """Where the demo saves what it makes (the coach chart): the folder it was given, else a
        temporary one made when first needed, never the current directory."""
        if self._files is None:
            self._files = Path(tempfile.mkdtemp(prefix="valuescout-demo-"))
        self._files.mkdir(parents=True, exist_ok=True)
        return self._files

    def now(self) -> datetime:
        """The demo's clock: the real one, plus the time let pass with /wait."""
        return utc_now() + self.skipped

    def after_action(self, surface: Surface | None = None) -> None:
        """Let the bot answer, then show a form it opened and a Home tab it changed."""
        self.wait_until_quiet()
        modals.show_modal(self)
        if surface is not None and surface.kind is Kind.HOME:
            self.show_home(again=False)

    def show_home(self, *, again: bool = True) -> None:
        """The person's App Home tab (only when it changed, unless asked again)."""
        view = self.emulator.home_view(self.user)
        if view is None:
            self.screen.say("(the App Home is empty)")
        elif again or self._homes.get(self.user) != view.get("hash"):
            self._homes[self.user] = view.get("hash")
            surface = Surface(Kind.HOME, view_id=view["id"], owner=self.user)
            self.screen.show("App Home · Value Scout", view, surface)

    def wait_until_quiet(self, *, quiet: float = 0.3, limit: float = 10.0) -> None:
        """Let the bot finish answering before the next prompt: the work after each ack done,
        nothing about to be delivered, and Slack left alone for a moment."""
        work = after_ack_work(self.parts.app)
        deadline, seen, since = time.monotonic() + limit, -1, time.monotonic()
        while time.monotonic() < deadline:
            count, busy = len(self.emulator.calls), not work.wait_idle(0) or self._outbox_due()
            if count != seen or busy:
                seen, since = count, time.monotonic()
            elif time.monotonic() - since >= quiet:
                return
            time.sleep(0.05)

    def _outbox_due(self) -> bool:
        """Whether delivery has a message due now or within its pacing interval."""
        soon = utc_now() + timedelta(seconds=1.5)
        with read_scope(self.parts.engine) as session:
            return (
                session.exec(
                    select(OutboxMessage.id)
                    .where(
                        OutboxMessage.status == OutboxStatus.PENDING,
                        OutboxMessage.next_attempt_at <= soon,
                    )
                    .limit(1)
                ).first()
                is not None
            )

    # -- who and where ----------------------------------------------------------------

    def person(self, who: str | None) -> str | None:
        """A seeded person by id, short name or full name."""
        key = (who or "").strip().lower()
        for person in SEED.people:
            if key and key in (person.id.lower(), person.name, person.real_name.lower()):
                return person.id
        return None

    def channel_named(self, name: str) -> str | None:
        """A channel by #name, name or id."""
        key = name.strip().removeprefix("#").lower()
        return next((id_ for id_, room in self.rooms.items() if key in (room, id_.lower())), None)

    @property
    def rooms(self) -> dict[str, str]:
        """The channels of the workspace you are in, by id: their names."""
        return rooms_of(self.emulator)

    def room_ids(self) -> list[str]:
        """The workspace's channels."""
        return list(self.rooms)

    def dm_owner(self, channel_id: str | None) -> str | None:
        """Whose DM with the bot a channel is (None for a channel)."""
        if not channel_id or not channel_id.startswith("D"):
            return None
        return next(
            (p for p in SEED.people_ids if self.emulator.dm_channel_for(p) == channel_id), None
        )

    def where(self, channel_id: str) -> str:
        """#channel, your DM with the bot, or someone else's (the demo shows them all)."""
        owner = self.dm_owner(channel_id)
        if not channel_id.startswith("D"):
            return f"#{self.names[channel_id]}"
        if owner == self.user or owner is None:
            return "direct message"
        return f"direct message to {self.names[owner]}"

    # -- what arrives -----------------------------------------------------------------

    def _arrived_in(self, team: str, channel_id: str, message: dict, kind: str) -> None:
        """What the bot posts in a workspace shows while you are in it."""
        if team == self.team:
            self._arrived(channel_id, message, kind)

    def _arrived(self, channel_id: str, message: dict, kind: str) -> None:
        """Print what the bot posts, where it lands, as the Slack client would show it."""
        where = self.where(channel_id)
        if kind == "ephemeral":
            if message.get("to_user") == self.user:  # others' ephemerals are theirs alone
                self._show_ephemeral(channel_id, message)
            return
        if kind not in ("posted", "updated", "deleted") or message.get("user") != SEED.bot_user_id:
            return
        surface = Surface(Kind.MESSAGE, channel_id, message["ts"])
        if kind == "deleted":
            if self.screen.known(surface):
                self.screen.say(f"({self.screen.handle(surface)} in {where} was deleted)")
            return
        self.screen.redrawn(surface)
        edited = " (edited)" if kind == "updated" else ""
        thread = " (in thread)" if message.get("thread_ts") not in (None, message["ts"]) else ""
        self.screen.show(f"{where} · Value Scout{edited}{thread}", message, surface)
        for shared in message.get("files") or []:  # the coach digest's chart
            self.screen.say(f"[image: {shared.get('title') or shared.get('name')}]")

    def _show_ephemeral(self, channel_id: str, message: dict) -> None:
        surface = Surface(Kind.EPHEMERAL, channel_id, message["ts"], owner=self.user)
        where = f"{self.where(channel_id)} · only visible to you · Value Scout"
        self.screen.show(where, message, surface)

    def show_unseen_ephemerals(self) -> None:
        """Ephemerals meant for the person now playing that arrived while they were not."""
        for channel in [self.emulator.dm_channel_for(self.user), *self.room_ids()]:
            for message in self.emulator.ephemerals(channel):
                surface = Surface(Kind.EPHEMERAL, channel, message["ts"], owner=self.user)
                if message.get("to_user") == self.user and not self.screen.known(surface):
                    self._show_ephemeral(channel, message)


def _switch(demo: Demo, who: str) -> None:
    person = demo.person(who)
    if person is None:
        demo.screen.say(f"nobody called {who!r} here; try sam, alex, dana, sally or casey")
        return
    demo.user = person
    demo.screen.say(f"you are now {demo.names[person]}")
    demo.show_unseen_ephemerals()


def _help(demo: Demo, rest: str) -> None:
    demo.screen.out(HELP.format(name=demo.names[demo.user]) + "\n")


COMMANDS: dict[str, Command] = {
    "/use": acting.use, "/click": acting.click,
    "/say": acting.say, "/shortcut": acting.shortcut,
    "/set": modals.set_field, "/submit": modals.submit, "/close": modals.close,
    Slash.SCOUT.value: acting.scout, "/home": acting.home,
    "/as": _switch, "/wait": clock.wait,
    "/channels": history.channels, "/digest": history.digest, "/sample": history.sample,
    "/team": switch, "/help": _help, "/quit": lambda demo, rest: None,
}  # fmt: skip
