"""A route added only in a deployment's copy of prompts/ works everywhere a shipped one does.

The copy adds `success` (Customer success, suggested when an end user cares); its channel comes
from VALUESCOUT_SUCCESS_CHANNEL. A discovery reaches that channel, its card's actions work
(acknowledge, actioned, decline, re-route to and from it), its digest is sent and the export
holds it. No Python names the route.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

import prompts
from bot.cli.terminal import find_button
from bot.digests.model import Week
from bot.emulator import SEED, SlackDriver, SlackEmulator
from bot.rendering.ids import BlockId, Command
from bot.settings import Settings
from storage.engine import session_scope
from storage.enums import DiscoveryStatus
from storage.models import DiscoveryRoute
from storage.types import utc_now
from tests.e2e.conftest import e2e_settings
from tests.e2e.people import wait_until
from tests.e2e.test_dialogue_modal import modal_state

pytestmark = pytest.mark.sqlite_only  # how the app answers, not what storage does

SUCCESS = "C0SUCCESS"
ROUTE = """
  - id: success
    label: Customer success
    description: "Drives adoption with the customer's users."

rules:
  - route: success
    when: {who_cares: [end_user]}
    reason: "End users care: customer success can drive adoption."
"""
ANSWERS = {
    "account": "Initech",
    "outcome": "Every clerk files expenses in a minute",
    "gap": "The mobile app needs six taps per receipt",
    "fit": "not_yet",
}


def prompts_with(tmp_path: Path, route: str) -> Path:
    """The shipped prompts/ copied, with a route (and its rules) added to routing.yaml."""
    copy = tmp_path / "prompts"
    shipped = Path(prompts.__file__).parent
    shutil.copytree(shipped, copy, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    routing = copy / "routing.yaml"
    routing.write_text(routing.read_text("utf-8").replace("\nrules:\n", route, 1), "utf-8")
    return copy


@pytest.fixture
def prompts_copy(tmp_path) -> Path:
    """The shipped prompts/ copied, with the route `success` added only there."""
    return prompts_with(tmp_path, ROUTE)


@pytest.fixture
def settings(emulator: SlackEmulator, database_url: str, prompts_copy: Path) -> Settings:
    emulator.workspace.add_channel(SUCCESS, "success")
    return e2e_settings(
        emulator, database_url,
        VALUESCOUT_PROMPTS_DIR=str(prompts_copy), VALUESCOUT_SUCCESS_CHANNEL=SUCCESS,
    )  # fmt: skip


def log(driver: SlackDriver, emulator: SlackEmulator, who_cares: str) -> list[str]:
    """Log a discovery in the /scout modal; the teams ticked for it, as suggested."""
    opened = len(emulator.calls_to("views.open"))
    assert driver.command(Command.SCOUT.value, "", user=SEED.scout).status == 200
    wait_until(lambda: emulator.modal_stack(SEED.scout) and len(emulator.calls_to("views.open")) > opened,
               what="the /scout modal")  # fmt: skip
    view = emulator.modal_stack(SEED.scout)[-1]
    driver.view_submission(
        user=SEED.scout, view=view["id"],
        values=modal_state(view, ANSWERS | {"who_cares": who_cares}),
    )  # fmt: skip
    confirm = emulator.modal_stack(SEED.scout)[-1]
    state = modal_state(confirm, {})
    done = driver.view_submission(user=SEED.scout, view=confirm["id"], values=state)
    assert done.json == {"response_action": "clear"}
    return [o["value"] for o in state[BlockId.ROUTES.value]["input"]["selected_options"]]


def newest_card(emulator: SlackEmulator, channel: str, count: int) -> dict:
    cards = wait_until(lambda: len(emulator.messages(channel)) >= count and emulator.messages(channel),
                       what=f"{count} cards in {channel}")  # fmt: skip
    return cards[count - 1]


def click(driver, emulator, channel: str, card_ts: str, label: str) -> None:
    card = emulator.message(channel, card_ts)
    found = find_button([card], label)
    assert found is not None, f"no {label!r} on the card in {channel}"
    message, block, button = found
    response = driver.block_action(
        user=SEED.dana, action_id=button["action_id"], value=button["value"],
        block_id=block["block_id"], message=message, channel=channel,
    )  # fmt: skip
    assert response.status == 200


def modal_from(driver, emulator, channel: str, card_ts: str, label: str) -> dict:
    opened = len(emulator.calls_to("views.open"))
    click(driver, emulator, channel, card_ts, label)
    wait_until(lambda: len(emulator.calls_to("views.open")) > opened, what=f"the {label} modal")
    return emulator.modal_stack(SEED.dana)[-1]


def submit(driver, view: dict, **inputs: object) -> dict:
    values = {block: {"input": value} for block, value in inputs.items()}
    return driver.view_submission(user=SEED.dana, view=view["id"], values=values).json


def chosen(value: str) -> dict:
    return {"type": "static_select", "selected_option": {"value": value}}


def card_shows(emulator, channel: str, ts: str, text: str) -> dict:
    return wait_until(lambda: text in str(emulator.message(channel, ts)) and emulator.message(channel, ts),
                      what=f"{text!r} on the card in {channel}")  # fmt: skip


def status_of(engine, discovery_id: int, route: str = "success") -> DiscoveryStatus:
    """The route's own status (each team owns its answer)."""
    with session_scope(engine) as session:
        statement = select(DiscoveryRoute.status).where(
            DiscoveryRoute.discovery_id == discovery_id, DiscoveryRoute.route == route
        )
        return session.exec(statement).one()


