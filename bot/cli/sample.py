"""Sample history for the demo: a quarter of discoveries and what became of them.

A fresh demo has only what you log in it, so the weekly digests have little to show.
This adds a quarter of plausible history straight to the database (no cards are
posted: it is the past), with the same tagging and statuses the app gives real ones.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import Engine
from sqlmodel import select

from bot.digests.model import Week
from bot.domain.money import current_money
from bot.domain.themes import ValueNetwork, tag_themes
from bot.routes import current_routes
from storage.engine import session_scope
from storage.enums import DiscoverySource, DiscoveryStatus, Fit, Persona
from storage.models import (
    Discovery,
    DiscoveryRoute,
    DiscoverySupporter,
    FollowUp,
    StageChange,
    StatusChange,
)
from storage.queries.accounts import account_for_name
from storage.queries.loop_facts import refresh_loop_facts

ACCOUNTS = ("Globex", "Initech", "Umbrella", "Hooli", "Soylent", "Cyberdyne", "Tyrell",
            "Wonka Industries", "Oscorp", "Vandelay Imports")  # fmt: skip
GAPS = (  # outcome, gap, route, fit
    ("Onboard a new store in one day", "Setup takes two weeks of consultant time", "product",
     Fit.NOT_YET),
    ("Cut support tickets about invoices by half", "Invoice errors need a support call", "product",
     Fit.PARTLY),
    ("Close the books in two days", "Reconciliation is manual in spreadsheets", "sales", Fit.YES),
    ("Grow revenue from existing stores", "No upsell signal reaches the account team", "sales",
     Fit.YES),
    ("Pass the yearly audit without overtime", "Evidence is spread over five tools", "marketing",
     Fit.YES),
    ("Get new hires productive in a week", "Training is a 60-page PDF", "marketing", Fit.PARTLY),
    ("See stock across all warehouses live", "Reports are a day old", "product", Fit.NOT_YET),
    ("Lower the cost of each support ticket", "Agents re-type data from email", "sales",
     Fit.PARTLY),
)  # fmt: skip
# What customers said, word for word: the evidence of about half the sample, by outcome.
QUOTES = {
    "Onboard a new store in one day": "Every new store sits idle for two weeks waiting for setup.",
    "Cut support tickets about invoices by half": "Half my team's week goes on invoice questions.",
    "Close the books in two days": "We re-key every export by hand at month end.",
    "Grow revenue from existing stores": "We only hear a store wants more when they call us.",
    "Pass the yearly audit without overtime": "The audit means three weekends of copying files.",
    "Get new hires productive in a week": "New people shadow someone for a month before they help.",
    "See stock across all warehouses live": "By the time we see the stock report it's already wrong.",
    "Lower the cost of each support ticket": "Every ticket starts with someone copying an email.",
    "Keep scanning in offline mode at the dock": "The scanners die at the dock doors, no signal there.",
}
# Words no theme has yet, logged early in each of the last weeks: the product digest then
# suggests a theme ("Offline mode") with its "Add theme" button.
RECURRING = ("Keep scanning in offline mode at the dock", "The app stops without a signal",
             "product", Fit.NOT_YET)  # fmt: skip
RECURRING_WEEKS = 3
# Why each outcome is pressing now, for the discoveries that name a compelling event.
EVENTS = {
    "Onboard a new store in one day": "Twelve new stores open before the spring season",
    "Cut support tickets about invoices by half": "The support contract is renegotiated",
    "Close the books in two days": "The board moves the quarterly review forward",
    "Grow revenue from existing stores": "Next year's budget is set",
    "Pass the yearly audit without overtime": "The yearly audit starts",
    "Get new hires productive in a week": "Forty seasonal hires start",
    "See stock across all warehouses live": "The third warehouse opens",
    "Lower the cost of each support ticket": "The support budget is cut by a fifth",
    "Keep scanning in offline mode at the dock": "The new dock goes live",
}
WHO_CARES = (Persona.EXECUTIVE, Persona.DEPARTMENT_MANAGER, Persona.END_USER,
             Persona.TECHNICAL_OWNER)  # fmt: skip
SCOUTS = ("U0SCOUT", "U0SALLY", "U0COACH", "U0ADMIN")
ACTORS = {"sales": "U0SALLY", "marketing": "U0COACH", "product": "U0DANA"}
OUTCOMES = (("opportunity", "Opportunity opened"), ("content", "New value story in the deck"),
            ("roadmap", "On the roadmap for next quarter"), ("training", "Added to onboarding"))  # fmt: skip
# Why some are declined (keys of prompts/decline_reasons.yaml), picked by the discovery's id so
# the sample's random sequence (and every figure drawn from it) stays as it was.
DECLINES = (("not_a_fit", "Not a fit for our market"), ("covered", "Already in the Q2 deck"),
            ("not_now", None), ("duplicate", None), ("other", "Budget frozen this year"))  # fmt: skip


def add_sample_history(
    *, engine: Engine, team_id: str, channels: dict[str, str], network: ValueNetwork,
    now: datetime, zone: ZoneInfo, weeks: int = 12, seed: int = 7,
) -> int:  # fmt: skip
    """Add `weeks` full weeks of sample discoveries, and some this week so far (once only)."""
    rng = random.Random(seed)
    this_week = Week.of(now, zone)
    with session_scope(engine) as session:
        if session.exec(select(Discovery.id).where(Discovery.source_key == "sample:0")).first():
            return 0
        count = 0
        for back in range(weeks, -1, -1):  # growing over the quarter, as adoption does
            start, end = this_week.shifted(-back).bounds(zone)
            end = min(end, now)
            for n in range(rng.randint(2 + (weeks - back) // 3, 6 + (weeks - back) // 2)):
                created = start + (end - start) * rng.random()
                story = RECURRING if n == 0 and back < RECURRING_WEEKS else None
                _add(session, rng, count, team_id, channels, network, created, now, story)
                count += 1
    return count


def _add(session, rng, number, team_id, channels, network, created, now, story=None) -> None:
    """One discovery with its route and, as the weeks passed, what became of it."""
    picked = rng.choice(GAPS)  # drawn even for a given story: the rest stays as it was
    outcome, gap, route, fit = story or picked
    routes = current_routes().ids  # a deployment's own routes get a share of the history
    route = route if route in routes and rng.random() < 0.8 else rng.choice(routes)
    account = account_for_name(session=session, team_id=team_id, name=rng.choice(ACCOUNTS))  # linked, as submitted
    discovery = Discovery(
        team_id=team_id, scout_user_id=rng.choice(SCOUTS), account=account.name,
        account_id=account.id,
        outcome=outcome, gap=gap, fit=fit, themes=tag_themes(network, outcome, gap),
        source=DiscoverySource.DM, source_key=f"sample:{number}", created_at=created,
        updated_at=created, evidence=f"“{QUOTES[outcome]}”" if rng.random() < 0.5 else None,
        **_value(rng),
    )  # fmt: skip
    session.add(discovery)
    session.flush()
    _who_and_when(discovery)
    routed = DiscoveryRoute(discovery_id=discovery.id, route=route, reason="Sample history",
                            channel_id=channels.get(route, ""), created_at=created)  # fmt: skip
    session.add(routed)
    session.flush()
    session.add(StatusChange(discovery_id=discovery.id, to_status=DiscoveryStatus.NEW,
                             actor_user_id=discovery.scout_user_id, at=created))  # fmt: skip
    _answer(session, rng, (discovery, routed), ACTORS.get(route, "U0DANA"), now)
    _follow_through(session, discovery, routed, now)
    refresh_loop_facts(session=session, discovery_id=discovery.id)  # as the use cases keep them
    _support(session, discovery, number, now)


# Picked by the discovery's id, not the random sequence, so every other figure stays as it was.
DECLINED_LATELY_EVERY = 3  # of those still waiting for an answer, one in three was declined
WHO_CARES_EVERY, EVENT_EVERY = 2, 3  # half name who cares; a third a compelling event


def _who_and_when(discovery: Discovery) -> None:
    """Who cares for half of them, and a compelling event weeks ahead for a third: scouts
    leave these out most, so the coach's figures and the scouts' tips have both kinds."""
    number = discovery.id
    if number % WHO_CARES_EVERY == 0:
        discovery.who_cares = WHO_CARES[number // WHO_CARES_EVERY % len(WHO_CARES)]
    if number % EVENT_EVERY == 0:
        discovery.event_date = (discovery.created_at + timedelta(weeks=4 + number % 9)).date()
        discovery.event_pressure = EVENTS[discovery.outcome]


def _value(rng: random.Random) -> dict:
    if rng.random() < 0.4:
        amount = Decimal(rng.choice((20, 40, 75, 150, 400))) * 1000
        base = current_money().convert(amount, "EUR")
        return {"value_amount": amount, "value_currency": "EUR", "value_base": base}
    return {}


def _answer(session, rng: random.Random, rows: tuple, actor: str, now: datetime) -> None:
    """Most are picked up within days; many then actioned, a few declined; some stay open."""
    discovery, route = rows
    picked = discovery.created_at + timedelta(days=rng.uniform(0.1, 4))
    if rng.random() > 0.8 or picked > now:
        return
    steps = [(DiscoveryStatus.ACKNOWLEDGED, picked, None, None)]
    closed = picked + timedelta(days=rng.uniform(1, 10))
    roll = rng.random()
    if closed <= now and roll < 0.55:
        drawn = rng.choice(OUTCOMES)  # drawn whatever is used: the rest of the sequence stays
        kind, note = _usual_outcome(route.route, discovery.id) or drawn
        steps.append((DiscoveryStatus.ACTIONED, closed, kind, note))
    elif closed <= now and roll < 0.7:
        steps.append((DiscoveryStatus.DECLINED, closed, *DECLINES[discovery.id % len(DECLINES)]))
    elif closed > now and discovery.id % DECLINED_LATELY_EVERY == 0:  # still open: some lately
        lately = picked + (now - picked) / 2  # declined: the coach's week has reasons to show
        steps.append((DiscoveryStatus.DECLINED, lately, *DECLINES[discovery.id % len(DECLINES)]))
    before = DiscoveryStatus.NEW
    for status, at, kind, note in steps:
        session.add(StatusChange(discovery_id=discovery.id, route_id=route.id, from_status=before,
                                 to_status=status, actor_user_id=actor, outcome_kind=kind,
                                 note=note, at=at))  # fmt: skip
        before = status
    discovery.status = route.status = before  # one route: the discovery's is the route's


def _usual_outcome(route: str, number: int) -> tuple[str, str] | None:
    """Three times in four, what usually comes of the route (the outcome that starts its stages:
    an opportunity for sales), so the coach sees a funnel; else any outcome."""
    starts = current_routes().stages(route).outcomes
    usual = [(kind, note) for kind, note in OUTCOMES if kind in starts[:1]]
    return usual[0] if usual and number % 4 else None


# Picked by the discovery's id, not the random sequence, so every figure drawn from it stays.
REALISED_EVERY = 3  # one actioned route in three has realised value by now
WON = (Decimal(60000), "EUR")
FOLLOW_UP_DAYS, REALISED_AFTER_DAYS = 30, 14
SUPPORTED_EVERY = 6  # one open discovery in six has a second account behind it


def _follow_through(session, discovery: Discovery, route: DiscoveryRoute, now: datetime) -> None:
    """An actioned route at its first stage, as actioning puts it; some realised two weeks on
    (won with an amount, shipped or published with a link), so the coach sees the funnel end."""
    stages = current_routes().stages(route.route)
    actioned = session.exec(
        select(StatusChange).where(StatusChange.route_id == route.id,
                                   StatusChange.to_status == DiscoveryStatus.ACTIONED)
    ).first()  # fmt: skip
    first = stages.start_for(actioned.outcome_kind) if actioned else None
    if actioned is None or first is None:
        return
    at = actioned.at
    follow = FollowUp(discovery_id=discovery.id, route_id=route.id, route=route.route,
                      owner_user_id=actioned.actor_user_id, stage=first.id, updated_at=at,
                      due_on=(at + timedelta(days=FOLLOW_UP_DAYS)).date())  # fmt: skip
    session.add(follow)
    session.flush()
    session.add(StageChange(discovery_id=discovery.id, follow_up_id=follow.id, route=route.route,
                            stage=first.id, actor_user_id=follow.owner_user_id, at=at))  # fmt: skip
    realised = next((s for s in stages.later(first.id) if s.realised), None)
    done = at + timedelta(days=REALISED_AFTER_DAYS)
    if realised is None or discovery.id % REALISED_EVERY or done > now:
        return
    typed: dict = {}
    if realised.asks == "amount":
        amount, currency = WON
        typed = {"amount": amount, "currency": currency,
                 "amount_base": current_money().convert(amount, currency)}  # fmt: skip
    elif realised.asks == "link":
        typed = {"link": f"https://example.com/releases/{discovery.id}"}
    session.add(StageChange(discovery_id=discovery.id, follow_up_id=follow.id, route=route.route,
                            from_stage=first.id, stage=realised.id, realised=True,
                            actor_user_id=follow.owner_user_id, at=done, **typed))  # fmt: skip
    follow.stage, follow.updated_at = realised.id, done
    follow.due_on = None if stages.ended(realised.id) else follow.due_on
    for name, value in typed.items():
        setattr(follow, name, value)


def _support(session, discovery: Discovery, number: int, now: datetime) -> None:
    """A second account behind some open discoveries: demand that adds up on their cards."""
    if discovery.status not in (DiscoveryStatus.NEW, DiscoveryStatus.ACKNOWLEDGED):
        return
    if discovery.id % SUPPORTED_EVERY:
        return
    names = [name for name in ACCOUNTS if name != discovery.account]
    named = names[discovery.id % len(names)]
    account = account_for_name(session=session, team_id=discovery.team_id, name=named)
    amount = Decimal(50000)
    session.add(DiscoverySupporter(
        discovery_id=discovery.id, account_id=account.id, account=account.name,
        scout_user_id=SCOUTS[(discovery.id + 1) % len(SCOUTS)], value_amount=amount,
        value_currency="EUR", value_base=current_money().convert(amount, "EUR"),
        evidence="Heard the same on a call", source_key=f"sample-support:{number}",
        created_at=min(discovery.created_at + timedelta(days=2), now),
    ))  # fmt: skip
