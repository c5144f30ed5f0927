"""The admin's settings: the modal that changes them, and their summary on the Home tab."""

from __future__ import annotations

import re
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ConversationSelectElement,
    DividerBlock,
    HeaderBlock,
    InputBlock,
    MarkdownTextObject,
    Option,
    OptionGroup,
    PlainTextInputElement,
    SectionBlock,
    StaticSelectElement,
    UserMultiSelectElement,
)
from slack_sdk.models.views import View

from bot.domain.workspace import MAX_NUDGE_DAYS, WorkspaceConfig, known_zone, offered_zones
from bot.rendering.ids import ActionId, BlockId, CallbackId
from bot.rendering.modal import submitted_fields
from bot.rendering.text import Mrkdwn, code_block, escape, render, shorten
from bot.routes import current_routes
from bot.settings import parse_weekly
from bot.wording import say
from bot.working_days import known_country

INPUT = ActionId.MODAL_INPUT.value
CHANNEL_ID = re.compile(r"[CG][A-Z0-9]{2,}")  # public or private channel ids
USER_ID = re.compile(r"[UW][A-Z0-9]{2,}")  # a person (W…: Enterprise Grid)
GROUP_SIZE = 100  # Slack's most options in one option group


def channel_roles() -> dict[str, str]:
    """Every role that has a channel (each route, then the coaches), as the admin reads it."""
    return {
        route.id: say("config_route_channel", route=route.label) for route in current_routes()
    } | {"coach": say("config_coach_channel")}


def config_modal(config: WorkspaceConfig) -> View:
    """Every setting, prefilled with what is in force now."""
    roles = channel_roles()
    blocks: list[Block] = [
        _channel_input(role, label, config.channels.get(role)) for role, label in roles.items()
    ]
    blocks += [
        _text_input(BlockId.CONFIG_SCHEDULE, say("config_schedule_label"), str(config.schedule),
                    say("config_schedule_hint")),
        _zone_input(config.timezone or "UTC"),
        _text_input(BlockId.CONFIG_HOLIDAYS, say("config_holidays_label"),
                    config.holidays or "", say("config_holidays_hint"), optional=True),
        _text_input(BlockId.CONFIG_NUDGE, say("config_nudge_label"),
                    str(config.nudge_days), say("config_nudge_hint", most=MAX_NUDGE_DAYS)),
        _people_input(BlockId.CONFIG_ADMINS, config.admins, say("config_admins_label"),
                      say("config_admins_hint"), optional=False),
        _people_input(BlockId.CONFIG_COACHES, config.coaches, say("config_coaches_label"),
                      say("config_coaches_hint"), optional=True),
    ]  # fmt: skip
    return View(
        type="modal", callback_id=CallbackId.CONFIG.value, title=say("config_title"),
        submit=say("config_save"), close=say("button_cancel"), blocks=blocks,
    )  # fmt: skip


def config_from_modal(view: dict) -> tuple[WorkspaceConfig | None, dict[str, str]]:
    """The settings as submitted, or the error to show on each field that needs fixing."""
    fields, errors = submitted_fields(view), {}
    channels = {role: fields.get(_channel_block(role)) for role in channel_roles()}
    for role, channel in channels.items():  # a client only offers channels; a forged one may not
        if channel and not CHANNEL_ID.fullmatch(channel):
            errors[_channel_block(role)] = say("config_pick_a_channel")
    try:
        schedule = parse_weekly(str(fields.get(BlockId.CONFIG_SCHEDULE.value) or ""))
    except ValueError as error:
        schedule, errors[BlockId.CONFIG_SCHEDULE.value] = (
            None,
            say("config_schedule_error", error=error),
        )
    nudge = _whole_number(fields.get(BlockId.CONFIG_NUDGE.value))
    if nudge is None:
        errors[BlockId.CONFIG_NUDGE.value] = say("config_nudge_error", most=MAX_NUDGE_DAYS)
    admins = _people_chosen(fields.get(BlockId.CONFIG_ADMINS.value))
    if not admins:
        errors[BlockId.CONFIG_ADMINS.value] = say("config_admins_error")
    zone = str(fields.get(BlockId.CONFIG_TIMEZONE.value) or "")
    if not known_zone(zone):  # a client only offers the list; a forged value may be anything
        errors[BlockId.CONFIG_TIMEZONE.value] = say("config_timezone_error")
    country = str(fields.get(BlockId.CONFIG_HOLIDAYS.value) or "").strip().upper()
    if country and not known_country(country):
        errors[BlockId.CONFIG_HOLIDAYS.value] = say("config_holidays_error")
    if errors or schedule is None or nudge is None:
        return None, errors
    mapped = {role: channel for role, channel in channels.items() if channel}
    coaches = _people_chosen(fields.get(BlockId.CONFIG_COACHES.value))
    return WorkspaceConfig(channels=mapped, schedule=schedule, nudge_days=nudge,
                           admins=admins, coaches=coaches, timezone=zone,
                           holidays=country), {}  # fmt: skip


