"""`valuescout demo`: the real app on the built-in Slack emulator, as a terminal chat."""

from __future__ import annotations

import secrets
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from bot.cli.forms import fields_of, typed_value, view_state
from bot.cli.runtime import compose, prepare_database, scheduled_jobs
from bot.cli.sample import add_sample_history
from bot.cli.terminal import blocks_as_lines, find_button
from bot.digests.jobs import build_week, send_digests
from bot.digests.model import Week
from bot.discoveries.themes import load_network
from bot.emulator import SEED, SlackDriver, SlackEmulator
from bot.rendering.ids import Command
from bot.scheduler import build_scheduler
from bot.settings import Settings, load_settings
from bot.web import LocalServer, build_wsgi_app
from storage.engine import session_scope
from storage.queries import route_channels
from storage.types import utc_now

DEMO_DATABASE = "sqlite:///valuescout-demo.db"
DIGESTS = ("sales", "marketing", "product", "coach", "scout")
HELP = """You are {name}, a scout at Acme Corp, in a direct message with Value Scout.
Type a message to talk to the bot, or:
  /click LABEL [n]  click a button, e.g. /click Partly, /click Edit 3, /click Submit
  /set N ANSWER   fill field N of an open form   /submit, /close   send or close the form
  /scout help     the slash command's help     /home       open the App Home tab
  /as NAME        play someone else (sam, alex, dana, sally, casey)
  /channels       what landed in each channel  /help       this text
  /digest [route] this week's digests so far, sent now (sales, marketing, product, coach, scout)
  /sample         add 12 weeks of sample history, so the digests have something to show
  /quit           leave (Ctrl-D works too)"""


def run_demo(settings: Settings, *, user: str | None = None, lines=None, out=None) -> int:
    """Start the emulator and the app on loopback, then chat until the input ends."""
    out = out or sys.stdout
    with SlackEmulator() as emulator:
        demo = Demo(settings, emulator, out=out.write)
        try:
            demo.chat(lines if lines is not None else _prompted(demo), user=user)
        finally:
            demo.stop()
    return 0


