"""Cards posted by the worker link similar earlier discoveries and note convergence at an account."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import Engine

from bot.discoveries.delivery import DeliveryWorker
from bot.discoveries.service import submit_discovery
from bot.emulator import SEED, ManualClock, SlackEmulator
from bot.rendering.text import escape
from storage.engine import session_scope
from storage.enums import DiscoverySource

DAY = 86_400.0
BASE: dict[str, Any] = {
    "account": "Globex",
    "outcome": "Onboard a new store in one day instead of two weeks",
    "gap": "Every store is set up by hand from a spreadsheet",
    "fit": "partly",
}
CHANNELS = {"sales": SEED.sales, "marketing": SEED.marketing, "product": SEED.product}

Log = Callable[..., int]


@pytest.fixture
def log(engine: Engine, clock: ManualClock) -> Log:
    """Submit a discovery as a given scout at the clock's time; return its id."""
    count = iter(range(1_000))

    def log(*, scout: str, **answers: str) -> int:
        with session_scope(engine) as session:
            result = submit_discovery(
                session=session, source_key=f"related:{next(count)}", team_id=SEED.team_id,
                scout_user_id=scout, source=DiscoverySource.MODAL, answers=BASE | answers,
                routes=[("sales", "Money is at stake")], themes=[], route_channels=CHANNELS,
                now=datetime.fromtimestamp(clock(), UTC),
            )  # fmt: skip
        return result.discovery_id

    return log


def _related(emulator: SlackEmulator, discovery_id: int) -> str | None:
    """The Related section of the posted card of discovery_id, if it has one."""
    [card] = [m for m in emulator.messages(SEED.sales) if _context(m) == f"Value Scout · discovery #{discovery_id}"]  # fmt: skip
    texts = [b["text"]["text"] for b in card["blocks"] if "text" in b]
    return next((t for t in texts if t.startswith("*Related*")), None)


def _context(message: dict[str, Any]) -> str:
    """The card's context line, which names its own discovery."""
    [context] = [b for b in message["blocks"] if b["type"] == "context"]
    return context["elements"][0]["text"]


def test_the_third_scout_at_an_account_in_30_days_sees_the_convergence_and_earlier_cards(
    emulator: SlackEmulator, worker: DeliveryWorker, log: Log, clock: ManualClock
):
    outside = log(scout=SEED.coach, account="Acme", outcome="Cut churn", gap="No alerts")
    clock.advance(20 * DAY)
    first = log(scout=SEED.scout, account="Acme", outcome="Ship faster", gap="Manual QA")
    worker.drain_once()
    clock.advance(15 * DAY)
    second = log(scout=SEED.dana, account="acme ", outcome="Fewer outages", gap="No on-call")
    worker.drain_once()
    clock.advance(10 * DAY)
    third = log(scout=SEED.sally, account=" ACME", outcome="Audit in a week", gap="Paper logs")
    worker.drain_once()

    text = _related(emulator, third)
    assert text is not None
    # 45 days after the first one: it is related, but outside the 30 days that are counted.
    # One account, so one name: the spelling it was first logged under.
    assert "3rd discovery at Acme in 30 days, from 3 scouts" in text
    assert f"discovery #{second} in <#{SEED.sales}>: *Acme* — Fewer outages" in text
    assert text.index(f"#{second}") < text.index(f"#{first}") < text.index(f"#{outside}")
    assert "2nd discovery at Acme in 30 days, from 2 scouts" in str(_related(emulator, second))
    assert _related(emulator, outside) is None


def test_close_outcome_wording_at_another_account_is_related_and_the_unrelated_is_not(
    emulator: SlackEmulator, worker: DeliveryWorker, log: Log, clock: ManualClock
):
    original = log(scout=SEED.scout)
    worker.drain_once()
    clock.advance(DAY)
    alike = log(
        scout=SEED.dana, account="Initech", outcome="Onboard new stores in one day", gap="Slow"
    )
    unrelated = log(
        scout=SEED.sally, account="Umbrella", outcome="Cut cloud costs", gap="Idle servers"
    )
    worker.drain_once()

    text = _related(emulator, alike)
    assert text is not None and f"discovery #{original} in <#{SEED.sales}>: *Globex*" in text
    assert "discovery at" not in text  # one discovery at Initech: no convergence to note
    assert _related(emulator, unrelated) is None


def test_hostile_text_in_a_related_discovery_is_escaped_and_notifies_nobody(
    emulator: SlackEmulator, worker: DeliveryWorker, log: Log, clock: ManualClock
):
    hostile = "<!channel> <@U0ADMIN> <https://evil.example|x> & " * 80
    log(scout=SEED.scout, account="Acme <!here>", outcome=hostile)
    worker.drain_once()
    clock.advance(DAY)
    later = log(scout=SEED.dana, account="acme <!here>", outcome="Fewer outages")
    worker.drain_once()

    text = _related(emulator, later)
    assert text is not None
    assert escape("<!channel> <@U0ADMIN> <https://evil.example|x> &") in text
    assert "<!" not in text and "<@" not in text and "<http" not in text
    assert "…" in text and len(text) <= 3000
    assert "2nd discovery at Acme &lt;!here&gt; in 30 days, from 2 scouts" in text