def config_blocks(config: WorkspaceConfig, checks: list[str] = ()) -> list[Block]:
    """The admin's part of the Home tab: what is configured, a button to change it, and the
    set-up checks (each line as `valuescout doctor` prints it)."""
    lines = [
        f"*{escape(label)}*: " + (f"<#{escape(config.channels[role])}>" if role in config.channels
                          else say("config_channel_not_set"))
        for role, label in channel_roles().items()
    ]  # fmt: skip
    text = render(
        "home_config.md.j2", channels=Mrkdwn("\n".join(lines)), schedule=str(config.schedule),
        timezone=config.timezone or "UTC", holidays=config.holidays or "",
        nudge_days=config.nudge_days, admins=_mentions(config.admins or frozenset()),
    )  # fmt: skip
    button = ButtonElement(
        text=say("config_change"), action_id=ActionId.CONFIG_OPEN.value, value="1"
    )
    return [
        DividerBlock(),
        HeaderBlock(text=say("config_header")),
        SectionBlock(text=MarkdownTextObject(text=text)),
        ActionsBlock(elements=[button]),
        *([_checks_block(checks)] if checks else []),
    ]


def _checks_block(lines: list[str]) -> SectionBlock:
    """The checks in one section (a line each), cut visibly to a section's 3,000 characters."""
    listed = code_block(lines, 300)
    return SectionBlock(
        text=MarkdownTextObject(text=shorten(render("home_checks.md.j2", lines=listed), 3000))
    )


def admins_only_text(admins: frozenset[str]) -> str:
    """A polite refusal for someone who is not an admin, naming who is."""
    return render("admins_only.md.j2", admins=_mentions(admins) if admins else None)


def _mentions(users: frozenset[str]) -> Mrkdwn:
    return Mrkdwn(", ".join(f"<@{escape(user)}>" for user in sorted(users)))


def not_in_channels_text(channels: list[str]) -> str:
    """The settings are saved, but the bot can't post in these channels until invited."""
    mentions = Mrkdwn(", ".join(f"<#{escape(channel)}>" for channel in channels))
    return render("config_not_in_channel.md.j2", channels=mentions, count=len(channels))


def _channel_block(role: str) -> str:
    return f"{BlockId.CONFIG_CHANNEL_PREFIX}{role}"


def _channel_input(role: str, label: str, channel: str | None) -> InputBlock:
    element = ConversationSelectElement(
        action_id=INPUT, placeholder=say("config_channel_placeholder"), initial_conversation=channel,
        filter={"include": ["public", "private"], "exclude_bot_users": True},
    )  # fmt: skip
    return InputBlock(block_id=_channel_block(role), label=label, element=element,
                      optional=True)  # fmt: skip


def _zone_input(current: str) -> InputBlock:
    """The time zone, picked from IANA's place names grouped by region (a select holds at most
    100 options a group); the zone in force is offered even when it is not among them."""
    zones = offered_zones() if current in offered_zones() else (current, *offered_zones())
    element = StaticSelectElement(
        action_id=INPUT, placeholder=say("config_timezone_placeholder"),
        option_groups=_zone_groups(zones), initial_option=_zone_option(current),
    )  # fmt: skip
    return InputBlock(block_id=BlockId.CONFIG_TIMEZONE.value, label=say("config_timezone_label"),
                      element=element, hint=say("config_timezone_hint"))  # fmt: skip


def _zone_groups(zones: tuple[str, ...]) -> list[OptionGroup]:
    """Zones by region (UTC's own), a region over 100 split by the letters its part spans."""
    regions: dict[str, list[str]] = {}
    for zone in zones:
        regions.setdefault(zone.split("/")[0], []).append(zone)
    groups = []
    for region, names in regions.items():
        for start in range(0, len(names), GROUP_SIZE):
            part = names[start : start + GROUP_SIZE]
            label = region if len(names) <= GROUP_SIZE else say(
                "config_timezone_group", region=region, first=_place(part[0])[0],
                last=_place(part[-1])[0],
            )  # fmt: skip
            groups.append(OptionGroup(label=label, options=[_zone_option(z) for z in part]))
    return groups


def _place(zone: str) -> str:
    return zone.partition("/")[2] or zone


def _zone_option(zone: str) -> Option:
    return Option(value=zone, text=zone.replace("_", " "))


def _people_input(
    block: BlockId, people: frozenset[str] | None, label: str, hint: str, *, optional: bool
) -> InputBlock:
    element = UserMultiSelectElement(action_id=INPUT, initial_users=sorted(people or ()) or None)
    return InputBlock(block_id=block.value, label=label, element=element, hint=hint,
                      optional=optional)  # fmt: skip


def _people_chosen(raw: Any) -> frozenset[str]:
    """The user ids picked (a forged submit's other values are not people)."""
    picked = raw if isinstance(raw, list) else []
    return frozenset(user for user in picked if USER_ID.fullmatch(user))


def _text_input(
    block: BlockId, label: str, value: str, hint: str, *, optional: bool = False
) -> InputBlock:
    element = PlainTextInputElement(action_id=INPUT, initial_value=value or None, max_length=40)
    return InputBlock(block_id=block.value, label=label, element=element, hint=hint,
                      optional=optional)  # fmt: skip


def _whole_number(raw: Any) -> int | None:
    try:
        number = int(str(raw).strip())
    except ValueError:
        return None
    return number if 1 <= number <= MAX_NUDGE_DAYS else None
