"""`/scout account <name>` and `/scout search <words>`: answers only the asker sees, with links to
the cards; never a dialogue, whoever asks and wherever."""

from datetime import date, timedelta
from decimal import Decimal

from sqlmodel import select

from bot.emulator import SEED
from storage.engine import session_scope
from storage.enums import DiscoveryStatus
from storage.models import Account, DialogueSession, Discovery, DiscoveryRoute
from tests.e2e.people import Scout, wait_until
from tests.e2e.test_accounts_dialogue import known_acme, log_about


def ask(driver, emulator, text: str, user: str = SEED.dana, channel: str | None = None) -> dict:
    """Type `/scout <text>`; the one answer posted to the command's response URL."""
    before = len(emulator.response_url_posts)
    response = driver.command("/scout", text, user=user, channel=channel)
    assert response.status == 200 and not response.body.strip(), response.body
    posts = wait_until(lambda: emulator.response_url_posts[before:], what="the answer")
    assert len(posts) == 1 and posts[0].payload["response_type"] == "ephemeral"
    return posts[0].payload


def card_recorded(engine) -> bool:
    """The delivery worker stored the posted card's ts (Slack shows the card a moment before)."""
    with session_scope(engine) as session:
        return session.exec(select(DiscoveryRoute.message_ts)).first() is not None


def test_an_account_shows_its_discoveries_statuses_value_events_and_themes(
    driver, emulator, engine
):
    known_acme(engine)
    log_about(Scout(driver, emulator), "acme corp", expect="known account")
    wait_until(lambda: card_recorded(engine), what="the card, posted and its ts stored")
    with session_scope(engine) as session:
        found = session.exec(select(Discovery)).one()
        found.event_date = date.today() + timedelta(days=20)
        found.value_amount, found.value_currency = Decimal(40000), "EUR"
        found.value_base = Decimal(42400)  # as the app stores it: EUR at 1.06
        found.themes = ["onboarding"]
    answer = str(ask(driver, emulator, "account Acme", channel=SEED.sales))
    assert "*Acme Corporation*" in answer and f"owned by <@{SEED.sally}>\\n1 discovery" in answer
    assert "Onboard a new store in one day" in answer and "sales: :new: new" in answer
    assert "worth $42.4k a year (in USD)" in answer and "Upcoming compelling events" in answer
    assert "the board decides" in answer and "Themes" in answer
    assert "|card>" in answer  # a link to the card
    assert emulator.ephemerals(SEED.sales)[-1]["to_user"] == SEED.dana  # only the asker


def test_a_name_like_several_accounts_asks_which_one_and_starts_nothing(driver, emulator, engine):
    with session_scope(engine) as session:
        session.add(Account(team_id=SEED.team_id, name="Globex Europe"))
        session.add(Account(team_id=SEED.team_id, name="Globex Asia"))
    answer = str(ask(driver, emulator, "account globex"))
    assert "Did you mean" in answer and "Globex Europe" in answer and "Globex Asia" in answer
    assert "none is like it" in str(ask(driver, emulator, "account Umbrella"))
    assert "Which account?" in str(ask(driver, emulator, "account"))
    for odd in ("#²", "#99999999999999999999", "#0"):  # no such id: looked up by name, no crash
        assert "none is like it" in str(ask(driver, emulator, f"account {odd}"))
    with session_scope(engine) as session:
        assert session.exec(select(DialogueSession)).all() == []


def test_search_finds_by_words_ranked_and_hides_withdrawn(driver, emulator, engine):
    known_acme(engine)
    log_about(Scout(driver, emulator), "acme corp", expect="known account")
    wait_until(lambda: emulator.messages(SEED.sales), what="the card")
    answer = str(ask(driver, emulator, "search consultant store"))
    assert "1 discovery with *consultant store*" in answer and "Acme Corporation" in answer
    with session_scope(engine) as session:
        session.exec(select(Discovery)).one().status = DiscoveryStatus.WITHDRAWN
    assert "No discovery has *consultant store*" in str(
        ask(driver, emulator, "search consultant store")
    )
    assert "Search for what?" in str(ask(driver, emulator, "search"))


def test_a_mistyped_lookup_is_suggested(driver, emulator):
    response = driver.command("/scout", "serach", user=SEED.dana)
    assert "search" in response.body