def test_a_route_added_only_in_prompts_works_from_card_to_digest_and_export(
    driver, emulator, engine, valuescout, capsys, prompts_copy
):
    # A discovery an end user cares about reaches the new team, next to product.
    assert log(driver, emulator, "end_user") == ["product", "success"]
    card = newest_card(emulator, SUCCESS, 1)
    assert "Initech" in str(card) and "customer success can drive adoption" in str(card)
    receipt = wait_until(lambda: [m for m in emulator.messages(emulator.dm_channel_for(SEED.scout))
                                  if SUCCESS in str(m) and "went to" in str(m)], what="receipt")  # fmt: skip
    assert receipt

    # Acknowledge, then Actioned, on its card.
    click(driver, emulator, SUCCESS, card["ts"], "Acknowledge")
    card_shows(emulator, SUCCESS, card["ts"], f"<@{SEED.dana}> is on it")
    actioned = modal_from(driver, emulator, SUCCESS, card["ts"], "Actioned")
    answer = submit(driver, actioned, **{BlockId.STATUS_NOTE.value: "Rolled out the new flow",
                                         BlockId.STATUS_OUTCOME.value: chosen("other")})  # fmt: skip
    assert answer == {"response_action": "clear"}
    card_shows(emulator, SUCCESS, card["ts"], "Rolled out the new flow")
    assert status_of(engine, 1) == DiscoveryStatus.ACTIONED

    # Re-routed to it from product (the modal offers it by its label), then declined there.
    assert log(driver, emulator, "executive") == ["product"]
    product_card = newest_card(emulator, SEED.product, 2)
    reroute = modal_from(driver, emulator, SEED.product, product_card["ts"], "Re-route")
    offered = {o["value"]: o["text"]["text"] for o in reroute["blocks"][1]["element"]["options"]}
    assert offered == {"sales": "Sales", "marketing": "Marketing", "success": "Customer success"}
    answer = submit(driver, reroute, **{BlockId.REROUTE_TO.value: chosen("success"),
                                        BlockId.STATUS_NOTE.value: "Adoption, not roadmap"})  # fmt: skip
    assert answer == {"response_action": "clear"}
    moved_in = newest_card(emulator, SUCCESS, 2)
    assert "Re-routed here from" in str(moved_in)
    decline = modal_from(driver, emulator, SUCCESS, moved_in["ts"], "Decline")
    answer = submit(driver, decline, **{BlockId.STATUS_NOTE.value: "Already solved in 4.2",
                                        BlockId.DECLINE_REASON.value: chosen("covered")})  # fmt: skip
    assert answer == {"response_action": "clear"}
    card_shows(emulator, SUCCESS, moved_in["ts"], "Already solved in 4.2")
    assert status_of(engine, 2) == DiscoveryStatus.DECLINED

    # Re-routed from it to marketing.
    log(driver, emulator, "end_user")
    third = newest_card(emulator, SUCCESS, 3)
    reroute = modal_from(driver, emulator, SUCCESS, third["ts"], "Re-route")
    answer = submit(driver, reroute, **{BlockId.REROUTE_TO.value: chosen("marketing"),
                                        BlockId.STATUS_NOTE.value: "A story to tell"})  # fmt: skip
    assert answer == {"response_action": "clear"}
    assert "Initech" in str(newest_card(emulator, SEED.marketing, 1))
    card_shows(emulator, SUCCESS, third["ts"], "Re-routed* to")

    # Its digest goes to its channel, named by its label; the export holds its routes.
    with pytest.MonkeyPatch.context() as env:
        env.setenv("VALUESCOUT_PROMPTS_DIR", str(prompts_copy))
        env.setenv("VALUESCOUT_SUCCESS_CHANNEL", SUCCESS)
        week = Week.of(utc_now(), ZoneInfo("Europe/Berlin")).key  # as e2e settings have it
        assert valuescout("digest", "send", "--route", "success", "--week", week) == 0
        digest = wait_until(lambda: [m for m in emulator.messages(SUCCESS)
                                     if "Customer success digest" in str(m)], what="the digest")  # fmt: skip
        assert digest
        capsys.readouterr()
        assert valuescout("export", "--format", "jsonl") == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    routes = {(r["route"], r["rerouted_to"]) for record in records for r in record["routes"]}
    assert {("success", None), ("success", "marketing")} <= routes
