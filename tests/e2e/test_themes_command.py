"""`/scout themes`: value by theme for product managers, only to the asker, never a dialogue."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from sqlmodel import select

from bot.emulator import SEED
from bot.rendering.ids import Command
from storage.engine import session_scope
from storage.models import DialogueSession, Discovery
from storage.types import utc_now
from tests.e2e.people import wait_until

PM = SEED.dana  # a product manager


def add(
    engine, *, account: str, outcome: str, themes: list[str], days_ago: float, **values
) -> None:
    """A discovery as submitting stores it (value_base included), logged days ago."""
    at = utc_now() - timedelta(days=days_ago)
    with session_scope(engine) as session:
        session.add(Discovery(
            team_id="T0VALUESCOUT", scout_user_id=SEED.scout, account=account, outcome=outcome,
            gap="A gap", fit="partly", themes=themes, source="modal",
            source_key=f"test:{account}:{outcome}", created_at=at, updated_at=at, **values,
        ))  # fmt: skip


WEEKS = [  # account, outcome, theme, days ago, value as given, value in USD, evidence
    ("Acme", "Onboard stores in a day", "faster_onboarding", 2,
     {"value_amount": Decimal(40000), "value_currency": "EUR"}, "42400.00",
     "We lose a month per store <!channel>"),
    ("Globex", "New hires productive sooner", "faster_onboarding", 3,
     {"value_band": "100k_1m"}, "550000", "Training eats our first quarter"),
    ("Initech", "Fewer tickets", "lower_support_cost", 5,
     {"value_amount": Decimal(5000000), "value_currency": "JPY"}, "33500.00", None),
    ("Initech", "Cut ticket volume", "lower_support_cost", 40,
     {"value_amount": Decimal(20000), "value_currency": "USD"}, "20000", None),
    ("Old", "Long ago", "faster_onboarding", 90, {}, "999999", None),  # outside both periods
]  # fmt: skip


def week_of_discoveries(engine) -> None:
    for account, outcome, theme, days, given, base, evidence in WEEKS:
        add(engine, account=account, outcome=outcome, themes=[theme], days_ago=days,
            value_base=Decimal(base), evidence=evidence, **given)  # fmt: skip


def ask(driver, emulator, text: str, user: str = PM) -> dict:
    before = len(emulator.response_url_posts)
    response = driver.command(Command.SCOUT.value, text, user=user)
    assert response.status == 200 and not response.body  # acked at once, answered after
    wait_until(lambda: len(emulator.response_url_posts) > before, what="the ephemeral answer")
    post = emulator.response_url_posts[-1]
    assert post.user_id == user and post.payload["response_type"] == "ephemeral"
    return post.payload


def text_of(payload: dict) -> str:
    return "\n".join(block["text"]["text"] for block in payload["blocks"])


def test_themes_shows_value_accounts_change_and_the_strongest_quote(driver, emulator, engine):
    week_of_discoveries(engine)

    table = text_of(ask(driver, emulator, "themes"))

    assert "in USD" in table and "change against the 4 weeks before" in table
    onboarding, support = table.index("Faster onboarding"), table.index("Lower support cost")
    assert onboarding < support  # most valuable first
    assert "*Faster onboarding*: $592k (new), 2 discoveries at 2 accounts" in table
    assert "“Training eats our first quarter” (Globex)" in table  # the most valuable's words
    assert "*Lower support cost*: $33.5k (+68%), 1 discovery at 1 account" in table
    assert "999" not in table  # older than eight weeks: outside the table and its comparison


def test_a_theme_drills_down_to_its_discoveries_most_valuable_first(driver, emulator, engine):
    week_of_discoveries(engine)

    drill = text_of(ask(driver, emulator, "themes onboard"))

    assert drill.startswith("*Faster onboarding*")
    assert drill.index("Globex") < drill.index("Acme")
    assert "*Globex*: ≈ $550k" in drill and "*Acme*: $42.4k" in drill


def test_a_theme_without_discoveries_says_so_plainly(driver, emulator, engine):
    week_of_discoveries(engine)

    drill = text_of(ask(driver, emulator, "themes integration"))

    assert drill.startswith("*Integration &amp; data*") and "no discoveries" in drill
    assert "0 discoveries" not in drill and "most valuable" not in drill


def test_an_unknown_theme_lists_the_themes_and_never_starts_a_dialogue(driver, emulator, engine):
    answer = text_of(ask(driver, emulator, "themes pricing power"))

    assert "no theme “pricing power”" in answer and "Faster onboarding" in answer
    with session_scope(engine) as session:
        assert session.exec(select(DialogueSession)).all() == []
    assert emulator.calls_to("views.open") == []


def test_words_that_fit_several_themes_ask_which_one(driver, emulator, engine):
    answer = text_of(ask(driver, emulator, "themes re"))

    assert "“re” fits several themes: Revenue growth, Reporting &amp; visibility" in answer
    assert "themes revenue growth" in answer


def test_user_text_in_the_table_cannot_mention_anyone(driver, emulator, engine):
    add(engine, account="<!here> Corp", outcome="x", themes=["faster_onboarding"], days_ago=1,
        value_base=Decimal(100), evidence="<!channel> now")  # fmt: skip

    table = text_of(ask(driver, emulator, "themes"))

    assert "<!channel>" not in table and "&lt;!channel&gt;" in table
