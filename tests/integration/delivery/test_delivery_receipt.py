"""The scout's receipt: sent once every card is posted, linking each post, kept for threading."""

from __future__ import annotations

from collections.abc import Callable

from slack_sdk import WebClient
from sqlalchemy import Engine
from sqlmodel import select

from bot.discoveries.delivery import DeliveryWorker
from bot.emulator import SEED, ManualClock, SlackEmulator
from storage.engine import session_scope
from storage.enums import OutboxStatus
from storage.models import OutboxMessage

Submit = Callable[..., int]


def _receipt_row(engine: Engine) -> OutboxMessage:
    with session_scope(engine) as session:
        return session.exec(select(OutboxMessage).where(OutboxMessage.kind == "receipt")).one()


def test_the_receipt_waits_for_every_card_then_links_each_post(
    engine: Engine,
    emulator: SlackEmulator,
    client: WebClient,
    worker: DeliveryWorker,
    submit: Submit,
    clock: ManualClock,
):
    # The first card (sales) cannot go out yet: Slack has an incident.
    channels = {"sales": SEED.sales, "product": SEED.general}
    emulator.workspace.join(SEED.general, SEED.bot_user_id)
    submit(routes=[("sales", "Money"), ("product", "Roadmap")], channels=channels)
    emulator.faults.server_error("chat.postMessage", times=1)

    assert worker.drain_once() == 1  # the product card only
    assert emulator.messages(SEED.scout) == []
    waiting = _receipt_row(engine)
    assert (waiting.status, waiting.attempts, waiting.last_error) == (OutboxStatus.PENDING, 0, None)

    clock.advance(16 * 60)
    assert worker.drain_once() == 2  # the sales card, then the receipt

    [receipt] = emulator.messages(SEED.scout)
    [sales_card], [product_card] = emulator.messages(SEED.sales), emulator.messages(SEED.general)
    for channel, card in ((SEED.sales, sales_card), (SEED.general, product_card)):
        link = client.chat_getPermalink(channel=channel, message_ts=card["ts"])["permalink"]
        assert f"<#{channel}> (new, <{link}|see the post>)" in receipt["text"]  # and its answer
    assert receipt["text"].startswith("Your discovery at *Globex* went to")
    row = _receipt_row(engine)
    # Kept so that status updates can be threaded under the receipt.
    assert (row.posted_channel, row.posted_ts) == (
        emulator.dm_channel_for(SEED.scout),
        receipt["ts"],
    )


def test_a_receipt_is_sent_without_a_link_when_slack_will_not_give_one(
    emulator: SlackEmulator, worker: DeliveryWorker, submit: Submit
):
    emulator.faults.error("chat.getPermalink", "message_not_found", times=1)
    submit()

    assert worker.drain_once() == 2

    [receipt] = emulator.messages(SEED.scout)
    assert receipt["text"].endswith(f"went to <#{SEED.sales}> (new).")
