"""Every discovery's value is also kept in the base currency, by every path that writes it."""

from __future__ import annotations

from decimal import Decimal

from sqlmodel import select

from bot.emulator import SEED
from storage.engine import session_scope
from storage.models import Discovery
from tests.e2e.test_card_actions import logged
from tests.e2e.test_dialogue_modal import modal_state, open_modal
from tests.e2e.test_edit_withdraw import scout_opens


def stored(engine) -> tuple[Decimal | None, Decimal | None, str | None, str | None]:
    with session_scope(engine) as session:
        d = session.exec(select(Discovery)).one()
        return d.value_base, d.value_amount, d.value_currency, d.value_band


def test_an_amount_logged_by_dm_is_kept_converted_and_as_given(driver, emulator, engine):
    logged(driver, emulator)  # "40k EUR"

    assert stored(engine) == (Decimal("42400.00"), Decimal("40000.00"), "EUR", None)


def test_editing_the_value_converts_it_again(driver, emulator, engine):
    scout, receipt, _ = logged(driver, emulator)
    view = scout_opens(scout, emulator, "Edit", receipt)

    answer = driver.view_submission(
        user=SEED.scout, view=view["id"], values=modal_state(view, {"value:amount": "¥5M"})
    )

    assert answer.json == {"response_action": "clear"}
    assert stored(engine)[:3] == (Decimal("33500.00"), Decimal("5000000.00"), "JPY")


def test_a_band_picked_in_the_modal_counts_at_its_midpoint(driver, emulator, engine):
    view = open_modal(driver, emulator)
    answers = {"account": "Umbrella", "outcome": "Cut audit preparation to 3 days",
               "gap": "Evidence is spread over 5 tools", "fit": "yes", "value": "10k_100k"}  # fmt: skip

    answer = driver.view_submission(
        user=SEED.scout, view=view["id"], values=modal_state(view, answers)
    )

    assert answer.json["response_action"] == "update"  # the routes to confirm
    confirm = emulator.modal_stack(SEED.scout)[-1]
    driver.view_submission(user=SEED.scout, view=confirm["id"], values=modal_state(confirm, {}))
    assert stored(engine) == (Decimal("55000.00"), None, None, "10k_100k")
