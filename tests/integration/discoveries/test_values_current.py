"""Stored values follow the base currency and the rates in use: a change to either recomputes
them all at start-up, once."""

from datetime import date
from decimal import Decimal

from sqlmodel import select

from bot.discoveries.values import keep_values_current
from bot.domain.money import Money
from storage.engine import session_scope
from storage.enums import DiscoverySource, Fit, ValueBand
from storage.models import Discovery

RATES = {"USD": Decimal(1), "EUR": Decimal("1.06"), "CHF": Decimal("1.13")}
BANDS = {"10k_100k": Decimal(55000)}


def money(base: str, **rates: Decimal) -> Money:
    return Money(base, date(2026, 11, 30), RATES | rates, BANDS)


def _discovery(key: str, **fields) -> Discovery:
    values = {
        "team_id": "T1", "scout_user_id": "U1", "account": "Globex", "outcome": "Faster audits",
        "gap": "Manual exports", "fit": Fit.YES, "source": DiscoverySource.DM, "source_key": key,
    }  # fmt: skip
    return Discovery(**(values | fields))


def updated(engine) -> list:
    with session_scope(engine) as session:
        return sorted(session.exec(select(Discovery.updated_at)).all())


def values(engine) -> dict[str, Decimal | None]:
    with session_scope(engine) as session:
        rows = session.exec(select(Discovery.source_key, Discovery.value_base)).all()
        return {key: None if base is None else Decimal(base) for key, base in rows}


def test_a_new_base_currency_or_new_rates_recompute_every_value_once(engine):
    with session_scope(engine) as session:
        session.add(_discovery("eur", value_amount=Decimal(40000), value_currency="EUR"))
        session.add(_discovery("band", value_band=ValueBand.FROM_10K_TO_100K))
        session.add(_discovery("yen", value_amount=Decimal(5), value_currency="JPY",
                               value_base=Decimal(99)))  # fmt: skip
        session.add(_discovery("none"))
    before = updated(engine)
    assert keep_values_current(engine, money("USD"))
    assert updated(engine) == before  # a new rate is nobody's edit
    assert values(engine) == {
        "eur": Decimal(42400), "band": Decimal(55000), "yen": None, "none": None
    }  # fmt: skip
    assert not keep_values_current(engine, money("USD"))  # the same basis: nothing to do
    assert keep_values_current(engine, money("USD", EUR=Decimal("1.10")))
    assert values(engine)["eur"] == Decimal(44000)
    assert keep_values_current(engine, money("CHF"))
    assert values(engine)["eur"] == Decimal("37522.12")  # 40,000 × 1.06 / 1.13
