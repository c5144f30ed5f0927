"""A person in the emulated workspace who types and clicks as in the Slack client."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from bot.cli.terminal import find_button
from bot.emulator import SEED, SlackDriver, SlackEmulator
from bot.rendering.ids import ActionId


def wait_until(
    condition: Callable[[], Any], *, timeout: float = 10.0, what: str = "condition"
) -> Any:
    """Poll until condition() is truthy (the app works after its ack, in its own threads)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")


class Scout:
    """A scout talking to the bot in a DM and using its buttons."""

    def __init__(
        self, driver: SlackDriver, emulator: SlackEmulator, user: str = SEED.scout
    ) -> None:
        self.driver, self.emulator, self.user = driver, emulator, user
        self.dm = emulator.dm_channel_for(user)

    def bot_messages(self) -> list[dict]:
        return [m for m in self.emulator.messages(self.dm) if m.get("user") == SEED.bot_user_id]

    def last(self) -> dict:
        return self.bot_messages()[-1]

    def wait_for(self, expect: str) -> dict:
        """The latest bot message containing `expect`, once it is there."""

        def found() -> dict | None:
            return next((m for m in reversed(self.bot_messages()) if expect in str(m)), None)

        return wait_until(found, what=f"a bot message with {expect!r}")

    def say(self, text: str, *, expect: str | None = None) -> dict:
        """Send a DM and wait for the bot's next message (containing `expect`, when given)."""
        before = self._seen()
        response = self.driver.message(self.user, text)
        assert response.status == 200, response.body
        return self._next(before, expect)

    def click(self, label: str, *, expect: str | None = None, message: dict | None = None) -> dict:
        """Click the button labelled `label` on the latest bot message that has one."""
        message, block, element = self._find(label, message)
        before = self._seen()
        response = self.driver.block_action(
            user=self.user, action_id=element["action_id"], value=element.get("value"),
            block_id=block.get("block_id"), message=message, channel=self.dm,
        )  # fmt: skip
        assert response.status == 200, response.body
        return self._next(before, expect) if expect is not None else message

    def tick(self, routes: list[str]) -> None:
        """Set the routes on the latest summary to exactly these."""
        summary = next(m for m in reversed(self.bot_messages()) if _routes_block(m))
        block = _routes_block(summary)
        options = {o["value"]: o for o in block["elements"][0]["options"]}
        self._post_checkboxes(summary, block, [options[r] for r in routes])

    def _post_checkboxes(self, summary: dict, block: dict, selected: list[dict]) -> None:
        """Checkboxes send every ticked option, which the driver's one-option actions don't."""
        action = {
            "type": "checkboxes",
            "action_id": ActionId.DIALOGUE_ROUTES.value,
            "block_id": block["block_id"],
        }
        action |= {"selected_options": selected, "action_ts": f"{time.time():.6f}"}
        payload = {
            "type": "block_actions", "user": {"id": self.user, "team_id": SEED.team_id},
            "team": {"id": SEED.team_id, "domain": "acme"}, "api_app_id": SEED.app_id,
            "container": {"type": "message", "message_ts": summary["ts"], "channel_id": self.dm},
            "channel": {"id": self.dm}, "message": summary, "actions": [action],
            "trigger_id": self.emulator.mint_trigger_id(self.user),
        }  # fmt: skip
        body = "payload=" + quote(json.dumps(payload))
        headers = {"Content-Type": "application/x-www-form-urlencoded", **self.driver.sign(body)}
        assert self.driver.raw(body, headers).status == 200

    def _find(self, label: str, message: dict | None) -> tuple[dict, dict, dict]:
        found = find_button([message] if message else self.bot_messages(), label)
        assert found is not None, f"no button {label!r} in the DM"
        return found

    def _seen(self) -> dict[str, str]:
        """What the bot's messages show now, by ts."""
        return {m["ts"]: str(m) for m in self.bot_messages()}

    def _next(self, before: dict[str, str], expect: str | None) -> dict:
        """The bot's newest message posted, or redrawn (a clicked question shows the next one
        below its answer), since `before`."""

        def arrived() -> dict | None:
            new = [m for m in self.bot_messages() if before.get(m["ts"]) != str(m)]
            matching = [m for m in new if expect is None or expect in str(m)]
            return matching[-1] if matching else None

        return wait_until(arrived, what=f"a bot message with {expect!r}")


class CountingScout(Scout):
    """A scout who counts their turns: each message sent and each button clicked."""

    turns = 0

    def say(self, text: str, *, expect: str | None = None) -> dict:
        self.turns += 1
        return super().say(text, expect=expect)

    def click(self, label: str, *, expect: str | None = None, message: dict | None = None) -> dict:
        self.turns += 1
        return super().click(label, expect=expect, message=message)


def _routes_block(message: dict) -> dict | None:
    return next(
        (b for b in message.get("blocks", []) if str(b.get("block_id", "")).startswith("routes:")),
        None,
    )
