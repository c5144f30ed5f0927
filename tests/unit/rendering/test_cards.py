"""Discovery cards and receipts: every answer labelled, user text inert, Block Kit limits kept."""

from __future__ import annotations

import dataclasses
import json
import re
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from slack_sdk.models.blocks import Block

from bot.dialogue.definition import Choice, Definition, load_definition
from bot.domain.similarity import Convergence, Related, RelatedDiscovery
from bot.rendering.cards import discovery_card
from bot.rendering.fitting import clip
from bot.rendering.prose import ordinal
from bot.rendering.receipts import receipt_message
from storage.models import Discovery, DiscoveryRoute

HOSTILE = (
    "<!channel> <!here> <@U0ADMIN> <#C0SALES> <!subteam^S1|@team> <https://evil.example|x> &amp; "
)
PERMALINK = "https://acme.slack.com/archives/C0SALES/p1700000000000100"


@pytest.fixture(scope="module")
def definition() -> Definition:
    return load_definition()


def _discovery(**fields: Any) -> Discovery:
    values: dict[str, Any] = {
        "id": 42,
        "team_id": "T0VALUESCOUT",
        "scout_user_id": "U0SCOUT",
        "account": "Globex",
        "outcome": "Onboard a new store in one day",
        "gap": "Stores are set up by hand",
        "fit": "partly",
        "source": "modal",
        "source_key": "view:V1",
        "themes": [],
    }
    return Discovery(**(values | fields))


def _route(reason: str = "Partly delivered today: evidence for the roadmap") -> DiscoveryRoute:
    return DiscoveryRoute(discovery_id=42, route="product", reason=reason, channel_id="C0PRODUCT")


def _card(definition: Definition, **fields: Any) -> dict[str, Any]:
    return discovery_card(discovery=_discovery(**fields), route=_route(), definition=definition)


def _texts(message: dict[str, Any]) -> list[str]:
    """Every text of every block, in order (header, sections, fields, context)."""
    texts: list[str] = []
    for block in message["blocks"]:
        texts += [block["text"]["text"]] if "text" in block else []
        texts += [field["text"] for field in block.get("fields", [])]
        # Context elements are texts; buttons (their labels are objects) are checked elsewhere.
        texts += [e["text"] for e in block.get("elements", []) if isinstance(e.get("text"), str)]
    return texts


def _all(message: dict[str, Any]) -> str:
    return "\n".join(_texts(message)) + "\n" + message["text"]


def _assert_within_limits(message: dict[str, Any]) -> None:
    """What Slack enforces: checked by slack_sdk's models and by hand for what they skip."""
    blocks = message["blocks"]
    assert len(blocks) < 40  # room for the action buttons added later
    for block in blocks:
        Block.parse(block).validate_json()
        if block["type"] == "header":
            assert len(block["text"]["text"]) <= 150
        if block["type"] == "section":
            assert len(block.get("text", {}).get("text", "")) <= 3000
            assert len(block.get("fields", [])) <= 10
            assert all(len(field["text"]) <= 2000 for field in block.get("fields", []))
    assert len(message["text"]) <= 300


def test_the_card_shows_every_answer_with_the_definitions_labels(definition: Definition):
    card = _card(
        definition,
        who_cares="executive",
        value_amount=Decimal("40000.00"),
        value_currency="EUR",
        event_date=date(2027, 3, 31),
        event_pressure="The board decides on the budget",
        evidence="We lose two weeks per store",
        evidence_url="https://support.example/tickets/42",
        themes=["onboarding", "time to value"],
    )

    texts = _texts(card)
    assert texts[0] == "Value gap at Globex"
    assert "*Outcome*\nOnboard a new store in one day" in texts
    assert "*Gap*\nStores are set up by hand" in texts
    assert "*Our fit*\nPartly" in texts
    assert "*Value per year*\nEUR 40,000" in texts
    assert "*Compelling event*\n31 Mar 2027 — The board decides on the budget" in texts
    assert "*Who cares*\nExecutive / economic owner" in texts
    assert "*Scout*\n<@U0SCOUT>" in texts
    assert "*Themes*\nonboarding, time to value" in texts
    assert (
        "*Evidence*\n<https://support.example/tickets/42|Open the source>\nWe lose two weeks per store"
        in texts
    )
    assert "*Why here:* Partly delivered today: evidence for the roadmap" in texts
    assert texts[-1] == "Value Scout · discovery #42"
    assert (card["unfurl_links"], card["unfurl_media"]) == (False, False)


