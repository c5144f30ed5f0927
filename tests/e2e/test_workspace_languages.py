"""A workspace that writes German and counts in euros: themes and values follow its settings."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlmodel import select

from storage.engine import session_scope
from storage.models import Discovery
from tests.e2e.conftest import e2e_settings
from tests.e2e.people import Scout
from tests.e2e.test_dialogue_dm import answer_everything

pytestmark = pytest.mark.sqlite_only  # how the app answers, not what storage does


@pytest.fixture
def settings(emulator, database_url):
    return e2e_settings(
        emulator, database_url, VALUESCOUT_LANGUAGES="en,de", VALUESCOUT_BASE_CURRENCY="EUR"
    )


def test_a_discovery_written_in_german_is_themed_and_valued_in_euros(driver, emulator, engine):
    scout = Scout(driver, emulator)
    answer_everything(
        scout, outcome="Neue Mitarbeiter arbeiten nach einer Woche selbstständig",
        gap="Die Einarbeitungszeit beträgt drei Monate", value="$53k",
    )  # fmt: skip
    scout.click("Submit", expect="on its way")

    with session_scope(engine) as session:
        discovery = session.exec(select(Discovery)).one()
    assert discovery.themes == ["faster_onboarding"]
    assert discovery.value_base == Decimal("50000.00")  # $53,000 at 1.06 dollars to the euro
