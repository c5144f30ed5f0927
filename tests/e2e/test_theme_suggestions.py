"""The product digest suggests themes from what unthemed discoveries keep saying; an admin's
"Add theme" adds one once (others are refused) and the discoveries it matches carry it."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlmodel import select

from bot.digests.build import build_digests
from bot.digests.model import Week
from bot.digests.send import Outcome, send_digest
from bot.discoveries.retheme import retheme
from bot.discoveries.service import submit_discovery
from bot.domain.themes import UNTHEMED, load_network
from bot.emulator import SEED
from bot.rendering.ids import ActionId
from storage.engine import session_scope
from storage.enums import DiscoverySource
from storage.models import Discovery, ThemeAddition
from storage.queries import route_channels
from storage.types import utc_now
from tests.e2e.people import Scout, wait_until
from tests.e2e.test_dialogue_dm import answer_everything

BERLIN = ZoneInfo("Europe/Berlin")  # the e2e settings' time zone
OFFLINE = [  # "offline mode" at four accounts; nothing in the value network matches them
    ("Globex", "Fill in inspection forms in offline mode in the basement", "Forms get lost"),
    ("Initech", "Keep working in the tunnels with an offline mode", "Nothing loads underground"),
    ("Umbrella", "Record readings on remote sites", "No offline modes in the mobile app yet"),
    ("Hooli", "Use the scanner in offline mode at the dock", "Scans should upload later"),
]


def log_unthemed(engine, week: Week) -> None:
    """The week's unthemed discoveries, as the dialogue would have stored them."""
    at = week.bounds(BERLIN)[0] + timedelta(days=1)
    with session_scope(engine) as session:
        for n, (account, outcome, gap) in enumerate(OFFLINE):
            submit_discovery(
                session=session, source_key=f"suggest-{n}", team_id=SEED.team_id,
                scout_user_id=SEED.scout, source=DiscoverySource.DM,
                answers={"account": account, "outcome": outcome, "gap": gap, "fit": "not_yet"},
                routes=[("product", "unmet gap")], themes=[UNTHEMED],
                route_channels=route_channels(session=session), now=at + timedelta(hours=n),
            )  # fmt: skip


def product_digest(components, engine, before=None) -> list[dict]:
    """Send last week's product digest; its thread's messages (`before` it: a step)."""
    week = Week.of(utc_now(), BERLIN).previous()
    log_unthemed(engine, week)
    if before is not None:
        before()
    with session_scope(engine) as session:
        [digest] = build_digests(
            session=session, team_id=SEED.team_id, week=week, zone=BERLIN, now=utc_now(),
            channels=route_channels(session=session), network=load_network(),
            open_after_working_days=3, only="product",
        )  # fmt: skip
    outcome = send_digest(
        engine=components.engine, client=components.client, digest=digest, now=utc_now()
    )
    assert outcome is Outcome.SENT
    parent = next(m for m in components.client.conversations_history(channel=SEED.product)["messages"]
                  if m.get("reply_count"))  # fmt: skip
    replies = components.client.conversations_replies(channel=SEED.product, ts=parent["ts"])
    return replies["messages"][1:]


def add_buttons(thread: list[dict]) -> list[tuple[dict, dict]]:
    return [
        (message, block["accessory"]) for message in thread for block in message.get("blocks", [])
        if block.get("accessory", {}).get("action_id") == ActionId.THEME_ADD.value
    ]  # fmt: skip


def click_add(driver, message: dict, button: dict, *, user: str) -> None:
    response = driver.block_action(
        user=user, action_id=ActionId.THEME_ADD.value, value=button["value"], message=message,
        channel=SEED.product,
    )  # fmt: skip
    assert response.status == 200, response.body


def note_to(emulator, user: str, count: int = 1) -> str:
    notes = wait_until(
        lambda: [n for n in emulator.ephemerals(SEED.product) if n["to_user"] == user][count - 1 :],
        what="a note",
    )
    return notes[-1]["text"]


