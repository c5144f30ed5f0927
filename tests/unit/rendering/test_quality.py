"""Quality at capture on the summaries: the score, the one thing to add, and thin answers hinted."""

from bot.dialogue.definition import load_definition
from bot.rendering.dialogue import summary_message
from bot.rendering.modal import routes_modal
from bot.rendering.quality import quality_line, thin_hints

DEFINITION = load_definition()
COMPLETE = {
    "account": "Acme Corp",
    "outcome": "Month-end close down from 10 days to 3",
    "gap": "They reconcile 40 spreadsheets by hand every month",
    "fit": "partly",
    "value": {"amount": "250000", "currency": "USD"},
    "event": {"date": "2027-03-31", "pressure": "renewal", "owner": "CFO"},
    "who_cares": "executive",
    "evidence": "Their CFO said: “we lose a week every month”",
}


def _block(blocks: list, block_id: str) -> dict:
    return next(b for b in blocks if b.get("block_id") == block_id)


def test_a_complete_discovery_says_five_of_five_and_nothing_to_add():
    assert quality_line(COMPLETE).startswith("Completeness 5/5:")


def test_the_line_names_the_score_and_the_single_thing_that_raises_it_most():
    answers = COMPLETE | {"event": None, "who_cares": None}
    assert quality_line(answers) == (
        "Completeness 3/5 · To raise it: Add the compelling event: when it happens and what drives it."
    )


def test_the_dm_summary_shows_the_score_line_under_its_title():
    answers = {k: v for k, v in COMPLETE.items() if k != "value"}
    message = summary_message(DEFINITION, answers, [], dialogue_id=7)
    blocks = [b.to_dict() for b in message["blocks"]]
    assert blocks[1]["block_id"] == "quality"
    line = blocks[1]["elements"][0]["text"]
    assert "Completeness 4/5" in line and "worth to them per year" in line
    assert "\n" not in line  # one line


def test_thin_outcome_and_gap_are_hinted_with_their_one_challenge():
    answers = COMPLETE | {"outcome": "a bulk import button", "gap": "better reporting"}
    assert thin_hints(DEFINITION, answers) == [
        "Outcome: That sounds like a feature. What would it change for them — in time, money or "
        "risk? (Back to change it, or submit it as it is.)",
        "Gap: Could you say a little more? What does it cost them today — in time, money or risk? "
        "Their words, if you have them. (Back to change it, or submit it as it is.)",
    ]
    assert thin_hints(DEFINITION, COMPLETE) == []


def test_the_modal_summary_shows_the_score_and_the_hints_without_blocking():
    answers = COMPLETE | {"outcome": "a bulk import button"}
    view = routes_modal(DEFINITION, answers, [("product", "why")], dialogue_id=3).to_dict()
    text = _block(view["blocks"], "quality")["elements"][0]["text"]
    assert text.startswith("Completeness 4/5 · To raise it: Put the outcome in their measurable")
    assert "That sounds like a feature" in text
    assert view["submit"]["text"] == "Submit"  # a hint, never a refusal
