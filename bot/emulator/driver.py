"""SlackDriver: sends requests to an app's HTTP endpoint signed and shaped exactly as Slack's."""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from bot.emulator import payloads
from bot.emulator.controls import Control
from bot.emulator.errors import ApiError
from bot.emulator.payloads import Origin
from bot.emulator.seed import SEED

if TYPE_CHECKING:
    from bot.emulator.server import SlackEmulator


@dataclass(frozen=True)
class DriverResponse:
    """The app's answer, how long it took, and what was sent."""

    status: int
    headers: dict[str, str]
    body: str
    elapsed: float
    sent: dict[str, Any] | None = None

    @property
    def json(self) -> Any:
        """The body parsed as JSON (None when empty)."""
        return json.loads(self.body) if self.body else None


class SlackDriver:
    """Plays Slack: events, slash commands, actions, shortcuts and view submissions."""

    def __init__(
        self,
        url: str,
        signing_secret: str,
        *,
        emulator: SlackEmulator | None = None,
        team_id: str | None = None,
        api_app_id: str = SEED.app_id,
        timeout: float = 10.0,
        org_wide: bool = False,
    ) -> None:
        self.url = url
        self.emulator = emulator
        self.timeout = timeout
        self._secret = signing_secret.encode()
        seed = emulator.seed if emulator else SEED
        self.origin = Origin(
            team_id or seed.team_id, seed.team_domain, api_app_id, seed.bot_user_id,
            enterprise_id=seed.enterprise_id, org_wide=org_wide,
        )  # fmt: skip

    # -- transport ----------------------------------------------------------------

    def sign(self, body: bytes | str, timestamp: int | str | None = None) -> dict[str, str]:
        """`X-Slack-Request-Timestamp` and `X-Slack-Signature` (v0 HMAC-SHA256) for a body."""
        raw = body.encode() if isinstance(body, str) else body
        stamp = str(int(time.time()) if timestamp is None else timestamp)
        digest = hmac.new(self._secret, b"v0:" + stamp.encode() + b":" + raw, hashlib.sha256)
        return {"X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": "v0=" + digest.hexdigest()}

    def raw(self, body: bytes | str, headers: dict[str, str]) -> DriverResponse:
        """POST exactly these bytes and headers (for malformed or badly signed requests)."""
        data = body.encode() if isinstance(body, str) else body
        request = urllib.request.Request(self.url, data=data, headers=headers, method="POST")
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as resp:
                status, head, text = resp.status, dict(resp.headers), resp.read()
        except urllib.error.HTTPError as err:
            status, head, text = err.code, dict(err.headers), err.read()
        elapsed = time.perf_counter() - started
        return DriverResponse(status, head, text.decode("utf-8", "replace"), elapsed)

    def _post(self, body: str, content_type: str, sent: dict, **extra: str) -> DriverResponse:
        headers = {"Content-Type": content_type, **self.sign(body), **extra}
        resp = self.raw(body, headers)
        return DriverResponse(resp.status, resp.headers, resp.body, resp.elapsed, sent)

    def _post_json(self, payload: dict, **headers: str) -> DriverResponse:
        return self._post(json.dumps(payload), "application/json", payload, **headers)

    def _post_form(self, form: dict[str, str], sent: dict) -> DriverResponse:
        return self._post(urlencode(form), "application/x-www-form-urlencoded", sent)

    def _post_interaction(self, payload: dict) -> DriverResponse:
        return self._post_form({"payload": json.dumps(payload)}, payload)

    # -- Events API ---------------------------------------------------------------

    def url_verification(self, challenge: str) -> DriverResponse:
        """The handshake Slack sends when the Request URL is saved."""
        body = {"token": "emulator-verification-token", "challenge": challenge}
        return self._post_json({**body, "type": "url_verification"})

    def event(
        self,
        event: dict[str, Any],
        *,
        event_id: str | None = None,
        retry_num: int | None = None,
        retry_reason: str = "http_timeout",
        also_authorized: tuple[Origin, ...] = (),
    ) -> DriverResponse:
        """One event in an `event_callback` envelope; retries carry Slack's retry headers.
        `also_authorized`: further installs that can see the event (a shared channel), listed
        after this workspace's in `authorizations`."""
        body = payloads.envelope(self.origin, event, event_id=event_id or payloads.event_id())
        body["authorizations"] += [payloads.authorization(other) for other in also_authorized]
        headers = {}
        if retry_num is not None:
            headers = {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": retry_reason}
        return self._post_json(body, **headers)

    def message(
        self,
        user: str,
        text: str,
        *,
        channel: str | None = None,
        ts: str | None = None,
        thread_ts: str | None = None,
        subtype: str | None = None,
        bot_id: str | None = None,
        **extra: Any,
    ) -> DriverResponse:
        """A `message` event (default: in the user's DM with the bot), kept in the emulator."""
        channel = channel or self._dm(user)
        human = subtype is None and bot_id is None
        if self.emulator is not None and human:
            ts = self.emulator.workspace.add_user_message(
                channel, user, text, ts=ts, thread_ts=thread_ts
            )
        ts = ts or payloads.now_ts()
        event = payloads.message_event(
            self.origin,
            user=user,
            text=text,
            channel=channel,
            ts=ts,
            thread_ts=thread_ts,
            subtype=subtype,
            bot_id=bot_id,
            **extra,
        )
        return self.event(event)

    def app_home_opened(self, user: str) -> DriverResponse:
        """The user opened the app's Home tab."""
        event = {"type": "app_home_opened", "user": user, "channel": self._dm(user), "tab": "home"}
        event["event_ts"] = payloads.now_ts()
        home = self.emulator.home_view(user) if self.emulator else None
        if home is not None:
            event["view"] = home
        return self.event(event)

    # -- slash commands and interactivity -----------------------------------------

    def command(
        self, command: str, text: str = "", *, user: str, channel: str | None = None
    ) -> DriverResponse:
        """A slash command (default: typed in the user's DM with the bot)."""
        channel = channel or self._dm(user)
        form = payloads.command_form(
            self.origin,
            command=command,
            text=text,
            user=user,
            name=self._name(user),
            channel={"id": channel, "name": self._channel_name(channel)},
            response_url=self._response_url(channel, user),
            trigger_id=self._trigger(user),
        )
        return self._post_form(form, dict(form))

    def block_action(
        self,
        *,
        user: str,
        action_id: str,
        value: str | None = None,
        block_id: str | None = None,
        message: dict | str | None = None,
        channel: str | None = None,
        view: dict | str | None = None,
        selected_option: dict | str | None = None,
        values: dict | None = None,
    ) -> DriverResponse:
        """A click or selection on a message (give `message` + `channel`) or in a view."""
        msg = self._message(message, channel)
        view_obj = self._view(view)
        blocks = (view_obj or msg or {}).get("blocks") or []
        found_block, element = payloads.find_element(blocks, action_id)
        block_id = block_id or found_block or secrets.token_hex(3)
        act = payloads.action(action_id, block_id, element, value, selected_option)
        fields: dict[str, Any] = {"trigger_id": self._trigger(user), "actions": [act]}
        if view_obj is not None:
            fields["view"] = payloads.view_payload(view_obj, values)
            fields["container"] = {"type": "view", "view_id": fields["view"]["id"]}
            fields["state"] = fields["view"]["state"]
        if msg is not None and channel:
            fields["container"] = payloads.message_container(msg, channel)
            fields["message"] = msg
            fields["response_url"] = self._response_url(channel, user, msg.get("ts"))
        if channel:
            fields["channel"] = {"id": channel, "name": self._channel_name(channel)}
        return self._post_interaction(self._interaction("block_actions", user, **fields))

    def use(self, control: Control, *, user: str, choice: Any = None) -> DriverResponse:
        """A person uses a control where they saw it (stale or not), as the Slack client sends it."""
        fields: dict[str, Any] = {
            "trigger_id": self._trigger(user),
            "actions": [control.action(choice)],
        }
        if control.channel is None:  # a modal or the Home tab
            fields["view"] = payloads.view_payload(control.seen, None)
            fields["container"] = {"type": "view", "view_id": fields["view"]["id"]}
            fields["state"] = fields["view"]["state"]
        else:
            container = payloads.message_container(control.seen, control.channel)
            fields["container"] = container | {"is_ephemeral": control.ephemeral}
            if not control.ephemeral:  # Slack leaves the message out for an ephemeral one
                fields["message"] = control.seen
            fields["channel"] = {"id": control.channel, "name": self._channel_name(control.channel)}
            fields["response_url"] = self._response_url(control.channel, user, control.message_ts)
        return self._post_interaction(self._interaction("block_actions", user, **fields))

    def message_shortcut(
        self, *, user: str, callback_id: str, message: dict | str, channel: str
    ) -> DriverResponse:
        """A message shortcut (`message_action`) run on a message in `channel`."""
        msg = self._message(message, channel) or {}
        fields = {
            "callback_id": callback_id,
            "trigger_id": self._trigger(user),
            "action_ts": payloads.now_ts(),
            "message_ts": msg.get("ts"),
            "message": msg,
            "channel": {"id": channel, "name": self._channel_name(channel)},
            "response_url": self._response_url(channel, user, msg.get("ts")),
        }
        return self._post_interaction(self._interaction("message_action", user, **fields))

    def global_shortcut(self, *, user: str, callback_id: str) -> DriverResponse:
        """A global shortcut (`shortcut`) from the composer or search."""
        fields = {
            "callback_id": callback_id,
            "trigger_id": self._trigger(user),
            "action_ts": payloads.now_ts(),
        }
        return self._post_interaction(self._interaction("shortcut", user, **fields))

    def view_submission(
        self, *, user: str, view: dict | str, values: dict | None = None
    ) -> DriverResponse:
        """The user pressed Submit; the emulator then applies the app's response_action."""
        payload_view = payloads.view_payload(self._view(view) or {}, values or {})
        fields = {"view": payload_view, "trigger_id": self._trigger(user), "response_urls": []}
        resp = self._post_interaction(self._interaction("view_submission", user, **fields))
        if resp.status == 200 and self._known_view(payload_view["id"]):
            body = resp.json if resp.body.strip().startswith("{") else None
            with self.emulator.workspace.transaction() as ws:  # type: ignore[union-attr]
                ws.views.apply_response_action(payload_view["id"], user, body)
        return resp

    def view_closed(
        self, *, user: str, view: dict | str, is_cleared: bool = False
    ) -> DriverResponse:
        """The user closed a modal (sent only when the view has notify_on_close)."""
        payload_view = payloads.view_payload(self._view(view) or {}, None)
        fields = {"view": payload_view, "is_cleared": is_cleared}
        resp = self._post_interaction(self._interaction("view_closed", user, **fields))
        if self._known_view(payload_view["id"]):
            with self.emulator.workspace.transaction() as ws:  # type: ignore[union-attr]
                ws.views.close(payload_view["id"], clear=is_cleared)
        return resp

    # -- helpers ------------------------------------------------------------------

    def _interaction(self, kind: str, user: str, **fields: Any) -> dict[str, Any]:
        ref = payloads.user_ref(self.origin, user, self._name(user))
        return payloads.interaction(self.origin, kind, ref, **fields)

    def _dm(self, user: str) -> str:
        return self.emulator.dm_channel_for(user) if self.emulator else "D" + user[1:]

    def _name(self, user: str) -> str:
        if self.emulator and user in self.emulator.workspace.users:
            return self.emulator.workspace.users[user]["name"]
        return user.lower()

    def _channel_name(self, channel: str) -> str:
        if channel.startswith("D"):
            return "directmessage"
        known = self.emulator.workspace.channels.get(channel) if self.emulator else None
        return known.name if known else channel.lower()

    def _trigger(self, user: str) -> str:
        if self.emulator:
            return self.emulator.mint_trigger_id(user)
        return f"{int(time.time())}.{secrets.token_hex(10)}"

    def _response_url(self, channel: str, user: str, message_ts: str | None = None) -> str:
        if self.emulator:
            return self.emulator.mint_response_url(channel, user, message_ts)
        return f"https://hooks.slack.invalid/commands/{secrets.token_hex(8)}"

    def _message(self, message: dict | str | None, channel: str | None) -> dict | None:
        if isinstance(message, str):
            if self.emulator is None or channel is None:
                return {"type": "message", "ts": message, "text": ""}
            return self.emulator.message(channel, message)
        return message

    def _view(self, view: dict | str | None) -> dict | None:
        if isinstance(view, str):
            if self.emulator is None:
                return {"id": view}
            return self.emulator.view(view)
        return view

    def _known_view(self, view_id: str) -> bool:
        if self.emulator is None:
            return False
        try:
            self.emulator.view(view_id)
        except ApiError:  # not_found: a hand-made view the emulator never opened
            return False
        return True
