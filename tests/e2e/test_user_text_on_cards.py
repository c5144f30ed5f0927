"""User text on a card reads as typed: its URLs link nothing and its marks format nothing."""

from __future__ import annotations

import re

import pytest

from bot.emulator import SEED
from bot.emulator.common import flag
from tests.e2e.people import Scout, wait_until
from tests.e2e.test_dialogue_dm import skip_the_rest

pytestmark = pytest.mark.sqlite_only  # how the app answers, not what storage does

ACCOUNT = "*Acme* _Corp_"
OUTCOME = "```\nrm -rf /\n``` then see https://evil.example/promo and `inline`"
GAP = "> quoted gap ~struck~\nwww.evil.example/next"


def texts(message: dict) -> str:
    """Every text a person sees in a message: its blocks' texts and fields, and the fallback."""
    found = [message.get("text") or ""]
    for block in message.get("blocks", []):
        for part in [block.get("text"), *block.get("fields", []), *block.get("elements", [])]:
            if isinstance(part, dict) and isinstance(part.get("text"), str):
                found.append(part["text"])
    return "\n".join(found)


def test_urls_and_formatting_marks_in_user_text_change_nothing_on_the_card(driver, emulator):
    scout = Scout(driver, emulator)
    scout.say("hi", expect="Which customer")
    scout.say(ACCOUNT, expect="achieve")
    scout.say(OUTCOME, expect="time, money or risk")  # thin: challenged once, kept
    scout.say("keep it", expect="stands in the way")
    scout.say(GAP, expect="time, money or risk")
    scout.say("keep it", expect="deliver this today")
    scout.click("Partly", expect="worth")
    scout.say("skip", expect="pressure")
    scout.say("skip", expect="Who wants")
    skip_the_rest(scout)
    scout.click("Submit", expect="on its way")
    card = wait_until(lambda: emulator.messages(SEED.product), what="the card")[0]
    scout.wait_for("went to")

    shown = texts(card)
    assert "∗Acme∗ ˍCorpˍ" in shown and ACCOUNT not in shown
    assert "`" not in shown and "~struck~" not in shown
    assert "://" not in shown and "evil.example" not in shown and "www." not in shown
    assert not re.search(r"^[ \t]*(&gt;|>)", shown, re.MULTILINE)
    for call in emulator.calls_to("chat.postMessage"):  # the card, the receipt, every reply
        assert not flag(call.params.get("unfurl_links", True)), call.params.get("text")
        assert not flag(call.params.get("unfurl_media", True)), call.params.get("text")
