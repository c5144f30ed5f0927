"""A submitted modal is read as Slack shapes it; any other shape reads as not answered."""

from datetime import date

import pytest

from bot.dialogue.definition import load_definition
from bot.rendering.modal import answers_from_modal, submitted_fields
from bot.wording import say

SHAPES = [
    {},
    {"state": None},
    {"state": {"values": []}},
    {"state": {"values": {"account": "text"}}},
    {"state": {"values": {"account": {"input": "text"}}}},
    {"state": {"values": {"account": {"input": {"type": "plain_text_input", "value": 42}}}}},
    {"state": {"values": {"fit": {"input": {"type": "static_select", "selected_option": 7}}}}},
    {"state": {"values": {"routes": {"input": {"type": "checkboxes", "selected_options": 7}}}}},
]


@pytest.mark.parametrize("view", SHAPES)
def test_a_shape_slack_never_sends_reads_as_no_answer(view):
    assert all(value in (None, []) for value in submitted_fields(view).values())


def test_every_required_question_left_out_is_named_and_nothing_else():
    definition = load_definition()
    answers, errors = answers_from_modal(definition, {}, previous={}, today=date(2026, 1, 5))
    required = {q.key for q in definition.questions if q.required}
    assert answers == {} and errors == dict.fromkeys(required, say("modal_missing"))
