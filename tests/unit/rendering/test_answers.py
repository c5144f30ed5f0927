"""Answers as people read them: every kind by one path, in the definition's order, none lost."""

from __future__ import annotations

import dataclasses

import pytest

from bot.dialogue.definition import Definition, Kind, Question, load_definition
from bot.rendering.answers import answer_text, brief_line, shown_answers
from bot.rendering.cards import discovery_card
from storage.models import Discovery, DiscoveryRoute

ANSWERS = {
    "account": "Globex",
    "outcome": "Onboard a store in a day",
    "gap": "Set up by hand",
    "fit": "partly",
    "value": {"amount": "40000", "currency": "EUR"},
    "event": {"date": "2027-03-31", "pressure": "renewal"},
}


@pytest.fixture(scope="module")
def definition() -> Definition:
    return load_definition()


def with_question(definition: Definition, question: Question) -> Definition:
    return dataclasses.replace(definition, questions=(*definition.questions, question))


def test_answers_are_shown_in_the_definitions_order_with_its_labels(definition):
    shown = [(a.question.label, a.text) for a in shown_answers(definition, ANSWERS)]
    assert shown == [
        ("Account", "Globex"), ("Outcome", "Onboard a store in a day"), ("Gap", "Set up by hand"),
        ("Our fit", "Partly"), ("Value per year", "EUR 40,000"),
        ("Compelling event", "31 Mar 2027 — renewal"),
    ]  # fmt: skip


def test_an_answer_to_a_question_removed_since_is_still_shown_by_its_key(definition):
    shown = shown_answers(definition, ANSWERS | {"deal_stage": "proposal", "evidence_url": "u"})
    assert (shown[-1].question.label, shown[-1].text) == ("Deal stage", "proposal")
    assert "u" not in [a.text for a in shown]  # the source link goes with the evidence


def test_an_answer_stored_before_its_question_changed_kind_is_shown_as_stored():
    budget = Question(key="budget", kind=Kind.VALUE, label="Budget", prompt="Budget?")
    assert answer_text(budget, "about 40k") == "about 40k"
    stage = Question(key="stage", kind=Kind.DATE, label="Stage", prompt="Stage?")
    assert answer_text(stage, {"band": "big"}) == "big"


def test_the_brief_line_holds_short_answers_but_not_the_account_or_long_text(definition):
    competitor = Question(key="competitor", kind=Kind.TEXT, label="Competitor", prompt="Who?")
    line = brief_line(with_question(definition, competitor), ANSWERS | {"competitor": "<!here>"})
    assert line == (
        "*Our fit*: Partly · *Value per year*: EUR 40,000 · *Compelling event*: 31 Mar 2027 — "
        "renewal · *Competitor*: &lt;!here&gt;"
    )
    assert brief_line(definition, {"account": "Globex", "outcome": "x"}) is None


def test_many_short_answers_fill_a_second_block_of_card_fields(definition):
    extra = [Question(key=f"q{n}", kind=Kind.TEXT, label=f"Q{n}", prompt="?") for n in range(6)]
    definition = dataclasses.replace(definition, questions=(*definition.questions, *extra))
    answers = ANSWERS | {f"q{n}": f"answer {n}" for n in range(6)}
    discovery = Discovery(
        id=1, team_id="T", scout_user_id="U", account="Globex", outcome=ANSWERS["outcome"],
        gap=ANSWERS["gap"], fit="partly", source="dm", source_key="k", themes=[], answers=answers,
    )  # fmt: skip
    route = DiscoveryRoute(discovery_id=1, route="product", reason="r", channel_id="C")
    card = discovery_card(discovery=discovery, route=route, definition=definition)
    fields = [b["fields"] for b in card["blocks"] if "fields" in b]
    assert [len(f) for f in fields] == [10, 1]  # Slack's most fields in one section is 10
    assert "answer 5" in str(fields[0]) and "*Scout*" in str(fields[1])
