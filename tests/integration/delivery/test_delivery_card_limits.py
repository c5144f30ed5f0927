"""Hostile and huge discoveries: Slack accepts the card, it notifies nobody, the database keeps all."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from sqlalchemy import Engine

from bot.discoveries.delivery import DeliveryWorker
from bot.emulator import SEED, SlackEmulator
from storage.engine import session_scope
from storage.models import Discovery

Submit = Callable[..., int]
HOSTILE = (
    "<!channel> <!here> <@U0ADMIN> <#C0SALES> <!subteam^S1|@sales> <https://evil.example|x> & "
)
EVIDENCE = ("顧客の声 😀👩‍👩‍👧 " + HOSTILE) * 400  # over 40,000 characters, CJK and emoji


def test_a_hostile_huge_discovery_is_accepted_by_slack_and_mentions_only_the_scout(
    engine: Engine, emulator: SlackEmulator, worker: DeliveryWorker, submit: Submit
):
    answers = {
        "account": HOSTILE[:200],
        "outcome": HOSTILE * 40,
        "gap": "&" * 5000,  # escapes to five times its length
        "fit": "yes",
        "who_cares": "other",
        "value": {"band": "unknown"},
        "event": {"date": "2027-01-31", "pressure": HOSTILE * 30},
        "evidence": EVIDENCE,
        "evidence_url": "https://tickets.example/42?a=1&b=<2>|3",
    }
    discovery_id = submit(answers=answers, routes=[("sales", HOSTILE * 50)], themes=[HOSTILE] * 40)

    assert worker.drain_once() == 2

    assert all(call.ok for call in emulator.calls)
    [card] = emulator.messages(SEED.sales)
    posted = json.dumps(card["blocks"], ensure_ascii=False) + card["text"]
    assert re.findall(r"<[!@#]\w*", posted) == [f"<@{SEED.scout}"]  # the app's own mention only
    assert "&lt;!channel&gt;" in posted and "shortened:" in posted and "顧客の声 😀" in posted
    with session_scope(engine) as session:
        assert session.get(Discovery, discovery_id).evidence == EVIDENCE
