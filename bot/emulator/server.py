"""SlackEmulator: a real HTTP Slack Web API on 127.0.0.1, stateful, recorded, with faults."""

from __future__ import annotations

import contextlib
import copy
import logging
import socket
import threading
import time
from collections.abc import Callable
from http.server import ThreadingHTTPServer
from typing import Any

from bot.emulator.api import METHODS
from bot.emulator.clone import clone
from bot.emulator.common import Caller
from bot.emulator.errors import ApiError
from bot.emulator.faults import Faults
from bot.emulator.handler import EmulatorRequestHandler
from bot.emulator.installs import OAuthApp, Teams
from bot.emulator.recording import Call, CallLog, redact
from bot.emulator.response_urls import ResponseUrlPost, ResponseUrls
from bot.emulator.seed import SEED, Seed
from bot.emulator.workspace import MessageListener, Workspace
from bot.manifest import BOT_SCOPES

logger = logging.getLogger(__name__)

Answer = tuple[int, dict[str, str], Any]


class SlackEmulator:
    """Point `WebClient(base_url=emulator.api_url, token=SEED.bot_token)` at it, unchanged."""

    def __init__(
        self, *, seed: Seed = SEED, clock: Callable[[], float] = time.time, host: str = "127.0.0.1"
    ) -> None:
        self.seed = seed
        self.clock = clock
        self.workspace = Workspace(seed, clock=clock)
        self.faults = Faults()
        self.response_urls = ResponseUrls(self.workspace)
        self.teams = Teams(self.workspace, clock)
        # Each workspace's view of this emulator (the same server, calls and faults).
        self._views: dict[str, SlackEmulator] = {seed.team_id: self}
        self._primary = self  # the one that serves: views share its server
        self._log = CallLog()
        self._host = host
        # What the app was granted at install: Slack names them in an x-oauth-scopes header on
        # every answer to a token (a test removes one to see `doctor` notice).
        self.scopes: list[str] = list(BOT_SCOPES)
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ----------------------------------------------------------------

    def start(self) -> SlackEmulator:
        """Listen on a free port and serve from a daemon thread."""
        handler = type("Handler", (EmulatorRequestHandler,), {"emulator": self})
        self._server = _Server((self._host, 0), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.02,), name="slack-emulator", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, close the connections clients keep open, and free the port."""
        if self._server is not None:
            self._server.shutdown()
            self._server.close_connections()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> SlackEmulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        """`http://127.0.0.1:PORT/`."""
        server = self._primary._server
        if server is None:
            raise RuntimeError("the emulator is not started")
        return f"http://{self._host}:{server.server_address[1]}/"

    @property
    def api_url(self) -> str:
        """The Web API base URL with its trailing slash, as slack_sdk expects."""
        return self.base_url + "api/"

    @property
    def connections_opened(self) -> int:
        """TCP connections clients opened so far (a client that keeps them alive opens few)."""
        return self._server.connections_opened if self._server is not None else 0

    # -- several workspaces and installs -------------------------------------------

    def add_team(self, seed: Seed) -> SlackEmulator:
        """A further workspace (in a Grid organisation when its seed names one): the same
        server, answering the tokens installed there; returns that workspace's view."""
        view = copy.copy(self)
        view.workspace = self.teams.add(seed)
        view.seed, view.response_urls = seed, ResponseUrls(view.workspace)
        self._views[seed.team_id] = view
        return view

    def team(self, team_id: str) -> SlackEmulator:
        """The view of one workspace: its messages, DMs, views and people."""
        return self._views[team_id]

    def accept_installs(self, *, client_id: str, client_secret: str, redirect_url: str) -> None:
        """The app is distributed: its credentials and its Redirect URL (/slack/oauth_redirect)."""
        self.teams.oauth = OAuthApp(client_id, client_secret, redirect_url)

    def install_approved_by(self, team_or_enterprise: str, user: str) -> None:
        """Who approves the next installs of a workspace or organisation (Slack's OAuth
        answer names them as the installing user); its seeded admin by default."""
        with self.workspace.transaction():
            self.teams.approvers[team_or_enterprise] = user

    def authorize_url(self) -> str:
        """Slack's install page (`/oauth/v2/authorize`) on this server."""
        return self.base_url + "oauth/v2/authorize"

    def answer_authorize(self, query: dict[str, str]) -> Answer:
        """The install page, approved: a redirect back to the app with a code and its state."""
        with self.workspace.transaction():
            return self.teams.authorize(query)

    def uninstall(self, team_or_enterprise: str) -> None:
        """Remove the app from a workspace or organisation: the tokens issued stop working
        (send the app the `app_uninstalled` event with that workspace's driver)."""
        with self.workspace.transaction():
            self.teams.uninstall(team_or_enterprise)

    # -- answering (called from the HTTP handler) ---------------------------------

    def answer_api(self, method: str, params: dict[str, Any], token: str | None) -> Answer:
        """Answer one Web API call: latency, method, auth, faults, then the method itself."""
        time.sleep(self.faults.delay_for(method))
        status, headers, body = self._answer_api(method, params, token)
        self._log.record(Call(method, redact(params), status, body, self.clock()))
        return status, headers, body

    def _answer_api(self, method: str, params: dict[str, Any], token: str | None) -> Answer:
        if method == "oauth.v2.access":  # the app's credentials, not a token
            with self.workspace.transaction():
                return 200, {}, self.teams.access(params)
        handler = METHODS.get(method)
        if handler is None:
            return 200, {}, {"ok": False, "error": "unknown_method", "req_method": method}
        if not token:
            return 200, {}, {"ok": False, "error": "not_authed"}
        with self.workspace.transaction():
            found = self.teams.resolve(token, params.get("team_id"))
        if isinstance(found, str):
            return 200, {}, {"ok": False, "error": found}
        workspace, user = found
        fault = self.faults.fault_for(method, params)
        if fault is not None:
            return fault.status, fault.headers, fault.body
        granted = {"x-oauth-scopes": ",".join(self.scopes)}
        try:
            with workspace.transaction() as ws:
                answer = handler(ws, params, Caller(user, self.base_url))
                return 200, granted, {"ok": True, **answer}
        except ApiError as exc:
            return 200, granted, exc.body()
        except Exception:  # a bug in the emulator must show up in the test, not hang it
            logger.exception("emulator failed answering %s", method)
            return 500, {}, {"ok": False, "error": "internal_error"}

    def answer_upload(self, file_id: str, data: bytes) -> Answer:
        """Accept the bytes of a v2 upload, as files.slack.com does (into the workspace whose
        token asked for the upload URL)."""
        with self.workspace.transaction():
            owner = self.teams.holding_file(file_id) or self.workspace
        try:
            with owner.transaction() as ws:
                ws.files.store_bytes(file_id, data)
        except ApiError as exc:
            return 404, {}, exc.error
        return 200, {}, f"OK - {len(data)}"

    def answer_response_url(self, url_id: str, payload: Any) -> Answer:
        """Record (and apply) a post to a response URL."""
        if not isinstance(payload, dict):
            return 400, {}, {"ok": False, "error": "invalid_payload"}
        known = [v.response_urls for v in self._views.values() if v.response_urls.knows(url_id)]
        try:
            (known or [self.response_urls])[0].receive(url_id, payload)
        except ApiError as exc:
            return (404 if exc.error == "invalid_url" else 200), {}, exc.body()
        return 200, {}, {"ok": True}

    # -- recording ----------------------------------------------------------------

    @property
    def calls(self) -> list[Call]:
        """A copy of every Web API call answered so far, oldest first."""
        return self._log.all()

    def calls_to(self, method: str) -> list[Call]:
        """Calls to one Web API method, oldest first."""
        return self._log.to(method)

    def wait_for_call(
        self, method: str, predicate: Callable[[Call], bool] | None = None, timeout: float = 5.0
    ) -> Call:
        """The first call to `method` matching `predicate`; AssertionError listing calls if none."""
        return self._log.wait_for(method, predicate, timeout)

    def reset_calls(self) -> None:
        """Forget recorded calls (state such as messages is kept)."""
        self._log.reset()

    # -- state for tests and the demo ---------------------------------------------

    def messages(self, channel_id: str) -> list[dict]:
        """Messages in a channel (or a user's DM), top-level and replies, oldest first."""
        return self.workspace.messages(channel_id)

    def message(self, channel_id: str, ts: str) -> dict:
        """A copy of one message (`message_not_found` ApiError when absent)."""
        with self.workspace.transaction() as ws:
            return clone(ws.find_message(channel_id, ts))

    def ephemerals(self, channel_id: str) -> list[dict]:
        """Ephemeral messages shown in a channel, oldest first; each has `to_user`."""
        return self.workspace.ephemerals(channel_id)

    def dm_channel_for(self, user_id: str) -> str:
        """The stable id of the bot's DM with a user."""
        return self.workspace.dm_channel_for(user_id)

    def view(self, view_id: str) -> dict:
        """A copy of a view as the emulator holds it."""
        with self.workspace.transaction() as ws:
            return ws.views.get(view_id)

    def home_view(self, user_id: str) -> dict | None:
        """The App Home view published for a user, if any."""
        with self.workspace.transaction() as ws:
            return ws.views.home(user_id)

    def modal_stack(self, user_id: str) -> list[dict]:
        """The user's open modals, root first."""
        with self.workspace.transaction() as ws:
            return ws.views.stack(user_id)

    def file_bytes(self, file_id: str) -> bytes:
        """The bytes uploaded for a file."""
        with self.workspace.transaction() as ws:
            return ws.files.data(file_id)

    def file_info(self, file_id: str) -> dict:
        """A file's metadata (name, title, mimetype, size, shares)."""
        with self.workspace.transaction() as ws:
            return ws.files.info(file_id)

    def on_message(self, callback: MessageListener) -> None:
        """Call `callback(channel_id, message, kind)` outside the lock for every message event.

        kind is "posted", "updated", "deleted", "ephemeral" or "user" (sent by the driver).
        """
        self.workspace.subscribe(callback)

    def mint_trigger_id(self, user_id: str = "") -> str:
        """A fresh trigger id (valid 3 s, single use), as Slack sends with an interaction."""
        return self.workspace.mint_trigger_id(user_id)

    def mint_response_url(
        self, channel_id: str | None, user_id: str | None, message_ts: str | None = None
    ) -> str:
        """A response URL on this server for an interaction in a channel."""
        url_id = self.response_urls.mint(channel_id, user_id, message_ts)
        return f"{self.base_url}response_url/{url_id}"

    @property
    def response_url_posts(self) -> list[ResponseUrlPost]:
        """Every payload posted to a response URL, oldest first."""
        return self.response_urls.posts()


class _Server(ThreadingHTTPServer):
    """Slack takes bursts: a listen backlog of 128 rather than socketserver's 5. Remembers
    its open (kept-alive) connections so that stopping can close them."""

    request_queue_size = 128

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        self.connections_opened = 0

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._connections_lock:
            self._connections.add(request)
            self.connections_opened += 1
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._connections_lock:
            self._connections.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        """End every open connection: its thread, waiting for a next request, then stops."""
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
