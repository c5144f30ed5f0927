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
from storage.enums import DiscoverySource, DiscoveryStatus, Fit
from storage.models import Discovery, DiscoveryRoute, StatusChange
from storage.queries.accounts import account_for_name

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
# Words no theme has yet, logged early in each of the last weeks: the product digest then
# suggests a theme ("Offline mode") with its "Add theme" button.
RECURRING = ("Keep scanning in offline mode at the dock", "The app stops without a signal",
             "product", Fit.NOT_YET)  # fmt: skip
RECURRING_WEEKS = 3
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
    account = account_for_name(session=session, name=rng.choice(ACCOUNTS))  # linked, as submitted
    discovery = Discovery(
        team_id=team_id, scout_user_id=rng.choice(SCOUTS), account=account.name,
        account_id=account.id,
        outcome=outcome, gap=gap, fit=fit, themes=tag_themes(network, outcome, gap),
        source=DiscoverySource.DM, source_key=f"sample:{number}", created_at=created,
        updated_at=created, evidence="From a customer call" if rng.random() < 0.5 else None,
        **_value(rng),
    )  # fmt: skip
    session.add(discovery)
    session.flush()
    routed = DiscoveryRoute(discovery_id=discovery.id, route=route, reason="Sample history",
                            channel_id=channels.get(route, ""), created_at=created)  # fmt: skip
    session.add(routed)
    session.flush()
    session.add(StatusChange(discovery_id=discovery.id, to_status=DiscoveryStatus.NEW,
                             actor_user_id=discovery.scout_user_id, at=created))  # fmt: skip
    _answer(session, rng, (discovery, routed), ACTORS.get(route, "U0DANA"), now)


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
        kind, note = rng.choice(OUTCOMES)
        steps.append((DiscoveryStatus.ACTIONED, closed, kind, note))
    elif closed <= now and roll < 0.7:
        steps.append((DiscoveryStatus.DECLINED, closed, *DECLINES[discovery.id % len(DECLINES)]))
    before = DiscoveryStatus.NEW
    for status, at, kind, note in steps:
        session.add(StatusChange(discovery_id=discovery.id, route_id=route.id, from_status=before,
                                 to_status=status, actor_user_id=actor, outcome_kind=kind,
                                 note=note, at=at))  # fmt: skip
        before = status
    discovery.status = route.status = before  # one route: the discovery's is the route's
