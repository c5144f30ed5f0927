"""The App Home tab: a scout's discoveries with their status, paged, and a way to log one."""

from datetime import timedelta

from slack_sdk import WebClient
from sqlmodel import select

from bot.discoveries.service import submit_discovery
from bot.emulator import SEED
from bot.rendering.ids import ActionId, CallbackId
from storage.engine import session_scope
from storage.enums import DiscoverySource, DiscoveryStatus
from storage.models import Discovery, DiscoveryRoute
from storage.queries import route_channels
from storage.types import utc_now
from tests.e2e.people import wait_until
from tests.e2e.test_card_actions import logged

ANSWERS = {
    "outcome": "Close the books in two days",
    "gap": "Manual reconciliation",
    "fit": "not_yet",
}


def log_discoveries(engine, count: int, *, user: str = SEED.scout, days_ago: int = 0) -> None:
    now = utc_now() - timedelta(days=days_ago)
    with session_scope(engine) as session:
        channels = route_channels(session=session)
        for number in range(count):
            submit_discovery(
                session=session, source_key=f"home:{user}:{days_ago}:{number}", team_id=SEED.team_id,
                scout_user_id=user, source=DiscoverySource.DM,
                answers=ANSWERS | {"account": f"Account {number:02d}"},
                routes=[("product", "an unmet gap")], themes=[], route_channels=channels,
                now=now + timedelta(seconds=number),
            )  # fmt: skip


def home(emulator, user: str = SEED.scout) -> str:
    return str(wait_until(lambda: emulator.home_view(user), what="the Home tab"))


def open_home(driver, emulator, user: str = SEED.scout) -> str:
    before = len(emulator.calls_to("views.publish"))
    driver.app_home_opened(user)
    wait_until(lambda: len(emulator.calls_to("views.publish")) > before, what="a publish")
    return home(emulator, user)


def click(driver, emulator, label: str, user: str = SEED.scout) -> str:
    view = emulator.home_view(user)
    button = next(
        e
        for b in view["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["text"]["text"] == label
    )
    before = len(emulator.calls_to("views.publish"))
    driver.block_action(
        user=user, action_id=button["action_id"], value=button["value"], view=view["id"]
    )
    wait_until(lambda: len(emulator.calls_to("views.publish")) > before, what="a publish")
    return home(emulator, user)


def test_a_scout_with_many_discoveries_pages_through_them_newest_first(
    driver, emulator, engine, components
):
    log_discoveries(engine, 25)
    log_discoveries(engine, 3, user=SEED.sally)  # someone else's are not shown
    first = open_home(driver, emulator)
    assert "Account 24" in first and "Account 15" in first and "Account 14" not in first
    assert "Older" in first and "Newer" not in first
    second = click(driver, emulator, "Older")
    assert "Account 14" in second and "Account 05" in second and "Newer" in second
    third = click(driver, emulator, "Older")
    assert "Account 04" in third and "Account 00" in third and "Older" not in third
    assert "Account 14" in click(driver, emulator, "Newer")


def test_the_home_tab_shows_status_and_this_quarters_figures(driver, emulator, engine, components):
    log_discoveries(engine, 3)
    log_discoveries(engine, 2, days_ago=200)  # an earlier quarter: listed, not counted
    with session_scope(engine) as session:
        first, second = session.exec(
            select(Discovery).order_by(Discovery.created_at.desc()).limit(2)
        ).all()
        first.status, second.status = DiscoveryStatus.ACTIONED, DiscoveryStatus.ACKNOWLEDGED
        for discovery in (first, second):  # each of their teams answered so
            for route in session.exec(select(DiscoveryRoute).where(
                DiscoveryRoute.discovery_id == discovery.id)):  # fmt: skip
                route.status = discovery.status
                session.add(route)
        session.add_all([first, second])
    shown = open_home(driver, emulator)
    assert "*3* logged · *2* acknowledged · *1* actioned" in shown
    assert f"<#{SEED.product}> :white_check_mark: actioned" in shown  # each team's own answer
    assert f"<#{SEED.product}> :eyes: acknowledged" in shown


def test_log_a_discovery_opens_the_modal(driver, emulator, components):
    open_home(driver, emulator)
    view = emulator.home_view(SEED.scout)
    driver.block_action(
        user=SEED.scout, action_id=ActionId.LOG_DISCOVERY.value, value="new", view=view["id"]
    )
    emulator.wait_for_call("views.open")
    assert emulator.modal_stack(SEED.scout)[-1]["callback_id"] == CallbackId.DISCOVERY_MODAL


def test_a_new_scout_sees_how_to_start(driver, emulator, components):
    shown = open_home(driver, emulator, SEED.coach)
    assert "No discoveries yet" in shown and "type `/scout`, or use *Log a discovery*" in shown


def test_each_discovery_links_to_the_thread_that_tells_its_story(driver, emulator, components):
    scout, receipt, _team = logged(driver, emulator)
    client = WebClient(token=SEED.bot_token, base_url=emulator.api_url)
    link = client.chat_getPermalink(channel=scout.dm, message_ts=receipt["ts"])
    story = f"<{link['permalink']}|the whole story>"

    # The worker records the receipt's ts just after Slack answers the post: a Home tab opened
    # in between has no link yet, and the next one has it.
    def opened_with_story() -> bool:
        return story in open_home(driver, emulator)

    assert wait_until(opened_with_story, what="the Home tab with the story link")
