"""No dead controls: every id the app renders or declares has a listener that takes it.

The other direction, that every control is reached by people, is the model walk's: it
fails when its fixed-seed walk leaves an id of ids.py unused (tests/model/test_users.py).
"""

import json
from urllib.parse import urlencode

import pytest
from slack_bolt import App, BoltRequest, BoltResponse
from slack_sdk import WebClient

from bot.app import build_app
from bot.dialogue.turns import load_dialogue_rules
from bot.emulator import SEED
from bot.manifest import manifest
from bot.rendering.ids import ActionId, CallbackId, Command
from storage.engine import create_engine_for
from tests.e2e.conftest import e2e_settings

# Input elements wait for the modal's Submit: Slack sends no action for them.
NOT_DISPATCHED = {ActionId.MODAL_INPUT}
SHORTCUTS = {CallbackId.LOG_DISCOVERY_SHORTCUT}
FORM = {"content-type": ["application/x-www-form-urlencoded"]}


def _takes(app: App, body: str) -> bool:
    """Whether some listener of the app matches this request (as Bolt would route it)."""
    request = BoltRequest(body=body, headers=FORM)
    return any(
        listener.matches(req=request, resp=BoltResponse(status=200)) for listener in app._listeners
    )


def _interaction(**payload: object) -> str:
    frame = {"team": {"id": SEED.team_id}, "user": {"id": SEED.scout}, "api_app_id": SEED.app_id}
    return urlencode({"payload": json.dumps(frame | payload)})


def _action(action_id: str) -> str:
    action = {"action_id": action_id, "block_id": "b", "type": "button", "value": "1:account:x"}
    return _interaction(type="block_actions", actions=[action], trigger_id="t")


@pytest.fixture(scope="module")
def app() -> App:
    """The app's listeners, built as the processes build them (no request is served)."""

    class NoEmulator:
        api_url = "http://127.0.0.1:9/api/"

    settings = e2e_settings(NoEmulator(), "sqlite:///:memory:")
    engine = create_engine_for(settings.database_url)
    return build_app(
        settings=settings, client=WebClient(token=SEED.bot_token), engine=engine, rules=load_dialogue_rules(),
        verify_token=False,
    )  # fmt: skip


@pytest.mark.parametrize("action_id", sorted(set(ActionId) - NOT_DISPATCHED))
def test_every_action_id_has_a_listener(app, action_id):
    # The dialogue's choice buttons carry an index (each button of a block needs its own id).
    indexed = (ActionId.DIALOGUE_PICK, ActionId.FOLLOW_UP_STAGE)  # + ":" + an index or a stage
    sent = f"{action_id}:0" if action_id in indexed else action_id
    assert _takes(app, _action(sent)), f"nothing listens for the {action_id} control"


@pytest.mark.parametrize("callback_id", sorted(set(CallbackId) - SHORTCUTS))
def test_every_modal_has_a_submit_listener(app, callback_id):
    view = {
        "id": "V1",
        "type": "modal",
        "callback_id": callback_id,
        "private_metadata": "",
        "state": {"values": {}},
    }
    assert _takes(app, _interaction(type="view_submission", view=view))


def test_every_declared_shortcut_and_command_has_a_listener(app):
    declared = manifest()["features"]
    for shortcut in declared["shortcuts"]:
        kind = {"message": "message_action", "global": "shortcut"}[shortcut["type"]]
        body = _interaction(type=kind, callback_id=shortcut["callback_id"])
        assert _takes(app, body), f"shortcut {shortcut['callback_id']} has no listener"
    assert {s["callback_id"] for s in declared["shortcuts"]} == {s.value for s in SHORTCUTS}
    for command in declared["slash_commands"]:
        form = {"command": command["command"], "text": "", "user_id": SEED.scout}
        assert _takes(app, urlencode(form)), f"command {command['command']} has no listener"
    assert {c["command"] for c in declared["slash_commands"]} == {c.value for c in Command}
