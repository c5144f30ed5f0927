"""`valuescout doctor` against the emulator: all well, then each thing an admin gets wrong."""

import io
import json
import threading
from collections.abc import Iterator
from datetime import timedelta

import pytest

from bot.app import after_ack_work
from bot.cli.doctor import run_doctor
from bot.cli.runtime import compose, web_app
from bot.effects.webhook import signature
from bot.emulator import SEED, SlackDriver
from bot.manifest import BOT_SCOPES
from bot.web import LocalServer
from storage.engine import session_scope
from storage.migrate import current_revision, head_revision, upgrade
from storage.queries import beat, enqueue_outbox
from storage.types import utc_now
from tests.e2e.commands import clean_environment, free_port, run
from tests.e2e.conftest import PACING, SIGNING_SECRET, e2e_settings, seeded
from tests.e2e.people import wait_until
from tests.integration.delivery.test_webhooks import Receiver

HOOK_SECRET = "whsec-doctor-0123456789"

ALL_WELL = [
    "✓ Slack set-up: HTTP mode (SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET)",
    "✓ Slack token: accepted for @valuescout in Acme Corp",
    f"✓ Scopes: all {len(BOT_SCOPES)} the app needs are granted",
    "✓ Database: reachable; migrations current",
    "✓ Channel for sales: #sales (C0SALES): the bot is a member",
    "✓ Channel for marketing: #marketing (C0MARKETING): the bot is a member",
    "✓ Channel for product: #product (C0PRODUCT): the bot is a member",
    "✓ Channel for coach: #enablement-coaches (C0COACH): the bot is a member",
    "✓ Time zone: UTC (VALUESCOUT_TIMEZONE; an admin may choose another",
    "✓ Scheduler: alive: web process",
    "✓ Deliveries: nothing waits for delivery",
]


def doctor(settings) -> tuple[int, list[str]]:
    out = io.StringIO()
    code = run_doctor(settings, out=out)
    return code, out.getvalue().splitlines()


def wrong(lines: list[str]) -> list[str]:
    return [line for line in lines if line.startswith("✗")]


@pytest.fixture
def scheduler_alive(engine):
    with session_scope(engine) as session:
        beat(session=session, process="web-1:42", kind="web", now=utc_now())


def test_all_is_well_in_a_real_process_exit_0(emulator, database_url, scheduler_alive, tmp_path):
    env = clean_environment(
        SLACK_BOT_TOKEN=SEED.bot_token, SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=emulator.api_url, DATABASE_URL=database_url,
        VALUESCOUT_SALES_CHANNEL=SEED.sales, VALUESCOUT_MARKETING_CHANNEL=SEED.marketing,
        VALUESCOUT_PRODUCT_CHANNEL=SEED.product, VALUESCOUT_COACH_CHANNEL=SEED.coaches,
    )  # fmt: skip
    result = run(["doctor"], env, tmp_path)
    lines = result.stdout.splitlines()
    assert result.returncode == 0, result.stdout + result.stderr
    assert len(lines) == len(ALL_WELL) + 1 and lines[-1] == "All is well."
    for line, expected in zip(lines, ALL_WELL, strict=False):
        assert line.startswith(expected)
    assert SEED.bot_token not in result.stdout + result.stderr


def test_a_missing_channel_and_one_without_the_bot_are_named_with_the_fix(
    emulator, database_url, scheduler_alive, tmp_path
):
    settings = e2e_settings(
        emulator, database_url,
        VALUESCOUT_PRODUCT_CHANNEL="C0NOSUCH", VALUESCOUT_MARKETING_CHANNEL=SEED.general,
    )  # fmt: skip
    code, lines = doctor(settings)
    assert code == 1 and lines[-1] == "2 of 11 checks failed."
    assert wrong(lines) == [
        "✗ Channel for marketing: #general (C0GENERAL): the bot is not a member"
        " — fix: invite it: type /invite @Value Scout in the channel",
        "✗ Channel for product: C0NOSUCH does not exist, or the bot cannot see it"
        " (channel_not_found) — fix: check the id: open the channel, click its name,"
        " the id is at the bottom of About",
    ]


def test_a_scope_not_granted_is_named(emulator, database_url, scheduler_alive):
    emulator.scopes.remove("files:write")
    code, lines = doctor(e2e_settings(emulator, database_url))
    assert code == 1
    assert wrong(lines) == [
        "✗ Scopes: not granted: files:write — fix: add them under OAuth & Permissions"
        " (or paste manifest.yaml again), then reinstall the app"
    ]


def test_a_token_slack_refuses_skips_what_needs_it(emulator, database_url, scheduler_alive):
    code, lines = doctor(e2e_settings(emulator, database_url, SLACK_BOT_TOKEN="xoxb-revoked"))
    assert code == 1
    assert wrong(lines)[0].startswith("✗ Slack token: Slack refused SLACK_BOT_TOKEN (invalid_auth)")
    assert not any(line.startswith(("✓ Scopes", "✓ Channel")) for line in lines)
    assert "xoxb-revoked" not in "\n".join(lines)


