"""Prompts per workspace, installed by OAuth: a directory named by a team id inside
VALUESCOUT_PROMPTS_DIR holds that workspace's own full copy; its questions, routes, cards and
settings read from there, every other workspace's from the shared copy."""

import shutil
from pathlib import Path

import pytest

import prompts
from bot.emulator import SEED, SlackEmulator
from bot.emulator.seed import GLOBEX
from bot.settings import Settings, SettingsError
from tests.e2e import test_installs
from tests.e2e.conftest import e2e_settings
from tests.e2e.people import wait_until
from tests.e2e.test_config import channel_block, open_config
from tests.e2e.test_installs import CLIENT_ID, CLIENT_SECRET, cards, log_discovery, person_in
from tests.e2e.test_workspaces import install

app_url = test_installs.app_url
SHIPPED = Path(prompts.__file__).parent
ROUTE = "  - id: success\n    label: Customer success\n    description: Drives adoption.\n"


def full_copy(target: Path) -> Path:
    shutil.copytree(SHIPPED, target, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return target


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), "utf-8")


@pytest.fixture
def shared_copy(tmp_path) -> Path:
    """The deployment's copy, holding Globex's own (its questions, routes and cards differ)."""
    shared = full_copy(tmp_path / "prompts")
    own = full_copy(shared / GLOBEX.team_id)
    edit(own / "dialogue.yaml", "Which customer is this about?", "Which customer (client) is it?")
    edit(own / "routing.yaml", "\nrules:\n", f"{ROUTE}\nrules:\n")
    edit(own / "messages" / "card_header.txt.j2", "Value gap at", "Client gap at")
    return shared


@pytest.fixture
def settings(emulator: SlackEmulator, database_url: str, shared_copy: Path) -> Settings:
    return e2e_settings(
        emulator, database_url, SLACK_BOT_TOKEN="", SLACK_CLIENT_ID=CLIENT_ID,
        SLACK_CLIENT_SECRET=CLIENT_SECRET, VALUESCOUT_PROMPTS_DIR=str(shared_copy),
    )  # fmt: skip


def test_each_workspace_is_asked_and_shown_in_the_words_of_its_own_copy(app_url, emulator):
    globex = emulator.add_team(GLOBEX)
    install(app_url, SEED.team_id, GLOBEX.team_id)
    acme_scout, globex_scout = person_in(app_url, emulator), person_in(app_url, globex)

    assert "(client)" in str(globex_scout.say("hi", expect="Which customer"))
    assert "(client)" not in str(acme_scout.say("hi", expect="Which customer"))
    globex_scout.say("cancel")
    acme_scout.say("cancel")
    log_discovery(globex_scout, "Hooli")
    log_discovery(acme_scout, "Umbrella")
    wait_until(lambda: len(cards(globex)) == 2 and len(cards(emulator)) == 2, what="the cards")

    assert all("Client gap at" in card for card in cards(globex))  # drawn by delivery
    assert not any("Client gap at" in card for card in cards(emulator))
    success = channel_block("success")  # Globex's own route has a channel to set
    assert success in str(open_config(globex_scout.driver, globex, GLOBEX.admin))
    assert success not in str(open_config(acme_scout.driver, emulator, SEED.admin))


def test_a_mistake_in_a_workspaces_copy_stops_the_start_naming_its_file(
    emulator, database_url, shared_copy
):
    own = shared_copy / GLOBEX.team_id
    edit(own / "dialogue.yaml", "kind: text", "kind: novel")

    with pytest.raises(SettingsError, match=str(own / "dialogue.yaml")):
        e2e_settings(emulator, database_url, VALUESCOUT_PROMPTS_DIR=str(shared_copy))
