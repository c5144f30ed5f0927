"""What each outbox row says, drawn from the database as it is now (edits and changes included)."""

from __future__ import annotations

import copy
import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, tzinfo
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import Engine
from sqlmodel import Session

import prompts
from bot.accounts import alerts
from bot.accounts.radar import RADAR
from bot.dialogue.definition import Definition, current_definition
from bot.discoveries import blocked
from bot.discoveries.follow_ups import render_follow_through
from bot.discoveries.loop import STATUS_REPLY, load_cards, load_status_reply
from bot.discoveries.outbox_jobs import Gone, Job, NotReady, classify
from bot.discoveries.receipts import load_receipt
from bot.discoveries.service import DRAWN, RECEIPT, RECEIPT_UPDATE, card_version
from bot.discoveries.similar import find_related
from bot.discoveries.supporters import load_support
from bot.domain.similarity import CONVERGENCE_WINDOW
from bot.domain.themes import ValueNetwork, network_of_copy
from bot.effects import follow_through
from bot.effects.slack import SUPPORTER_RECEIPT
from bot.rendering.accounts import convergence_message, owner_alert_message, radar_message
from bot.rendering.cards import discovery_card
from bot.rendering.delivery import channel_blocked_message, resumed_message, waiting_message
from bot.rendering.links import link_as
from bot.rendering.receipts import receipt_message
from bot.rendering.status import status_reply_message
from bot.rendering.supporters import supporter_receipt_message
from bot.rendering.text import render
from bot.wording import say
from storage.engine import read_scope
from storage.enums import DiscoveryStatus
from storage.models import DiscoveryRoute, DiscoverySupporter

logger = logging.getLogger("bot.discoveries.delivery")
RECEIPT_WAIT = (2.0, 60.0)  # a receipt waiting for its cards looks again within these bounds


