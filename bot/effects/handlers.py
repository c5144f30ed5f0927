"""One map from domain event type to its effects: each handler queues outbox work, once.

A new side effect is one handler here, added to the events it follows. Handlers run when the
dispatcher takes an event from the log, in one transaction with marking it dispatched, and
every row they queue has a dedupe key, so an effect is queued exactly once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session

from bot.accounts.alerts import queue_convergence, queue_owner_alert
from bot.domain.events import (
    DiscoveryEdited,
    DiscoveryRerouted,
    DiscoveryShared,
    DiscoverySubmitted,
    DiscoverySupported,
    DiscoveryWithdrawn,
    DomainEvent,
    RouteAcknowledged,
    RouteActioned,
    RouteDeclined,
    RouteStageChanged,
    StatusChanged,
)
from bot.effects.follow_through import queue_stage_effects
from bot.effects.slack import (
    queue_card,
    queue_receipt,
    queue_redraws,
    queue_status_reply,
    queue_supporter_receipt,
)
from bot.effects.webhook import queue_webhook, team_target
from storage.models import DiscoverySupporter


@dataclass(frozen=True)
class Occurred:
    """A logged event being dispatched, with what its effects need beyond the event itself."""

    event: DomainEvent
    event_id: str  # the log's public id (a webhook's X-ValueScout-Event-Id)
    occurred_at: datetime
    team_id: str
    discovery: dict[str, Any]  # the export record right after the change
    now: datetime
    webhook: bool  # whether the deployment's webhook (VALUESCOUT_WEBHOOK_URL) is configured
    team_webhooks: bool = False  # whether a workspace may have its own (installed by OAuth)


Handler = Callable[[Session, Occurred], None]


def post_cards(session: Session, occurred: Occurred) -> None:
    """A card in each routed channel."""
    event = occurred.event
    assert isinstance(event, DiscoverySubmitted)
    for route, channel in event.channels.items():
        queue_card(
            session=session, discovery_id=event.discovery_id, route=route, channel_id=channel,
            now=occurred.now,
        )  # fmt: skip


def send_receipt(session: Session, occurred: Occurred) -> None:
    """The scout's receipt, with links to the cards."""
    event = occurred.event
    queue_receipt(
        session=session, discovery_id=event.discovery_id, scout_user_id=event.actor_user_id,
        now=occurred.now,
    )  # fmt: skip


def send_supporter_receipt(session: Session, occurred: Occurred) -> None:
    """A scout whose account joined the discovery gets a link to its card (not after a merge:
    the merged discovery's scout hears it in their receipt's thread)."""
    event = occurred.event
    assert isinstance(event, DiscoverySupported)
    supporter = session.get(DiscoverySupporter, event.supporter_id)
    if supporter is None or supporter.merged_from_id is not None:
        return
    queue_supporter_receipt(
        session=session, discovery_id=event.discovery_id, supporter_id=supporter.id,
        scout_user_id=supporter.scout_user_id, now=occurred.now,
    )  # fmt: skip


def post_moved_card(session: Session, occurred: Occurred) -> None:
    """A re-routed discovery's card in its new channel."""
    event = occurred.event
    assert isinstance(event, DiscoveryRerouted)
    queue_card(
        session=session, discovery_id=event.discovery_id, route=event.to_route,
        channel_id=event.to_channel_id, now=occurred.now,
    )  # fmt: skip


def tell_scout(session: Session, occurred: Occurred) -> None:
    """A reply in the thread of the scout's receipt: who changed what."""
    event = occurred.event
    assert isinstance(event, StatusChanged)
    payload = {"channel_id": event.channel_id}
    if isinstance(event, DiscoveryRerouted):
        payload["to_channel_id"] = event.to_channel_id
    queue_status_reply(
        session=session, discovery_id=event.discovery_id, change_id=event.change_id,
        payload=payload, now=occurred.now,
    )  # fmt: skip


def redraw_cards(session: Session, occurred: Occurred) -> None:
    """Every posted card and the receipt show the discovery as it is now."""
    event = occurred.event
    cause = f"change:{event.change_id}" if isinstance(event, StatusChanged) else None
    queue_redraws(
        session=session, discovery_id=event.discovery_id,
        cause=cause or f"{event.type}:{occurred.event_id}", now=occurred.now,
    )  # fmt: skip


def call_webhook(session: Session, occurred: Occurred) -> None:
    """The event, signed, to the workspace's own target, else VALUESCOUT_WEBHOOK_URL."""
    own = occurred.team_webhooks and (
        team_target(session=session, team_id=occurred.team_id) is not None
    )
    if not (own or occurred.webhook):
        return
    body = {
        "id": occurred.event_id,
        "type": occurred.event.type,
        "occurred_at": occurred.occurred_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "team_id": occurred.team_id,
        "discovery": occurred.discovery,
    }
    queue_webhook(
        session=session, discovery_id=occurred.event.discovery_id, body=body, now=occurred.now,
        team_id=occurred.team_id if own else None,
    )  # fmt: skip


def tell_account_owner(session: Session, occurred: Occurred) -> None:
    """A DM to the owner of the discovery's account (unless they turned these off)."""
    queue_owner_alert(session=session, discovery_id=occurred.event.discovery_id, now=occurred.now)


def announce_convergence(session: Session, occurred: Occurred) -> None:
    """Several scouts at one account within a window: to its owner and the sales channel."""
    queue_convergence(session=session, discovery_id=occurred.event.discovery_id, now=occurred.now)


def follow_stage(session: Session, occurred: Occurred) -> None:
    """A stage change: the scout hears (with a draft for the customer once value is realised),
    the follow-up DMs lose their buttons."""
    event = occurred.event
    assert isinstance(event, RouteStageChanged)
    queue_stage_effects(
        session=session, discovery_id=event.discovery_id, follow_up_id=event.follow_up_id,
        change_id=event.stage_change_id, now=occurred.now,
    )  # fmt: skip


STATUS_EFFECTS: tuple[Handler, ...] = (tell_scout, redraw_cards, call_webhook)
HANDLERS: dict[type[DomainEvent], tuple[Handler, ...]] = {
    DiscoverySubmitted: (
        post_cards,
        send_receipt,
        call_webhook,
        tell_account_owner,
        announce_convergence,
    ),
    DiscoveryEdited: (redraw_cards, call_webhook),
    DiscoverySupported: (redraw_cards, send_supporter_receipt, call_webhook),
    DiscoveryRerouted: (post_moved_card, *STATUS_EFFECTS),
    DiscoveryShared: (post_moved_card, *STATUS_EFFECTS),
    DiscoveryWithdrawn: STATUS_EFFECTS,
    RouteAcknowledged: STATUS_EFFECTS,
    RouteActioned: STATUS_EFFECTS,
    RouteDeclined: STATUS_EFFECTS,
    RouteStageChanged: (follow_stage, redraw_cards, call_webhook),
}


def handle(session: Session, occurred: Occurred) -> None:
    """Queue every effect of one event, in the order listed."""
    for handler in HANDLERS[type(occurred.event)]:
        handler(session, occurred)
