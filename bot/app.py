"""build_app(): the Bolt app with its middleware, listeners and one error handler."""

from __future__ import annotations

import contextvars
import copy
import json
import logging
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor

from slack_bolt import App, BoltContext, BoltRequest, BoltResponse
from slack_bolt.listener.thread_runner import ThreadListenerRunner
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk import WebClient
from sqlalchemy import Engine

import prompts
from bot import listeners
from bot.dialogue.turns import DialogueRules
from bot.discoveries.delivery import DeliveryWorker
from bot.installs.oauth import RequestTeams
from bot.listeners.support import SORRY, RequestPeople
from bot.logs import new_reference, quiet_uninstalled_workspaces
from bot.metrics.meters import observe_ack, request_kind
from bot.services import Services
from bot.settings import Settings
from bot.wording import say
from storage.types import utc_now

log = logging.getLogger(__name__)
# Threads for the work after the ack (Web API calls wait on Slack). More is not faster: the
# work is mostly Python, and every runnable thread is one more the request thread queues
# behind for the GIL before it can ack. Ack p99 under Gunicorn, 2 workers, 50 scouts
# (bench/dialogue.py --only gunicorn): 16 threads 234-239 ms, 8 threads 71-78 ms, 4 threads
# 122-201 ms (too few to keep the cores busy while some wait on Slack).
WORKER_THREADS = 8


def build_app(
    *,
    settings: Settings,
    client: WebClient,
    engine: Engine,
    rules: DialogueRules,
    delivery: DeliveryWorker | None = None,
    verify_token: bool = True,
    oauth: OAuthSettings | None = None,
) -> App:
    """Build the app; nothing Slack-facing is created at import time. With `oauth`, any
    number of workspaces install it (/slack/install) and each request is authorized by its
    workspace's stored token; without, the client's token serves the one workspace."""
    secret = settings.signing_secret.get_secret_value() if settings.signing_secret else None
    app = MeasuredApp(
        client=client,
        signing_secret=secret,
        token_verification_enabled=verify_token,
        oauth_settings=oauth,
        # A command from a workspace whose install is gone (Bolt answers it, in our words).
        user_facing_authorize_error_message=say("install_missing") if oauth else None,
        # Ack functions run in the request thread and answer at once; the work runs in lazy
        # listeners after the response (Bolt's other mode queues even the ack behind the pool).
        process_before_response=True,
        listener_executor=AfterAckExecutor(WORKER_THREADS, thread_name_prefix="after-ack"),
    )
    shared = Services(settings=settings, engine=engine, default_rules=rules, delivery=delivery)
    teams = RequestTeams(client=client, engine=engine, oauth=oauth is not None)
    app.use(_provide(shared, teams))
    if oauth is not None:  # app_uninstalled, tokens_revoked: that workspace's tokens go
        app.enable_token_revocation_listeners()
        quiet_uninstalled_workspaces()
    listeners.register(app)
    app.error(handle_error)
    return app


class MeasuredApp(App):
    """The Bolt app, timing each request to its ack: HTTP and Socket Mode both dispatch here,
    and with process_before_response the ack is what dispatch returns."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._listener_runner.__class__ = SharingListenerRunner  # its state is Bolt's own

    def dispatch(self, req: BoltRequest) -> BoltResponse:
        """Dispatch as Bolt does, and record the time to the ack by the request's kind."""
        started = time.perf_counter()
        shared_prompts = prompts.use_workspace(None)  # until the middleware knows the team
        try:
            return super().dispatch(req)
        finally:
            prompts.reset_workspace(shared_prompts)
            observe_ack(request_kind(req.body or {}), time.perf_counter() - started)


class SharingListenerRunner(ThreadListenerRunner):
    """Bolt's listener runner, handing each lazy listener the request as it stands instead of
    a deep copy of it.

    Bolt parses the raw body again and deep-copies the request with its context for every
    lazy listener, in the request thread before the response: about a third of the CPU
    before the ack (bench/dialogue_profile.py). Nothing changes a request once its ack
    function has run (the request thread only returns the response; listeners read), so the
    lazy listener gets a request of its own whose context is a new dict of the same values
    (what an ack function put there included) and whose parsed body is shared.
    """

    def _build_lazy_request(self, request: BoltRequest, lazy_func_name: str) -> BoltRequest:
        lazy = copy.copy(request)
        lazy.context = BoltContext(dict(request.context))
        lazy.context["listener_runner"] = self
        lazy.lazy_only, lazy.lazy_function_name = True, lazy_func_name
        return lazy


class AfterAckExecutor(ThreadPoolExecutor):
    """The pool for work after the ack, which can say when it has nothing left to do."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._pending = 0
        self._idle = threading.Condition()

    def submit(self, fn, /, *args, **kwargs) -> Future:
        """Queue work, counting it until it has finished."""
        with self._idle:
            self._pending += 1
        # The work runs in the context it was queued from: the request's workspace's prompts.
        future = super().submit(contextvars.copy_context().run, fn, *args, **kwargs)
        future.add_done_callback(self._finished)
        return future

    def _finished(self, _future: Future) -> None:
        with self._idle:
            self._pending -= 1
            self._idle.notify_all()

    def wait_idle(self, timeout: float) -> bool:
        """Wait until no work is queued or running (for a clean stop, and for tests)."""
        with self._idle:
            return self._idle.wait_for(lambda: self._pending == 0, timeout)


def after_ack_work(app: App) -> AfterAckExecutor:
    """The app's pool for work after the ack."""
    return app.listener_runner.listener_executor


def _provide(shared: Services, teams: RequestTeams):
    """Middleware that gives every listener the services (database, settings, delivery), who is
    acting, the request's time, and the app's client with the workspace's token: Bolt would
    hand each request a WebClient of its own, and with it a new connection per call."""

    def provide(context: BoltContext, body: dict, next) -> None:
        # An org-wide install's event names the workspace only in its envelope (Bolt's
        # context.team_id stays None: the uninstall listener deletes the org's token by it).
        team_id = teams.workspace_of(context, body)
        prompts.use_workspace(team_id)  # its own copy of prompts/, if it has one
        context["services"] = shared
        context["client"] = teams.client_for(context, team_id)
        context["people"] = RequestPeople(shared, context.user_id, team_id)  # read when asked
        context["now"] = utc_now()
        next()

    return provide


def handle_error(error: Exception, body: dict, response: BoltResponse | None) -> None:
    """Log an ack function's failure with a reference; a slash command shows it to the person."""
    reference = new_reference()
    log.exception("request failed (ref %s, type %s)", reference, body.get("type"), exc_info=error)
    if response is not None and body.get("command"):
        # No Web API call here: the request is still open. The answer carries the apology.
        response.status = 200
        response.body = json.dumps(
            {"response_type": "ephemeral", "text": SORRY.format(ref=reference)}
        )
        response.headers["content-type"] = ["application/json;charset=utf-8"]
