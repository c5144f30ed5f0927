"""The App Home tab: published when opened, paged, and its "Log a discovery" button."""

from __future__ import annotations

import logging
import re
from datetime import datetime
from zoneinfo import ZoneInfo

from slack_bolt import App, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.config import settings_scope
from bot.dialogue.turns import Who, take_turn
from bot.doctor import Check, run_checks
from bot.home import load_home
from bot.listeners.support import (
    Services,
    acknowledge,
    actor,
    after_ack,
    request_time,
    services,
    workspace_zone,
)
from bot.rendering.home import PAGE_SIZE, home_view
from bot.rendering.ids import ActionId
from bot.rendering.modal import discovery_modal

log = logging.getLogger(__name__)


def register(app: App) -> None:
    """Listen for the Home tab and its buttons."""
    app.event("app_home_opened")(ack=acknowledge, lazy=[handle_app_home_opened])
    app.action(re.compile(f"^{ActionId.HOME_PAGE}(:.*)?$"))(
        ack=acknowledge, lazy=[handle_home_page]
    )
    app.action(ActionId.LOG_DISCOVERY.value)(ack=acknowledge, lazy=[handle_log_discovery])


@after_ack
def handle_app_home_opened(
    body: dict, event: dict, context: BoltContext, client: WebClient
) -> None:
    """Show the scout their discoveries when they open the Home tab."""
    if event.get("tab") == "home":
        publish_home(client, context, page=0)


@after_ack
def handle_home_page(body: dict, action: dict, context: BoltContext, client: WebClient) -> None:
    """Newer or Older clicked."""
    publish_home(client, context, page=max(int(action["value"]), 0))


@after_ack
def handle_log_discovery(body: dict, context: BoltContext, client: WebClient) -> None:
    """Open the discovery modal from the Home tab, on the scout's open dialogue."""
    app, person = services(context), actor(context)
    who = Who(person.team_id, person.user_id)
    turn = take_turn(
        engine=app.engine, rules=app.rules, who=who, events=[], now=request_time(context),
        form=True, zone=workspace_zone(context),
    )  # fmt: skip
    view = discovery_modal(app.rules.definition, turn.state.answers, dialogue_id=turn.dialogue_id)
    client.views_open(trigger_id=body["trigger_id"], view=view)


def publish_home(client: WebClient, context: BoltContext, *, page: int) -> None:
    """Publish one page of the acting person's Home tab, with this quarter's figures."""
    app, person, now = services(context), actor(context), request_time(context)
    zone = workspace_zone(context)
    home = load_home(
        engine=app.engine, settings=app.settings, team_id=person.team_id,
        user_id=person.user_id, page=page, page_size=PAGE_SIZE, since=_quarter_start(now, zone),
    )  # fmt: skip
    admin = home.config is not None  # what only admins see, the set-up checks among it
    checks = [check.line() for check in _checks(client, app, now, person.team_id)] if admin else []
    view = home_view(
        discoveries=home.discoveries, figures=home.figures, page=page, has_more=home.has_more,
        config=home.config, digests_off=home.digests_off, checks=checks,
        links=_permalinks(client, home.receipts), accounts=home.accounts,
        zone=zone,
    )  # fmt: skip
    client.views_publish(user_id=person.user_id, view=view)


def _checks(client: WebClient, app: Services, now: datetime, team_id: str) -> list[Check]:
    """`valuescout doctor`'s checks, for an admin (after the ack: they ask Slack), of their
    workspace's channels and webhook when installed by OAuth."""
    scope = settings_scope(app.settings, team_id)
    return run_checks(settings=app.settings, engine=app.engine, client=client, now=now,
                      team_id=scope)  # fmt: skip


def _permalinks(client: WebClient, posts: dict[int, tuple[str, str]]) -> dict[int, str]:
    """A link to each receipt's thread, where the discovery's story is told; none on failure."""
    links = {}
    for discovery_id, (channel, ts) in posts.items():
        try:
            links[discovery_id] = client.chat_getPermalink(channel=channel, message_ts=ts)[
                "permalink"
            ]
        except SlackApiError as error:  # a Home tab without one link beats no Home tab
            log.warning(
                "no permalink for receipt of %s: %s", discovery_id, error.response.get("error")
            )
    return links


def _quarter_start(at: datetime, zone: ZoneInfo) -> datetime:
    """The first day of this quarter, midnight in the workspace's time zone."""
    now = at.astimezone(zone)
    month = 3 * ((now.month - 1) // 3) + 1
    return now.replace(month=month, day=1, hour=0, minute=0, second=0, microsecond=0)
