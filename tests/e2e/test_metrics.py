"""/metrics as Prometheus reads it: the outbox through a Slack outage, requests by kind, the
counters of every Gunicorn worker summed, and a port of its own in the other processes."""

from __future__ import annotations

import json
import signal
import socket
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import replace
from urllib.error import HTTPError

import pytest
from prometheus_client.parser import text_string_to_metric_families

from bot.cli.runtime import Components, metrics_port, web_app
from bot.discoveries.service import submit_discovery
from bot.emulator import SEED, SlackDriver
from bot.rendering.ids import Command
from bot.settings import SettingsError
from bot.web import LocalServer
from storage.engine import session_scope
from storage.enums import DiscoverySource
from storage.queries import route_channels
from storage.types import utc_now
from tests.e2e.commands import free_port
from tests.e2e.conftest import SIGNING_SECRET, e2e_settings
from tests.e2e.people import wait_until
from tests.e2e.test_processes import environment, start, stop, wait_for_health

METRICS_TOKEN = "m" * 40


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of a scrape, by name and labels."""
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def scrape(url: str, token: str | None = None) -> dict:
    request = urllib.request.Request(url)
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.headers["Content-Type"].startswith("text/plain")
        return samples(response.read().decode())


def value(found: dict, name: str, **labels: str) -> float:
    return found.get((name, tuple(sorted(labels.items()))), 0.0)


@pytest.fixture
def web(components: Components) -> Iterator[str]:
    """The web process's HTTP surface, /metrics included; yields its base URL."""
    server = LocalServer(web_app(components)).start()
    yield server.url.removesuffix("/slack/events")
    server.stop()


def log_discovery(engine, key: str) -> None:
    with session_scope(engine) as session:
        submit_discovery(
            session=session, source_key=key, team_id=SEED.team_id, scout_user_id=SEED.scout,
            source=DiscoverySource.DM,
            answers={"account": "Globex", "outcome": "Close the books in two days",
                     "gap": "Manual reconciliation", "fit": "not_yet"},
            routes=[("product", "an unmet gap")], themes=[],
            route_channels=route_channels(session=session), now=utc_now(),
        )  # fmt: skip


def test_outbox_depth_rises_while_slack_answers_500_and_falls_after(
    web, components, emulator, engine
):
    before = scrape(f"{web}/metrics")
    assert value(before, "valuescout_database_up") == 1
    assert value(before, "valuescout_outbox_pending", kind="discovery_card") == 0
    failed_before = value(
        before, "valuescout_deliveries_failed_total", kind="discovery_card", error="fatal_error"
    )
    emulator.faults.server_error("chat.postMessage", status=500, times=None)
    log_discovery(engine, "metrics-outage")
    components.delivery.wake()

    def during() -> dict | None:
        found = scrape(f"{web}/metrics")
        failed = value(
            found, "valuescout_deliveries_failed_total", kind="discovery_card", error="fatal_error"
        )
        return found if failed > failed_before else None

    outage = wait_until(during, what="a card refused with 500")
    assert value(outage, "valuescout_outbox_pending", kind="discovery_card") == 1
    assert value(outage, "valuescout_outbox_pending", kind="receipt") == 1  # waits for its card
    assert emulator.messages(SEED.product) == []

    emulator.faults.clear()  # Slack recovers: the retry (within seconds) goes through
    after = wait_until(
        lambda: (found := scrape(f"{web}/metrics"))
        and value(found, "valuescout_outbox_pending", kind="discovery_card") == 0
        and value(found, "valuescout_outbox_pending", kind="receipt") == 0
        and found,
        timeout=30, what="the outbox drained after Slack recovered",
    )  # fmt: skip
    assert value(after, "valuescout_outbox_oldest_pending_seconds", kind="discovery_card") == 0
    assert len(emulator.messages(SEED.product)) == 1