class OutboxRenderer:
    """Renders claimed rows: cards, receipts (once their cards are out) and status replies."""

    def __init__(
        self,
        *,
        engine: Engine,
        client: WebClient,
        definition: Definition,
        network: ValueNetwork | None,
        clock: Callable[[], float],
        zones: Callable[[Session, str], tzinfo] | None = None,
    ) -> None:
        self._engine, self._client, self._definition = engine, client, definition
        self._network, self._clock = network, clock
        # The dates a card shows are on its workspace's clock (UTC without the settings).
        self._zones = zones or (lambda _session, _team: UTC)

    def with_client(self, client: WebClient) -> OutboxRenderer:
        """This renderer asking Slack (permalinks) with a workspace's own client."""
        renderer = copy.copy(self)
        renderer._client = client
        return renderer

    def render(self, job: Job) -> tuple[Job, dict[str, Any]]:
        """The message as the database has it now (edits and status changes included); read
        without the write lock, which on SQLite would keep scouts' steps waiting."""
        if job.kind in (RECEIPT, RECEIPT_UPDATE):
            return job, self._receipt(job)
        if job.kind == STATUS_REPLY:
            return self._status_reply(job)
        if job.kind == SUPPORTER_RECEIPT:
            return job, self._supporter_receipt(job)
        if job.kind in (*alerts.KINDS, RADAR):
            return job, self._account_alert(job)
        if job.kind in follow_through.KINDS:
            return render_follow_through(engine=self._engine, job=job, permalink=self._permalink)
        if job.kind in blocked.NOTICES:
            with read_scope(self._engine) as session:
                return self._notice(session, job)
        with read_scope(self._engine) as session:
            found = load_cards(session=session, discovery_id=job.discovery_id)
            # Same short read: the related facts match the discovery as loaded.
            now = datetime.fromtimestamp(self._clock(), UTC)
            related = find_related(session=session, discovery=found[0], now=now) if found else None
            support = load_support(session=session, discovery_id=job.discovery_id)
            zone = self._zones(session, job.team_id or "")
        route = found and next((r for r in found[1] if r.route == job.payload["route"]), None)
        if found is None or route is None:
            raise Gone
        discovery, routes, history = found
        own = prompts.workspace_copy()  # the workspace's own questions and themes, if any
        definition = self._definition if own is None else current_definition()
        network = self._network if own is None else network_of_copy(own)
        card = discovery_card(
            discovery=discovery, route=route, definition=definition, network=network,
            history=history, related=related, routes=routes, support=support, zone=zone,
        )  # fmt: skip
        # Which version was drawn: a change before the card's ts is kept must redraw it.
        drawn = {**job.payload, DRAWN: card_version(discovery, len(history))}
        return replace(job, payload=drawn), card

    def _status_reply(self, job: Job) -> tuple[Job, dict[str, Any]]:
        """A status change for the scout, threaded under the receipt once that is posted."""
        with read_scope(self._engine) as session:
            state = load_status_reply(
                session=session, discovery_id=job.discovery_id,
                change_id=int(job.payload["status_change_id"]), message_id=job.id,
            )  # fmt: skip
        if state is None:
            raise Gone
        # Replies keep their order in the thread: each waits for the receipt and earlier ones.
        waiting_since = state.earlier_due_at
        if waiting_since is None and state.thread is None and state.receipt_pending:
            waiting_since = datetime.fromtimestamp(self._clock(), UTC)
        if waiting_since is not None:
            low, high = self._clock() + RECEIPT_WAIT[0], self._clock() + RECEIPT_WAIT[1]
            raise NotReady(min(max(waiting_since.timestamp(), low), high))
        if state.thread is not None:  # without a receipt (it failed for good) it goes unthreaded
            job = replace(job, channel_id=state.thread[0], thread_ts=state.thread[1])
        message = status_reply_message(
            change=state.change, channel_id=job.payload["channel_id"],
            to_channel_id=job.payload.get("to_channel_id"),
        )  # fmt: skip
        return job, message

    def _notice(self, session: Session, job: Job) -> tuple[Job, dict[str, Any]]:
        """A card waits on a channel (to the scout, to each admin), or it was posted at last."""
        about = {"route": job.payload["team"], "channel_id": job.payload["channel_id"]}
        if job.kind == blocked.CHANNEL_BLOCKED:
            error = job.payload["error"]
            if not blocked.still_blocked(
                session=session, channel_id=about["channel_id"], error=error
            ):
                raise Gone("not sent: the channel takes cards again")
            return job, channel_blocked_message(**about, error=error)
        if job.kind == blocked.WAITING and blocked.card_posted(
            session=session, discovery_id=job.discovery_id, route=about["route"]
        ):
            raise Gone("not sent: the card was posted first")
        thread = blocked.receipt_thread(session=session, discovery_id=job.discovery_id)
        if thread is True:  # the scout reads it under their receipt, once that is out
            raise NotReady(self._clock() + RECEIPT_WAIT[0])
        if thread:
            job = replace(job, channel_id=thread[0], thread_ts=thread[1])
        if job.kind == blocked.RESUMED:
            return job, resumed_message(**about)
        return job, waiting_message(**about, error=job.payload["error"])

    def _receipt(self, job: Job) -> dict[str, Any]:
        """The scout's receipt, once every card of the discovery is posted."""
        with read_scope(self._engine) as session:
            state = load_receipt(session=session, discovery_id=job.discovery_id)
        if state is None:
            raise Gone
        if state.cards_due_at is not None:
            low, high = self._clock() + RECEIPT_WAIT[0], self._clock() + RECEIPT_WAIT[1]
            raise NotReady(min(max(state.cards_due_at.timestamp(), low), high))
        posts = [(r.route, r.channel_id, self._permalink(r)) for r in state.routes]
        answers = {r.route: "rerouted" if r.rerouted_to else r.status.value for r in state.routes}
        return receipt_message(
            discovery=state.discovery, posts=posts, blocked=state.blocked, answers=answers
        )

    def _supporter_receipt(self, job: Job) -> dict[str, Any]:
        """To a scout whose account joined a discovery: links to its posted cards."""
        with read_scope(self._engine) as session:
            state = load_receipt(session=session, discovery_id=job.discovery_id)
            supporter = session.get(DiscoverySupporter, int(job.payload["supporter_id"]))
            account = supporter and supporter.account  # read before the read's rollback
        if state is None or supporter is None:
            raise Gone
        routes = [r for r in state.routes if not r.rerouted_to]
        links = [(r.channel_id, self._permalink(r)) for r in routes]
        places = [
            render("receipt_place.md.j2", channel_id=channel,
                   link=link_as(permalink, say("receipt_see_the_post")), status=None)
            for channel, permalink in links
        ]  # fmt: skip
        return supporter_receipt_message(
            account=account, discovery_id=state.discovery.id,
            discovery_account=state.discovery.account, places=places,
        )  # fmt: skip

    def _account_alert(self, job: Job) -> dict[str, Any]:
        """To an account's owner (or the sales channel), once the discovery's cards are out."""
        with read_scope(self._engine) as session:
            state = load_receipt(session=session, discovery_id=job.discovery_id)
        if state is None or state.discovery.status == DiscoveryStatus.WITHDRAWN:
            raise Gone("not sent: the discovery is gone or withdrawn")
        if state.cards_due_at is not None:
            low, high = self._clock() + RECEIPT_WAIT[0], self._clock() + RECEIPT_WAIT[1]
            raise NotReady(min(max(state.cards_due_at.timestamp(), low), high))
        routes = [r for r in state.routes if not r.rerouted_to]
        personal = job.channel_id[:1] in ("U", "W")
        if job.kind == RADAR:
            if state.discovery.status not in (DiscoveryStatus.NEW, DiscoveryStatus.ACKNOWLEDGED):
                raise Gone("not sent: the discovery was acted on meanwhile")
            posts = [(r.channel_id, self._permalink(r)) for r in routes if r.route == alerts.SALES]
            days = int(job.payload["days"])
            return radar_message(
                discovery=state.discovery, posts=posts, days=days, personal=personal
            )
        posts = [(r.channel_id, self._permalink(r)) for r in routes]
        if job.kind == alerts.OWNER_NEW:
            return owner_alert_message(discovery=state.discovery, posts=posts)
        return convergence_message(
            discovery=state.discovery, posts=posts, scouts=int(job.payload["scouts"]),
            days=CONVERGENCE_WINDOW.days, personal=personal,
        )  # fmt: skip

    def _permalink(self, route: DiscoveryRoute) -> str | None:
        """A link to a posted card; None (no link) when Slack refuses for good."""
        if not route.message_ts:
            return None
        try:
            response = self._client.chat_getPermalink(
                channel=route.channel_id, message_ts=route.message_ts
            )
        except SlackApiError as error:
            code, _delay, permanent = classify(error)
            if not permanent:
                raise  # worth retrying the receipt: a link is better than none
            logger.warning("no permalink for %s in %s: %s", route.route, route.channel_id, code)
            return None
        return response["permalink"]
