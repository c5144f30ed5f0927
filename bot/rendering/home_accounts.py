"""The Home tab's accounts section: "Accounts I own", the DM switch, and an admin's merge."""

from __future__ import annotations

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    MarkdownTextObject,
    SectionBlock,
)

from bot.domain.accounts import OwnerHome
from bot.rendering.fitting import SECTION_LIMIT
from bot.rendering.ids import ActionId
from bot.rendering.links import link_as
from bot.rendering.text import render, shorten
from bot.wording import say

SHOWN = 20  # accounts listed on the Home tab; `/scout account` shows any of them whole


def owned_accounts_blocks(home: OwnerHome) -> list[Block]:
    """The person's accounts with their discoveries, and the buttons that apply to them."""
    if not home:
        return []
    accounts = [
        {"name": a.name, "link": link_as(a.crm_url, a.name), "discoveries": a.discoveries,
         "new": a.new}
        for a in home.owned[:SHOWN]
    ]  # fmt: skip
    text = render("home_accounts.md.j2", accounts=accounts, alerts_off=home.alerts_off)
    blocks: list[Block] = [SectionBlock(text=MarkdownTextObject(text=shorten(text, SECTION_LIMIT)))]
    buttons = []
    if home.owned or home.alerts_off:
        action = ActionId.ACCOUNT_ALERTS_ON if home.alerts_off else ActionId.ACCOUNT_ALERTS_OFF
        label = say("accounts_alerts_on") if home.alerts_off else say("accounts_alerts_off")
        buttons.append(ButtonElement(text=label, action_id=action.value, value="home"))
    if home.admin:
        buttons.append(
            ButtonElement(
                text=say("account_merge_title"), action_id=ActionId.ACCOUNT_MERGE.value, value="open"
            )
        )
    return [*blocks, ActionsBlock(elements=buttons)] if buttons else blocks