def stored(engine) -> tuple[list[ThemeAddition], list[list[str]]]:
    with session_scope(engine) as session:
        additions = list(session.exec(select(ThemeAddition)).all())
        themes = [d.themes for d in session.exec(select(Discovery).order_by(Discovery.id))]
        return additions, themes


def test_the_product_digest_suggests_a_recurring_phrase_with_an_add_button(
    driver, emulator, engine, components
):
    thread = product_digest(components, engine)

    [(message, button)] = add_buttons(thread)
    text = str(message["blocks"])
    assert "Themes to consider" in text and "*Offline mode* — 4 discoveries at 4 accounts" in text
    assert button["text"]["text"] == "Add theme"


def test_an_admin_adds_the_theme_once_and_the_discoveries_carry_it(
    driver, emulator, engine, components
):
    [(message, button)] = add_buttons(product_digest(components, engine))

    click_add(driver, message, button, user=SEED.admin)
    text = note_to(emulator, SEED.admin)
    click_add(driver, message, button, user=SEED.admin)  # twice

    assert "*Offline mode* is a theme now: 4 unthemed discoveries" in text
    assert "key: offline_mode" in text and "prompts/value_network.yaml" in text
    assert "is a theme already" in note_to(emulator, SEED.admin, 2)
    additions, themes = stored(engine)
    assert [(a.key, a.added_by) for a in additions] == [("offline_mode", SEED.admin)]
    assert themes == [["offline_mode"]] * 4
    wait_until(lambda: "Offline mode" in str(emulator.messages(SEED.product)), what="cards")


def test_a_new_discovery_that_says_it_is_tagged_with_the_added_theme(
    driver, emulator, engine, components
):
    [(message, button)] = add_buttons(product_digest(components, engine))
    click_add(driver, message, button, user=SEED.admin)
    note_to(emulator, SEED.admin)
    scout = Scout(driver, emulator)
    gap = "The store's scanners have no offline mode, so each store loses an hour a day"
    answer_everything(scout, gap=gap)
    scout.click("Submit", expect="on its way")

    wait_until(lambda: "offline_mode" in stored(engine)[1][-1], what="the new theme")


def test_someone_who_is_not_an_admin_is_refused_and_nothing_is_added(
    driver, emulator, engine, components
):
    [(message, button)] = add_buttons(product_digest(components, engine))

    click_add(driver, message, button, user=SEED.dana)

    text = note_to(emulator, SEED.dana)
    assert "Only Value Scout's admins can add themes" in text and f"<@{SEED.admin}>" in text
    assert stored(engine) == ([], [[UNTHEMED]] * 4)


def test_a_button_for_a_theme_the_file_has_since_adds_nothing(driver, emulator, engine, components):
    [(message, button)] = add_buttons(product_digest(components, engine))
    stale = dict(button, value=button["value"].replace("Offline mode", "Faster onboarding"))

    click_add(driver, message, stale, user=SEED.admin)

    text = note_to(emulator, SEED.admin)
    assert "*Faster onboarding* is a theme already in `prompts/value_network.yaml`" in text
    assert stored(engine)[0] == []


def test_a_button_value_no_digest_drew_is_refused_plainly(driver, emulator, engine, components):
    [(message, button)] = add_buttons(product_digest(components, engine))

    click_add(driver, message, dict(button, value="[1, 2]"), user=SEED.admin)

    assert "could not be read, so nothing was added" in note_to(emulator, SEED.admin)
    assert stored(engine)[0] == []


def test_a_discovery_someone_re_themed_is_no_longer_unthemed(driver, emulator, engine, components):
    def correct_the_first() -> None:
        with session_scope(engine) as session:
            first = session.exec(select(Discovery).order_by(Discovery.id)).first()
            result = retheme(
                session=session, discovery_id=first.id, themes=["integration_data"],
                shown=[UNTHEMED], user_id=SEED.dana, source_key="themes:V1",
                network=load_network(), now=utc_now(),
            )  # fmt: skip
            assert result.saved

    [(message, _button)] = add_buttons(product_digest(components, engine, correct_the_first))

    assert "*Offline mode* — 3 discoveries at 3 accounts" in str(message["blocks"])
