"""What a person types in the demo, read as the Slack client would take it."""

from datetime import timedelta

import pytest

from bot.cli.demo.choices import find_option
from bot.cli.demo.clock import duration
from bot.cli.forms import Field, refusals

OPTIONS = [
    {"text": {"type": "plain_text", "text": label}, "value": value}
    for label, value in [("Yes", "yes"), ("Partly", "partly"), ("Not yet", "not_yet"),
                         ("Not sure", "not_sure")]
]  # fmt: skip


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("30m", timedelta(minutes=30)), ("2h", timedelta(hours=2)), ("7d", timedelta(days=7)),
     ("1w", timedelta(weeks=1)), (" 2 H ", timedelta(hours=2)), ("", None), ("0h", None),
     ("2 hours", None), ("-1d", None), ("h", None)],
)  # fmt: skip
def test_wait_takes_minutes_hours_days_or_weeks(typed, expected):
    assert duration(typed) == expected


@pytest.mark.parametrize(
    ("typed", "value"),
    [("Partly", "partly"), ("partly", "partly"), ("not_yet", "not_yet"), ("Not yet", "not_yet"),
     ("pa", "partly"), ("3", "not_yet"), ("Not", None), ("9", None), ("", None)],
)  # fmt: skip
def test_an_option_is_named_by_its_label_its_value_a_unique_start_or_its_number(typed, value):
    found = find_option(OPTIONS, typed)
    assert (found or {}).get("value") == value


def form(*inputs: dict) -> dict:
    return {"blocks": [{"type": "input", "block_id": f"b{n}", "label": {"text": f"Q{n}"}, **i}
                       for n, i in enumerate(inputs, start=1)]}  # fmt: skip


def test_the_client_refuses_submit_while_a_required_field_is_empty_or_text_is_too_long():
    view = form(
        {"element": {"type": "plain_text_input", "action_id": "a"}},
        {"element": {"type": "static_select", "action_id": "a", "options": OPTIONS}},
        {"element": {"type": "plain_text_input", "action_id": "a"}, "optional": True},
        {"element": {"type": "plain_text_input", "action_id": "a", "max_length": 5}},
        {"element": {"type": "checkboxes", "action_id": "a", "options": OPTIONS}},
    )
    refused = refusals(view, {"b1": "  ", "b4": "too long"})
    assert [(field.number, why) for field, why in refused] == [
        (1, "Please fill out this field."),
        (2, "Please fill out this field."),
        (4, "Must be 5 characters or fewer."),
        (5, "Please fill out this field."),
    ]
    answers = {"b1": "Globex", "b2": "partly", "b4": "short", "b5": ["yes"]}
    assert refusals(view, answers) == []


def test_a_form_field_with_a_long_list_shows_its_first_choices_and_a_count():
    zones = tuple((f"Zone/{n}", f"Zone {n}") for n in range(300))
    field = Field(6, "zone", "input", "Time zone", "static_select", options=zones, initial="Zone/7")
    shown = field.describe()
    assert shown.startswith("6. Time zone: Zone 0 | Zone 1") and "… 300 choices: type one" in shown
    assert shown.endswith("(now: Zone 7)") and "Zone 299" not in shown
    short = Field(1, "fit", "input", "Fit", "static_select", options=(("yes", "Yes"), ("no", "No")))
    assert short.describe() == "1. Fit: Yes | No"
