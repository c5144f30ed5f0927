"""What supporters add to a card, the summary's offer, and the merge modal's number."""

from decimal import Decimal

import pytest

from bot.domain.supporters import Backing, Candidate, Support
from bot.emulator.blockkit import check_message
from bot.rendering.dialogue import summary_message
from bot.rendering.ids import ActionId, BlockId
from bot.rendering.merge import merge_modal, other_from_modal
from bot.rendering.supporters import (
    joined_summary_message,
    offer_blocks,
    parse_offer,
    support_blocks,
)
from tests.unit.rendering.test_dialogue_messages import DEFINITION, TEXTS, as_params, huge_answers


def text_of(blocks) -> str:
    return str([block.to_dict() for block in blocks])


def test_a_card_counts_its_accounts_and_their_value_and_escapes_their_names():
    support = Support(Backing(3, Decimal(420000), approximate=True), ("<!channel> Ltd", "Hooli"))
    shown = text_of(support_blocks(support, "Globex"))
    assert "*3 accounts*, ≈ $420k" in shown and "Globex, &lt;!channel&gt; Ltd, Hooli" in shown


def test_a_merged_discovery_points_to_the_one_it_counts_in():
    support = Support(Backing(1, None), merged_into=7, merged_into_channel="C0PRODUCT")
    assert "Merged into discovery #7 in <#C0PRODUCT>" in text_of(support_blocks(support, "Initech"))
    assert support_blocks(Support(Backing(1, Decimal(5))), "Initech") == []  # nothing to say


def test_the_summary_offers_to_join_with_a_button_that_names_the_discovery_and_version():
    candidate = Candidate(12, "Globex", "Onboard a store in a day <@U1>")
    section, actions = offer_blocks(candidate, dialogue_id=5, version="abc")
    assert "#12" in text_of([section]) and "&lt;@U1&gt;" in text_of([section])
    button = actions.to_dict()["elements"][0]
    assert button["action_id"] == ActionId.DIALOGUE_SUPPORT
    assert parse_offer(button["value"].split(":", 2)[2]) == (12, "abc")
    assert offer_blocks(None, dialogue_id=5, version="abc") == []


@pytest.mark.parametrize(("typed", "number"), [("12", 12), ("#12", 12), (" # 7 ", 7), ("", None),
                                               ("twelve", None), ("12 and 13", None)])  # fmt: skip
def test_the_other_discovery_is_its_number_as_typed(typed, number):
    view = {"state": {"values": {BlockId.MERGE_WITH.value: {ActionId.MODAL_INPUT.value: {
        "type": "plain_text_input", "value": typed}}}}}  # fmt: skip
    found, errors = other_from_modal(view)
    assert found == number and bool(errors) == (number is None)


def test_the_merge_modal_lists_look_alikes_as_hints():
    view = merge_modal(discovery_id=1, account="Globex", origin="C0PRODUCT",
                       lookalikes=[Candidate(2, "Initech", "Onboard stores fast")])  # fmt: skip
    assert "#2 Initech" in str(view.to_dict()) and '"origin": "C0PRODUCT"' in view.private_metadata


@pytest.mark.parametrize("kind", TEXTS)
def test_a_joined_summary_keeps_the_answers_drops_every_control_and_stays_valid(kind):
    lookalike = Candidate(12, "Globex", TEXTS[kind])
    summary = as_params(
        summary_message(
            DEFINITION, huge_answers(TEXTS[kind]), [], dialogue_id=7, lookalike=lookalike
        )
    )

    joined = joined_summary_message(summary, discovery_id=12, account=TEXTS[kind][:200])

    check_message(joined)  # raises as Slack would on anything it refuses
    rows = [b for b in summary["blocks"] if "accessory" in b]
    assert len(rows) == len(DEFINITION.questions) and len(joined["blocks"]) == 1 + len(rows)
    assert not [b for b in joined["blocks"] if b["type"] == "actions" or "accessory" in b]
    assert "now counts for discovery #12" in joined["text"]
