"""The opener is evidence: kept beside the answers and first in the evidence, whatever follows."""

from bot.dialogue.evidence import keep_opener, told

STORY = "Acme's CFO wants month-end close in 3 days."


def test_the_story_becomes_the_opener_and_the_evidence():
    assert told({}, STORY) == {"opener": STORY, "evidence": STORY}


def test_a_second_story_follows_the_first_once():
    first = told({}, STORY)
    assert told(first, "And the audit is in March.")["evidence"] == (
        f"{STORY}\n\nAnd the audit is in March."
    )
    assert told(first, STORY) == first


def test_a_quote_that_replaced_the_evidence_comes_after_the_opener():
    answers = told({}, STORY) | {"evidence": "“We lose a week every month”"}
    assert keep_opener(answers)["evidence"] == f"{STORY}\n\n“We lose a week every month”"


def test_evidence_that_still_holds_the_opener_or_has_none_is_left_as_is():
    kept = told({}, STORY) | {"evidence": f"{STORY}\n\nmore"}
    assert keep_opener(kept) == kept
    assert keep_opener({"evidence": "a quote"}) == {"evidence": "a quote"}
    assert keep_opener({"opener": STORY})["evidence"] == STORY  # a skipped evidence keeps it
