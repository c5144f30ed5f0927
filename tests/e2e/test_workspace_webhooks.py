"""Webhooks per workspace, installed by OAuth: a workspace with its own target (`valuescout
webhook set --team`) sends its events there, signed with its own secret; the others send
theirs to VALUESCOUT_WEBHOOK_URL. Two real HTTP receivers; nothing crosses."""

import io
import threading
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from sqlmodel import select

from bot.cli.webhook import run_webhook
from bot.effects.webhook import WEBHOOK, signature
from bot.emulator import SEED, SlackEmulator
from bot.emulator.seed import GLOBEX
from bot.settings import Settings
from storage.engine import session_scope
from storage.models import OutboxMessage
from tests.e2e import test_installs
from tests.e2e.conftest import e2e_settings
from tests.e2e.people import wait_until
from tests.e2e.test_installs import CLIENT_ID, CLIENT_SECRET, log_discovery, person_in
from tests.e2e.test_workspaces import install
from tests.integration.delivery import test_webhooks
from tests.integration.delivery.test_webhooks import Receiver

app_url = test_installs.app_url
ACME_SECRET = "acme-own-secret-0123456789"


@pytest.fixture
def receivers() -> Iterator[tuple[Receiver, Receiver]]:
    """The deployment's receiver and Acme's own, each a real HTTP server."""
    both = (Receiver(), Receiver())
    for receiver in both:
        threading.Thread(target=receiver.server.serve_forever, daemon=True).start()
    yield both
    for receiver in both:
        receiver.server.shutdown()
        receiver.server.server_close()


@pytest.fixture
def settings(emulator: SlackEmulator, database_url: str, receivers) -> Settings:
    """OAuth mode, with the deployment's webhook (every workspace's default)."""
    deployment, _acme = receivers
    return e2e_settings(
        emulator, database_url, SLACK_BOT_TOKEN="", SLACK_CLIENT_ID=CLIENT_ID,
        SLACK_CLIENT_SECRET=CLIENT_SECRET, VALUESCOUT_WEBHOOK_URL=deployment.url,
        VALUESCOUT_WEBHOOK_SECRET=test_webhooks.SECRET,
    )  # fmt: skip


def set_own_target(settings: Settings, team: str, url: str) -> str:
    args = type("Args", (), {"action": "set", "team": team, "url": url})
    out = io.StringIO()
    assert run_webhook(args, settings, stdin=io.StringIO(f"{ACME_SECRET}\n"), out=out) == 0
    return out.getvalue()


def signed_with(secret: str, headers: dict[str, str], raw: bytes) -> bool:
    timestamp = int(headers["X-ValueScout-Timestamp"])
    expected = signature(secret, timestamp, raw)
    return expected == headers["X-ValueScout-Signature"]


def test_a_workspaces_events_reach_only_its_own_receiver(
    app_url, emulator, engine, settings, receivers
):
    deployment, acme_receiver = receivers
    globex = emulator.add_team(GLOBEX)
    install(app_url, SEED.team_id, GLOBEX.team_id)
    said = set_own_target(settings, SEED.team_id, acme_receiver.url)
    assert said == f"{SEED.team_id}: its events go to {acme_receiver.url}\n"

    log_discovery(person_in(app_url, emulator), "Umbrella")
    log_discovery(person_in(app_url, globex), "Hooli")
    wait_until(lambda: acme_receiver.requests and deployment.requests, what="both webhooks")

    acme_bodies, deployment_bodies = acme_receiver.bodies(), deployment.bodies()
    assert {body["team_id"] for body in acme_bodies} == {SEED.team_id}
    assert {body["team_id"] for body in deployment_bodies} == {GLOBEX.team_id}
    assert all(body["discovery"]["account"] == "Umbrella" for body in acme_bodies)
    assert all(body["discovery"]["account"] == "Hooli" for body in deployment_bodies)
    assert all(signed_with(ACME_SECRET, h, raw) for h, raw in acme_receiver.requests)
    assert all(signed_with(test_webhooks.SECRET, h, raw) for h, raw in deployment.requests)
    with session_scope(engine) as session:  # each row records the target it went to
        rows = session.exec(select(OutboxMessage).where(OutboxMessage.kind == WEBHOOK)).all()
        targets = {(row.team_id, row.channel_id) for row in rows}
    assert targets == {(SEED.team_id, f"webhook:{SEED.team_id}"), (GLOBEX.team_id, "webhook")}


def test_a_workspace_without_its_own_target_again_sends_to_the_deployments(
    app_url, emulator, settings, receivers
):
    deployment, acme_receiver = receivers
    install(app_url, SEED.team_id)
    set_own_target(settings, SEED.team_id, acme_receiver.url)
    args = type("Args", (), {"action": "unset", "team": SEED.team_id})
    assert run_webhook(args, settings, stdin=io.StringIO(), out=io.StringIO()) == 0

    log_discovery(person_in(app_url, emulator), "Umbrella")

    wait_until(lambda: deployment.requests, what="the deployment's webhook")
    assert acme_receiver.requests == []  # one discovery's events go to one target, in order


def test_an_admins_set_up_checks_ping_their_workspaces_own_receiver(
    app_url, emulator, settings, receivers
):
    deployment, acme_receiver = receivers
    install(app_url, SEED.team_id)
    set_own_target(settings, SEED.team_id, acme_receiver.url)

    person_in(app_url, emulator).driver.app_home_opened(SEED.admin)

    home = str(wait_until(lambda: emulator.home_view(SEED.admin), what="the admin's Home"))
    assert f"http://{urlsplit(acme_receiver.url).netloc} answered the ping: HTTP 200" in home
    assert [body["type"] for body in acme_receiver.bodies()] == ["ping"]
    assert deployment.requests == []