def test_labels_and_choice_labels_follow_an_admins_rewording(definition: Definition):
    fit = dataclasses.replace(
        definition.question("fit"), label="Can we do it?", choices=(Choice("partly", "Somewhat"),)
    )
    value = dataclasses.replace(
        definition.question("value"), choices=(Choice("100k_1m", "Six figures"),)
    )
    reworded = dataclasses.replace(
        definition,
        questions=tuple({"fit": fit, "value": value}.get(q.key, q) for q in definition.questions),
    )

    texts = _texts(_card(reworded, value_band="100k_1m"))

    assert "*Can we do it?*\nSomewhat" in texts
    assert "*Value per year*\nSix figures" in texts


def test_skipped_answers_are_left_out_not_shown_empty(definition: Definition):
    card = _card(definition)

    shown = _all(card)
    for label in ("Value per year", "Compelling event", "Who cares", "Evidence", "Themes"):
        assert label not in shown
    _assert_within_limits(card)


def test_user_text_everywhere_appears_literally_and_notifies_nobody(definition: Definition):
    card = discovery_card(
        discovery=_discovery(
            account=HOSTILE,
            outcome=HOSTILE,
            gap=HOSTILE,
            event_pressure=HOSTILE,
            evidence=HOSTILE,
            evidence_url="javascript:alert(1)",
            themes=[HOSTILE],
            value_amount=Decimal(1),
            value_currency="<!x>",
        ),
        route=_route(reason=HOSTILE),
        definition=definition,
    )

    posted = json.dumps(card["blocks"]) + card["text"]
    assert re.findall(r"<[!@#]\w*", posted) == ["<@U0SCOUT"]  # the app's own mention, nothing else
    assert "<http" not in posted and "<javascript" not in posted
    assert "&lt;!channel&gt;" in card["text"] and "&amp;amp;" in card["text"]
    assert "javascript:alert(1)" in _all(card)  # shown as text, not as a link


def test_an_evidence_url_cannot_break_out_of_its_link(definition: Definition):
    texts = _texts(_card(definition, evidence_url="https://x.example/a?b=1&c=2|<!channel>"))

    [evidence] = [t for t in texts if t.startswith("*Evidence*")]
    assert (
        evidence == "*Evidence*\n<https://x.example/a?b=1&amp;c=2%7C%3C!channel%3E|Open the source>"
    )


def test_evidence_over_the_section_limit_is_shortened_visibly(definition: Definition):
    evidence = "The customer said: " + "x" * 39_981  # 40,000 characters

    card = _card(definition, evidence=evidence)

    [text] = [t for t in _texts(card) if t.startswith("*Evidence*")]
    shown = len(re.search(r"\n(The customer said: x*)\n", text).group(1))
    assert text.endswith(
        f"_… (shortened: {len(evidence) - shown:,} more characters in Value Scout)_"
    )
    assert len(text) <= 3000 and shown > 2800
    _assert_within_limits(card)


@pytest.mark.parametrize(
    "text",
    [
        "&" * 40_000,  # every character escapes to five
        "<>" * 20_000,
        "顧客は導入を一日で終えたい。" * 3000,  # CJK
        "😀👩‍👩‍👧🇩🇪" * 5000,  # emoji, ZWJ sequences and flags
        HOSTILE * 500,
        "x" * 2999 + "&",  # the cut falls on an entity
    ],
    ids=["ampersands", "angles", "cjk", "emoji", "hostile", "entity-at-the-edge"],
)
def test_any_input_stays_within_every_block_kit_limit(definition: Definition, text: str):
    card = discovery_card(
        discovery=_discovery(
            account=text,
            outcome=text,
            gap=text,
            event_pressure=text,
            evidence=text,
            evidence_url="https://x.example/" + text,
            themes=[text] * 30,
            value_amount=Decimal("123456789.5"),
            value_currency="JPY",
            who_cares="other",
        ),
        route=_route(reason=text),
        definition=definition,
    )

    _assert_within_limits(card)
    for piece in _texts(card):
        assert not re.search(r"&(?!amp;|lt;|gt;)", piece)  # no entity cut in half


def test_a_long_account_is_cut_in_the_header_but_whole_in_the_fields(definition: Definition):
    account = "Globex Corporation Holdings International " * 4  # 168 characters

    texts = _texts(_card(definition, account=account))

    assert len(texts[0]) <= 150 and texts[0].endswith("…")
    assert f"*Account*\n{account.strip()}" in texts