class Demo:
    """The app wired to the emulator, and a person talking to it."""

    def __init__(self, settings: Settings, emulator: SlackEmulator, *, out: Callable) -> None:
        self.emulator, self.out = emulator, out
        self.names = {p.id: p.real_name for p in SEED.people} | {SEED.bot_user_id: "Value Scout"}
        self.names |= {room.id: room.name for room in SEED.rooms}
        self.settings = _demo_settings(settings, emulator)
        self.user = SEED.scout
        parts = compose(self.settings, engine=prepare_database(self.settings))
        self.parts = parts
        self.delivery = parts.delivery
        self.delivery.start()
        self.scheduler = build_scheduler(settings=self.settings, jobs=scheduled_jobs(parts))
        self.scheduler.start()
        secret = self.settings.signing_secret.get_secret_value()  # type: ignore[union-attr]
        app = build_wsgi_app(bolt_app=parts.app, engine=parts.engine, signing_secret=secret)
        self.server = LocalServer(app).start()
        self.driver = SlackDriver(self.server.url, secret, emulator=emulator)
        self._lock = threading.Lock()
        self._shown_modal: str | None = None  # the open form already printed
        self._answers: dict[str, object] = {}  # what /set filled in on it
        emulator.on_message(self._show)

    def chat(self, lines, *, user: str | None) -> None:
        """Handle each input line: a DM to the bot, or a demo command."""
        self.user = self._person(user) or SEED.scout
        self.out(HELP.format(name=self.names[self.user]) + "\n\n")
        for line in lines:
            if line.strip() in ("/quit", "/exit"):
                break
            self._handle(line.strip())
            self._wait_until_quiet()

    def stop(self) -> None:
        """Stop serving and delivering."""
        self.server.stop()
        self.scheduler.shutdown(wait=False)
        self.delivery.stop(timeout=5)

    def _handle(self, line: str) -> None:
        if not line:
            return
        command, _, rest = line.partition(" ")
        if command == Command.SCOUT:
            response = self.driver.command(Command.SCOUT.value, rest, user=self.user)
            self._show_ephemeral(response.json if response.body else {})
            self._wait_until_quiet()
            self._show_modal()
        elif command == "/click":
            self._click(rest)
            self._wait_until_quiet()
            self._show_modal()
        elif command in ("/set", "/submit", "/close"):
            self._form(command, rest)
        elif command == "/home":
            self.driver.app_home_opened(self.user)
            self._wait_until_quiet()
            self._show_home()
        elif command == "/as":
            self._switch(rest)
        elif command == "/channels":
            self._list_channels()
        elif command == "/digest":
            self._digest(rest)
        elif command == "/sample":
            self._sample()
        elif command == "/help":
            self.out(HELP.format(name=self.names[self.user]) + "\n")
        else:
            self.driver.message(self.user, line)

    def _show(self, channel_id: str, message: dict, kind: str) -> None:
        """Print what the bot posts, where it lands, as the Slack client would show it."""
        where = self._where(channel_id)
        if kind == "ephemeral":
            self._print_message(f"{where} · only visible to you · Value Scout", message)
            return
        if kind not in ("posted", "updated") or message.get("user") != SEED.bot_user_id:
            return
        edited = " (edited)" if kind == "updated" else ""
        thread = " (in thread)" if message.get("thread_ts") not in (None, message.get("ts")) else ""
        self._print_message(f"{where} · Value Scout{edited}{thread}", message)
        for shared in message.get("files") or []:  # the coach digest's chart
            self.out(f"   [image: {shared.get('title') or shared.get('name')}]\n")

    def _where(self, channel_id: str) -> str:
        """#channel, your DM with the bot, or someone else's (the demo shows them all)."""
        if not channel_id.startswith("D"):
            return f"#{self.names[channel_id]}"
        if channel_id == self.emulator.dm_channel_for(self.user):
            return "direct message"
        owner = next(
            (p for p in SEED.people if self.emulator.dm_channel_for(p.id) == channel_id), None
        )
        return f"direct message to {owner.real_name}" if owner else "direct message"

    def _show_ephemeral(self, payload: dict) -> None:
        if payload.get("blocks") or payload.get("text"):
            self._print_message("only visible to you · Value Scout", payload)

    def _show_modal(self) -> None:
        """A form (modal) that is open: what it asks, numbered, and how to fill it here."""
        stack = self.emulator.modal_stack(self.user)
        if not stack or stack[-1]["id"] == self._shown_modal:
            return
        view, self._shown_modal, self._answers = stack[-1], stack[-1]["id"], {}
        title = view.get("title", {}).get("text", "a form")
        texts = [b for b in view["blocks"] if b.get("type") != "input"]
        if texts:
            self._print_message(f"a form opened: {title}", {**view, "blocks": texts})
        else:
            self.out(f"── a form opened: {title}\n")
        lines = [field.describe() for field in fields_of(view)]
        lines.append("fill a field with /set N ANSWER, then /submit (or /close); unset fields keep")
        self.out("".join(f"   {line}\n" for line in lines[:-1]) + f"   ({lines[-1]} their value)\n")

    def _form(self, command: str, rest: str) -> None:
        """/set N ANSWER, /submit or /close on the open form."""
        stack = self.emulator.modal_stack(self.user)
        if not stack:
            self.out("no form is open\n")
        elif command == "/set":
            self._set(stack[-1], rest)
        elif command == "/close":
            self._close(stack[-1])
        else:
            self._submit(stack[-1])

    def _close(self, view: dict) -> None:
        """Close the form; Slack tells the app only if the form asked (notify_on_close)."""
        if view.get("notify_on_close"):
            self.driver.view_closed(user=self.user, view=view)
        else:
            with self.emulator.workspace.transaction() as workspace:
                workspace.views.close(view["id"])
        self._shown_modal = None
        self.out("   (form closed)\n")

    def _set(self, view: dict, rest: str) -> None:
        number, _, typed = rest.strip().partition(" ")
        fields = {str(field.number): field for field in fields_of(view)}
        field = fields.get(number)
        value = typed_value(field, typed) if field else None
        if field is None or value is None:
            hint = field.describe() if field else f"fields are 1 to {len(fields)}"
            self.out(f"   can't set that: {hint}\n")
            return
        self._answers[field.block_id] = value

    def _submit(self, view: dict) -> None:
        answer = self.driver.view_submission(
            user=self.user, view=view["id"], values=view_state(view, self._answers)
        )
        errors = (answer.json or {}).get("errors") if answer.body.strip() else None
        labels = {field.block_id: field for field in fields_of(view)}
        for block_id, error in (errors or {}).items():
            field = labels.get(block_id)
            self.out(f"   {field.number if field else '?'}. {error}\n")
        self._wait_until_quiet()
        self._show_modal()  # the next step, when the form moved on

    def _show_home(self) -> None:
        view = self.emulator.home_view(self.user)
        if view:
            self._print_message("App Home · Value Scout", view)
        else:
            self.out("(the App Home is empty)\n")

    def _print_message(self, heading: str, message: dict) -> None:
        lines = blocks_as_lines(message, self.names)
        with self._lock:
            self.out(f"── {heading}\n" + "".join(f"   {line}\n" for line in lines))

    def _click(self, words: str) -> None:
        """Click a button on the latest bot message in the DM that has one with that label."""
        label, _, number = words.strip().rpartition(" ")
        label, nth = (label, int(number)) if number.isdigit() and label else (words.strip(), 1)
        for channel in self._visible_channels():
            found = find_button(self.emulator.messages(channel), label, nth)
            if found is not None:
                message, block, button = found
                self.driver.block_action(
                    user=self.user, action_id=button["action_id"], value=button.get("value"),
                    block_id=block.get("block_id"), message=message, channel=channel,
                )  # fmt: skip
                return
        self.out(f"no button {label!r} here\n")

    def _visible_channels(self) -> list[str]:
        """Your DM with the bot first, then the channels, busiest last-posted first."""
        rooms = [room.id for room in SEED.rooms if self.emulator.messages(room.id)]
        rooms.sort(key=lambda room: self.emulator.messages(room)[-1]["ts"], reverse=True)
        return [self.emulator.dm_channel_for(self.user), *rooms]

    def _switch(self, who: str) -> None:
        person = self._person(who)
        if person is None:
            self.out(f"nobody called {who!r} here; try sam, alex, dana, sally or casey\n")
        else:
            self.user = person
            self.out(f"you are now {self.names[person]}\n")

    def _person(self, who: str | None) -> str | None:
        key = (who or "").strip().lower()
        for person in SEED.people:
            if key and key in (person.id.lower(), person.name, person.real_name.lower()):
                return person.id
        return None

    def _digest(self, which: str) -> None:
        """Send this week's digests so far (a demo's discoveries are from today) and show them."""
        only = which.strip().lower() or None
        if only is not None and only not in DIGESTS:
            self.out(f"no digest {only!r}; try {', '.join(DIGESTS)}\n")
            return
        now = utc_now()
        week = Week.of(now, self.settings.zone)
        digests = build_week(
            engine=self.parts.engine, settings=self.settings, network=load_network(),
            week=week, now=now, only=only,
        )  # fmt: skip
        # Forced: each /digest sends afresh, so the demo can show a digest again after changes.
        client, engine = self.parts.client, self.parts.engine
        sent = send_digests(engine=engine, client=client, digests=digests, now=now, force=True)
        self._wait_until_quiet()
        for digest, _outcome in sent:
            if digest.chart is not None:
                path = Path(digest.chart.filename).resolve()
                path.write_bytes(digest.chart.png)
                self.out(f"   (the chart “{digest.chart.title}” is also saved as {path})\n")
        failed = [f"{digest.name}: {outcome}" for digest, outcome in sent if outcome != "sent"]
        self.out("".join(f"   {line}\n" for line in failed) or ("" if sent else "no digests\n"))

    def _sample(self) -> None:
        """Twelve weeks of history in the database (not posted: it is the past)."""
        with session_scope(self.parts.engine) as session:
            channels = route_channels(session=session)
        added = add_sample_history(
            engine=self.parts.engine, team_id=SEED.team_id, channels=channels,
            network=load_network(), now=utc_now(), zone=self.settings.zone,
        )  # fmt: skip
        said = f"added {added} sample discoveries over 12 weeks" if added else "already added"
        self.out(f"   {said}; try /digest coach or /digest product\n")

    def _list_channels(self) -> None:
        for room in SEED.rooms:
            count = len(self.emulator.messages(room.id))
            self.out(f"   #{room.name}: {count} message{'s' * (count != 1)}\n")

    def _wait_until_quiet(self, *, quiet: float = 0.3, limit: float = 5.0) -> None:
        """Let the bot finish answering (it works after the ack) before the next prompt."""
        deadline, seen, since = time.monotonic() + limit, -1, time.monotonic()
        while time.monotonic() < deadline:
            count = len(self.emulator.calls)
            if count != seen:
                seen, since = count, time.monotonic()
            elif time.monotonic() - since >= quiet:
                return
            time.sleep(0.05)