def test_each_request_is_counted_and_timed_by_its_kind(web, emulator):
    driver = SlackDriver(f"{web}/slack/events", SIGNING_SECRET, emulator=emulator)
    before = scrape(f"{web}/metrics")
    assert driver.command(Command.SCOUT.value, "help", user=SEED.scout).status == 200
    assert driver.raw("command=%2Fscout", {"Content-Type": "text/plain"}).status == 401
    after = scrape(f"{web}/metrics")

    def grew(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    assert grew("valuescout_slack_ack_seconds_count", kind="command") == 1
    assert grew("valuescout_slack_ack_seconds_bucket", kind="command", le="+Inf") == 1
    assert grew("valuescout_http_requests_total", path="events", status="200") == 1
    assert grew("valuescout_http_requests_total", path="events", status="401") == 1
    assert grew("valuescout_slack_ack_seconds_count", kind="event") == 0


def test_dialogues_are_counted_by_how_they_ended(web, components, engine):
    log_discovery(engine, "metrics-dialogues")  # a submit without a dialogue changes nothing
    found = scrape(f"{web}/metrics")
    for status in ("open", "draft", "submitted", "cancelled"):
        assert ("valuescout_dialogues", (("status", status),)) in found


def test_metrics_behind_a_token_refuse_a_scrape_without_it(components, emulator, database_url):
    settings = e2e_settings(emulator, database_url, VALUESCOUT_METRICS_TOKEN=METRICS_TOKEN)
    parts = replace(components, settings=settings)
    server = LocalServer(web_app(parts)).start()
    base = server.url.removesuffix("/slack/events")
    try:
        with pytest.raises(HTTPError) as refused:
            scrape(f"{base}/metrics", token="wrong" * 8)
        assert refused.value.code == 401
        assert value(scrape(f"{base}/metrics", token=METRICS_TOKEN), "valuescout_database_up") == 1
    finally:
        server.stop()


def test_a_process_without_the_web_app_serves_metrics_on_its_own_port(
    components, emulator, database_url
):
    port = free_port()
    settings = e2e_settings(emulator, database_url, VALUESCOUT_METRICS_PORT=str(port))
    parts = replace(components, settings=settings)
    served = metrics_port(parts)
    try:
        found = scrape(f"http://127.0.0.1:{port}/metrics")
        assert value(found, "valuescout_outbox_pending", kind="webhook") == 0
    finally:
        served.stop()
    assert metrics_port(components) is None  # off unless VALUESCOUT_METRICS_PORT is set


def test_a_metrics_port_in_use_is_one_clear_line(components, emulator, database_url):
    with socket.socket() as taken:
        taken.bind(("0.0.0.0", 0))
        taken.listen()
        port = taken.getsockname()[1]
        settings = e2e_settings(emulator, database_url, VALUESCOUT_METRICS_PORT=str(port))
        parts = replace(components, settings=settings)
        with pytest.raises(SettingsError, match=f"VALUESCOUT_METRICS_PORT {port} cannot be used"):
            metrics_port(parts)


# The workers' files are summed whatever the database: on SQLite only (two Gunicorns a run).
@pytest.mark.parametrize("database_backend", ["sqlite"])
@pytest.mark.parametrize("folder", ["temporary", "named"])
def test_gunicorn_workers_counters_are_summed_whichever_worker_answers(
    emulator, database_url, tmp_path, folder
):
    shared = tmp_path / "metrics"
    shared.mkdir()
    (shared / "counter_1.db").write_bytes(b"left over from an earlier run")
    port = free_port()
    env = environment(emulator, database_url, PORT=str(port))
    if folder == "named":  # else `web` makes a folder of its own
        env["PROMETHEUS_MULTIPROC_DIR"] = str(shared)
    web = start(["web", "--host", "127.0.0.1", "--workers", "2"], env, tmp_path)
    try:
        wait_for_health(port, web)
        driver = SlackDriver(f"http://127.0.0.1:{port}/slack/events", SIGNING_SECRET)
        for _ in range(6):
            assert driver.command(Command.SCOUT.value, "help", user=SEED.scout).status == 200
        wait_until(
            lambda: value(scrape(f"http://127.0.0.1:{port}/metrics"), "valuescout_processes") == 2,
            what="both workers up",
        )  # a worker may still be starting
        scrapes = [scrape(f"http://127.0.0.1:{port}/metrics") for _ in range(8)]
        # Each worker keeps its values in files of its own, which every scrape sums: both
        # workers are counted, and the commands are, whichever worker answered them.
        assert {value(found, "valuescout_processes") for found in scrapes} == {2.0}
        counts = {
            value(found, "valuescout_slack_ack_seconds_count", kind="command") for found in scrapes
        }
        assert counts == {6.0}
        assert (shared / "counter_1.db").exists() == (folder == "temporary")  # emptied
    finally:
        output = stop(web)
    assert web.returncode == 0, output


def test_the_clock_serves_metrics_when_asked_and_logs_json_lines(emulator, database_url, tmp_path):
    port = free_port()
    env = environment(emulator, database_url, VALUESCOUT_METRICS_PORT=str(port), LOG_FORMAT="json")
    clock = start(["clock"], env, tmp_path)
    try:
        found = wait_until(
            lambda: _try_scrape(f"http://127.0.0.1:{port}/metrics"), timeout=30,
            what="the clock's metrics port",
        )  # fmt: skip
        assert value(found, "valuescout_database_up") == 1
    finally:
        clock.send_signal(signal.SIGTERM)
        output, _ = clock.communicate(timeout=30)
    assert clock.returncode == 0
    entries = [json.loads(line) for line in output.splitlines()]  # LOG_FORMAT=json: every line
    assert any(entry["message"].startswith("clock started") for entry in entries)
    assert SEED.bot_token not in output


def _try_scrape(url: str) -> dict | None:
    try:
        return scrape(url)
    except OSError:
        time.sleep(0.2)
        return None
