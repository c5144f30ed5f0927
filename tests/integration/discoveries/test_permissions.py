"""Who may edit, withdraw, act on and re-route a discovery: the use cases' rules, no Slack."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine

from bot.discoveries.edits import edit_as, open_change, withdraw_as
from bot.discoveries.loop import Change, change_status, start_change
from bot.discoveries.reroute import Move, offer_reroute, reroute
from bot.discoveries.service import submit_discovery
from bot.domain.actor import Actor
from bot.domain.lifecycle import RerouteRefused, Why
from bot.domain.themes import load_network
from storage.engine import session_scope
from storage.enums import DiscoverySource, DiscoveryStatus
from storage.queries import set_route_channel

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
NETWORK = load_network()
SCOUT, ADMIN, STRANGER, SELLER = "U0SCOUT", "U0ADMIN", "U0STRANGER", "U0SELLER"
ADMINS = frozenset({ADMIN})
SALES, MARKETING = "C0SALES", "C0MARKETING"
ANSWERS = {
    "account": "Globex",
    "outcome": "Onboard a store in a day",
    "gap": "By hand",
    "fit": "partly",
}


@pytest.fixture
def discovery_id(engine: Engine) -> int:
    """A new discovery routed to sales, whose channel is mapped (marketing's is not yet)."""
    with session_scope(engine) as session:
        set_route_channel(session=session, route="sales", channel_id=SALES, changed_by=ADMIN)
        result = submit_discovery(
            session=session, source_key="view:V1", team_id="T0ACME", scout_user_id=SCOUT,
            source=DiscoverySource.MODAL, answers=ANSWERS, routes=[("sales", "Money")],
            themes=[], route_channels={"sales": SALES}, now=NOW,
        )  # fmt: skip
        return result.discovery_id


def _actor(user: str) -> Actor:
    return Actor.of(user, "T0ACME", admins=ADMINS)


def _open(engine: Engine, discovery_id: int, user: str, *, withdraw: bool = False):
    with session_scope(engine) as session:
        return open_change(
            session=session, discovery_id=discovery_id, actor=_actor(user), withdraw=withdraw
        )


def _change(
    engine: Engine, discovery_id: int, status: DiscoveryStatus, channel: str = SALES
) -> None:
    with session_scope(engine) as session:
        change = Change(status, SELLER, channel, note="done")
        change_status(session=session, discovery_id=discovery_id, change=change, now=NOW)


@pytest.mark.parametrize("user", [SCOUT, ADMIN])
def test_its_scout_and_an_admin_may_edit_a_new_discovery(
    engine: Engine, discovery_id: int, user: str
):
    opening = _open(engine, discovery_id, user)

    assert opening.permitted and opening.refused is None
    assert opening.answers["account"] == "Globex"


def test_anyone_else_may_neither_edit_nor_withdraw_and_is_told_whose_it_is(
    engine: Engine, discovery_id: int
):
    for withdraw in (False, True):
        opening = _open(engine, discovery_id, STRANGER, withdraw=withdraw)
        assert not opening.permitted
        assert opening.scout_user_id == SCOUT
        assert opening.answers == {}  # nothing of the discovery is handed to them


def test_an_acknowledged_discovery_may_be_withdrawn_but_no_longer_edited(
    engine: Engine, discovery_id: int
):
    _change(engine, discovery_id, DiscoveryStatus.ACKNOWLEDGED)

    edit = _open(engine, discovery_id, SCOUT)
    withdraw = _open(engine, discovery_id, SCOUT, withdraw=True)

    assert edit.refused is not None and edit.refused.status == DiscoveryStatus.ACKNOWLEDGED
    assert edit.refused.latest is not None and edit.refused.latest.actor_user_id == SELLER
    assert withdraw.permitted and withdraw.refused is None


def _withdraw(engine: Engine, discovery_id: int, user: str, channel: str):
    with session_scope(engine) as session:
        return withdraw_as(
            session=session, discovery_id=discovery_id, actor=_actor(user), channel_id=channel,
            now=NOW,
        )  # fmt: skip


def test_a_stranger_withdrawing_changes_nothing(engine: Engine, discovery_id: int):
    opening, result = _withdraw(engine, discovery_id, STRANGER, SALES)

    assert result is None and not opening.permitted
    assert _open(engine, discovery_id, SCOUT).refused is None  # still new, still editable


def test_the_scout_withdraws_once(engine: Engine, discovery_id: int):
    _opening, result = _withdraw(engine, discovery_id, SCOUT, SCOUT)
    _opening, again = _withdraw(engine, discovery_id, SCOUT, SCOUT)

    assert result is not None and result.done and result.change_id is not None
    assert again is not None and again.repeated and again.change_id is None
    assert _open(engine, discovery_id, SCOUT, withdraw=True).refused is not None


def test_a_gone_discovery_is_said_to_be_gone(engine: Engine):
    opening = _open(engine, 999, SCOUT)

    assert not opening.permitted and opening.scout_user_id is None


def test_actioned_opens_on_a_new_card_but_not_on_a_declined_one(engine: Engine, discovery_id: int):
    def start(target: DiscoveryStatus):
        with session_scope(engine) as session:
            return start_change(
                session=session, discovery_id=discovery_id, channel_id=SALES, target=target
            )

    assert start(DiscoveryStatus.ACTIONED) == ("Globex", None)
    _change(engine, discovery_id, DiscoveryStatus.DECLINED)
    account, refused = start(DiscoveryStatus.ACTIONED)
    assert account == "Globex" and refused is not None
    assert refused.status == DiscoveryStatus.DECLINED


def _offer(engine: Engine, discovery_id: int, route: str = "sales"):
    with session_scope(engine) as session:
        return offer_reroute(session=session, discovery_id=discovery_id, route=route)


def test_reroute_offers_only_the_routes_with_a_channel_it_has_not_been_to(
    engine: Engine, discovery_id: int
):
    with pytest.raises(RerouteRefused) as refused:
        _offer(engine, discovery_id)
    assert refused.value.why == Why.UNMAPPED  # marketing and product have no channel yet

    with session_scope(engine) as session:
        set_route_channel(
            session=session, route="marketing", channel_id=MARKETING, changed_by=ADMIN
        )
    offer = _offer(engine, discovery_id)

    assert (offer.account, offer.routes) == ("Globex", ["marketing"])


def test_a_card_that_moved_or_closed_offers_no_reroute(engine: Engine, discovery_id: int):
    with session_scope(engine) as session:
        set_route_channel(
            session=session, route="marketing", channel_id=MARKETING, changed_by=ADMIN
        )
        move = Move(discovery_id, "sales", "marketing", SELLER, "their launch")
        reroute(session=session, move=move, channels={"marketing": MARKETING}, now=NOW)

    with pytest.raises(RerouteRefused) as moved:
        _offer(engine, discovery_id, "sales")
    _change(engine, discovery_id, DiscoveryStatus.DECLINED, channel=MARKETING)
    with pytest.raises(RerouteRefused) as closed:
        _offer(engine, discovery_id, "marketing")

    assert moved.value.why == Why.MOVED and moved.value.account == "Globex"
    assert closed.value.why == Why.CLOSED and closed.value.status == DiscoveryStatus.DECLINED


def _edit(engine: Engine, discovery_id: int, user: str):
    with session_scope(engine) as session:
        return edit_as(
            session=session, discovery_id=discovery_id, actor=_actor(user),
            answers={**ANSWERS, "outcome": f"Rewritten by {user}"}, network=NETWORK, now=NOW,
        )  # fmt: skip


def test_a_stranger_editing_changes_nothing_even_with_a_forged_form(
    engine: Engine, discovery_id: int
):
    opening, result = _edit(engine, discovery_id, STRANGER)

    assert result is None and not opening.permitted
    assert _open(engine, discovery_id, SCOUT).answers["outcome"] == ANSWERS["outcome"]


@pytest.mark.parametrize("user", [SCOUT, ADMIN])
def test_its_scout_or_an_admin_edits_a_new_discovery(engine: Engine, discovery_id: int, user):
    _opening, result = _edit(engine, discovery_id, user)

    assert result is not None and result.done
    assert _open(engine, discovery_id, SCOUT).answers["outcome"] == f"Rewritten by {user}"