def _demo_settings(settings: Settings, emulator: SlackEmulator) -> Settings:
    """The user's settings, pointed at the emulator and its seeded channels."""
    database = settings.database_url
    if database == Settings.model_fields["database_url"].default:
        database = DEMO_DATABASE  # keep demo data out of a real workspace's database
    return load_settings(
        SLACK_BOT_TOKEN=SEED.bot_token,
        SLACK_SIGNING_SECRET=secrets.token_hex(16),
        SLACK_APP_TOKEN="",
        SLACK_API_URL=emulator.api_url,
        DATABASE_URL=database,
        VALUESCOUT_SALES_CHANNEL=SEED.sales,
        VALUESCOUT_MARKETING_CHANNEL=SEED.marketing,
        VALUESCOUT_PRODUCT_CHANNEL=SEED.product,
        VALUESCOUT_COACH_CHANNEL=SEED.coaches,
        VALUESCOUT_ADMINS=SEED.admin,
        VALUESCOUT_TIMEZONE=settings.timezone,
        VALUESCOUT_DIGEST_SCHEDULE=settings.digest_schedule,
    )


def _prompted(demo: Demo):
    """Lines typed at a prompt that names who you are, until Ctrl-D."""
    while True:
        try:
            yield input(f"{demo.names[demo.user]} › ")
        except EOFError:
            demo.out("\n")
            return