def test_the_notification_text_is_short_and_names_the_account(definition: Definition):
    card = _card(definition, outcome="o" * 5000)

    assert card["text"].startswith("Value gap at Globex: ooo")
    assert card["text"].endswith("…") and len(card["text"]) <= 300


def test_the_receipt_names_each_channel_with_a_link_to_its_post():
    message = receipt_message(
        discovery=_discovery(account="Globex <!channel>"),
        posts=[("sales", "C0SALES", PERMALINK), ("product", "C0PRODUCT", None)],
    )

    assert message["text"] == (
        "Your discovery at *Globex &lt;!channel&gt;* went to "
        f"<#C0SALES> (<{PERMALINK}|see the post>) and <#C0PRODUCT>."
    )
    assert message["blocks"][0]["text"]["text"] == message["text"]
    _assert_within_limits(message)


def test_the_receipt_lists_three_channels_in_prose():
    posts = [(r, c, None) for r, c in (("sales", "C1"), ("marketing", "C2"), ("product", "C3"))]

    message = receipt_message(discovery=_discovery(account="A" * 50_000), posts=posts)

    assert message["text"].endswith("went to <#C1>, <#C2> and <#C3>.")
    Block.parse(message["blocks"][0]).validate_json()


def test_clip_counts_characters_as_slack_receives_them():
    assert clip("a&b<c", 6) == "a&"  # "a&amp;" is 6 characters
    assert clip("a&b<c", 5) == "a"
    assert clip("顧客😀", 2) == "顧客"


def test_themes_show_the_value_networks_labels(definition: Definition) -> None:
    from bot.domain.themes import load_network

    discovery = _discovery(themes=["faster_onboarding", "unthemed"])
    card = discovery_card(
        discovery=discovery, route=_route(), definition=definition, network=load_network()
    )
    assert "*Themes*\nFaster onboarding, Unthemed" in _texts(card)


def _related_card(definition: Definition, related: Related | None) -> dict[str, Any]:
    return discovery_card(
        discovery=_discovery(), route=_route(), definition=definition, related=related
    )


def _related_text(card: dict[str, Any]) -> str | None:
    return next((t for t in _texts(card) if t.startswith("*Related*")), None)


def test_related_discoveries_are_referenced_by_number_and_channel_with_the_convergence(
    definition: Definition,
):
    related = Related(
        discoveries=(
            RelatedDiscovery(12, "Acme", "Onboard stores in a day", "C0SALES", 1.5),
            RelatedDiscovery(9, "Initech", "Stores onboarded in a day", None, 0.8),
        ),
        convergence=Convergence("Acme", 3, 3),
    )

    text = _related_text(_related_card(definition, related))

    assert text is not None
    assert "3rd discovery at Acme in 30 days, from 3 scouts" in text
    assert "discovery #12 in <#C0SALES>: *Acme* — Onboard stores in a day" in text
    assert "discovery #9: *Initech* — Stores onboarded in a day" in text  # not posted: no channel


def test_a_card_with_nothing_related_has_no_related_section(definition: Definition):
    assert _related_text(_related_card(definition, None)) is None
    assert _related_text(_related_card(definition, Related())) is None
    assert _related_card(definition, Related()) == _related_card(definition, None)


def test_one_scout_converging_alone_is_said_in_the_singular(definition: Definition):
    text = _related_text(_related_card(definition, Related(convergence=Convergence("Acme", 2, 1))))
    assert text is not None and "2nd discovery at Acme in 30 days, from 1 scout" in text


def test_hostile_and_huge_related_text_is_escaped_shortened_and_within_limits(
    definition: Definition,
):
    item = RelatedDiscovery(7, HOSTILE * 50, HOSTILE * 500, "C0SALES", 1.0)
    card = _related_card(
        definition, Related(discoveries=(item,) * 3, convergence=Convergence(HOSTILE * 50, 4, 2))
    )

    _assert_within_limits(card)
    posted = json.dumps(card["blocks"])
    assert re.findall(r"<[!@#]\w*", posted) == ["<@U0SCOUT"] + ["<#C0SALES"] * 3
    text = _related_text(card)
    assert text is not None and "&lt;!channel&gt;" in text and "…" in text


@pytest.mark.parametrize(
    ("number", "expected"),
    [(1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"), (11, "11th"), (12, "12th"), (13, "13th"),
     (21, "21st"), (22, "22nd"), (23, "23rd"), (101, "101st"), (111, "111th"), (112, "112th")],
)  # fmt: skip
def test_ordinals_follow_english_including_the_teens(number: int, expected: str):
    assert ordinal(number) == expected