def test_migrations_behind_are_named_and_doctor_never_upgrades(emulator, empty_database_url):
    upgrade(engine_or_url=empty_database_url, revision="0005")
    code, lines = doctor(e2e_settings(emulator, empty_database_url))
    assert code == 1
    assert (
        f"✗ Database: at migration 0005, the code needs {head_revision()}"
        " — fix: run `valuescout db upgrade` (the app also upgrades when it starts)"
    ) in lines
    assert current_revision(engine_or_url=empty_database_url) == "0005"


def test_a_database_file_that_is_not_there_is_not_made(emulator, tmp_path):
    path = tmp_path / "nowhere.db"
    code, lines = doctor(e2e_settings(emulator, f"sqlite:///{path}"))
    assert code == 1 and f"✗ Database: the file {path} does not exist yet" in lines[3]
    assert not path.exists()


def test_a_silent_scheduler_and_a_stuck_delivery_are_named(emulator, engine, database_url):
    long_ago = utc_now() - timedelta(minutes=20)
    with session_scope(engine) as session:
        beat(session=session, process="clock-1:7", kind="clock", now=long_ago)
        enqueue_outbox(
            session=session, kind="card", dedupe_key="stuck", channel_id=SEED.product,
            payload={}, now=long_ago,
        )  # fmt: skip
    code, lines = doctor(e2e_settings(emulator, database_url))
    assert code == 1
    assert [line.split(" — ")[0] for line in wrong(lines)] == [
        "✗ Scheduler: the last heartbeat, from clock process clock-1:7, was 20 min ago",
        "✗ Deliveries: 1 waiting, the oldest for 20 min",
    ]


def test_no_scheduler_ever_is_named(emulator, database_url):
    code, lines = doctor(e2e_settings(emulator, database_url))
    assert code == 1
    assert "✗ Scheduler: no process has run the scheduler on this database" in wrong(lines)[0]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """A webhook receiver on loopback, as tests/integration/delivery/test_webhooks.py has it."""
    hook = Receiver()
    threading.Thread(target=hook.server.serve_forever, daemon=True).start()
    try:
        yield hook
    finally:
        hook.server.shutdown()
        hook.server.server_close()


def hooked(emulator, database_url: str, url: str):
    return e2e_settings(
        emulator, database_url, VALUESCOUT_WEBHOOK_URL=url, VALUESCOUT_WEBHOOK_SECRET=HOOK_SECRET
    )


def test_a_webhook_receiver_that_answers_the_signed_ping_passes(
    emulator, database_url, scheduler_alive, receiver
):
    code, lines = doctor(hooked(emulator, database_url, receiver.url))
    host = receiver.url.removesuffix("/hooks/valuescout")
    assert (
        code == 0 and lines[-2] == f'✓ Webhook: {host} answered the ping: HTTP 200: {{"ok": true}}'
    )
    [(headers, body)] = receiver.requests
    assert json.loads(body)["type"] == "ping"
    assert headers["X-ValueScout-Signature"] == signature(
        HOOK_SECRET, int(headers["X-ValueScout-Timestamp"]), body
    )


def test_a_webhook_that_refuses_or_is_not_there_is_named_with_the_fix(
    emulator, database_url, scheduler_alive, receiver
):
    receiver.script = [401, 500]
    host = receiver.url.removesuffix("/hooks/valuescout")
    refused = wrong(doctor(hooked(emulator, database_url, receiver.url))[1])
    assert refused == [
        f'✗ Webhook: {host} refused the ping: HTTP 401: {{"ok": true}} — fix: the receiver\'s'
        ' signature check must use VALUESCOUT_WEBHOOK_SECRET (README, "Webhooks")'
    ]
    failing = wrong(doctor(hooked(emulator, database_url, receiver.url))[1])
    assert failing[0].startswith(f"✗ Webhook: {host} answered the ping with HTTP 500")
    nobody = f"http://127.0.0.1:{free_port()}/hooks/secret-path"
    code, lines = doctor(hooked(emulator, database_url, nobody))
    assert code == 1 and wrong(lines)[0].startswith("✗ Webhook: http://127.0.0.1:")
    assert "did not answer the ping" in lines[-2] and "secret-path" not in lines[-2]
    assert "fix: check VALUESCOUT_WEBHOOK_URL" in lines[-2]


def test_admins_see_the_webhook_check_on_the_home_tab(emulator, engine, database_url, receiver):
    receiver.script = [503]
    settings = hooked(emulator, database_url, receiver.url)
    with seeded(engine, settings):
        parts = compose(settings, engine=engine, pacing=PACING)
    server = LocalServer(web_app(parts)).start()
    try:
        driver = SlackDriver(server.url, SIGNING_SECRET, emulator=emulator)
        driver.app_home_opened(SEED.admin)
        home = str(wait_until(lambda: emulator.home_view(SEED.admin), what="the admin's Home"))
    finally:
        after_ack_work(parts.app).wait_idle(10)
        server.stop()
    assert "✗ Webhook: " in home and "answered the ping with HTTP 503" in home
