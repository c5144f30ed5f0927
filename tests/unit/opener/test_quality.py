"""Quality at capture: completeness 0–5 with the one thing to add, and thin answers challenged."""

import pytest

from bot.domain.opener.quality import challenge, completeness, thin_answer

FULL = {
    "outcome": "Month-end close down from 10 days to 3",
    "value": {"amount": "250000", "currency": "USD"},
    "event": {"date": "2027-03-31", "pressure": "renewal"},
    "who_cares": "executive",
    "evidence": "Their CFO said: “we lose a week every month”",
}


def test_a_complete_discovery_scores_five_with_nothing_to_add():
    assert completeness(FULL)[:2] == (5, None)


@pytest.mark.parametrize(
    ("change", "improve"),
    [({"outcome": "Better reporting"}, "outcome"), ({"value": {"band": "unknown"}}, "value"),
     ({"event": None}, "event"), ({"who_cares": None}, "who_cares"),
     ({"evidence": "we talked about it"}, "evidence")],
)  # fmt: skip
def test_each_missing_part_costs_a_point_and_is_the_advice(change, improve):
    score, advice, hint = completeness(FULL | change)
    assert (score, advice) == (4, improve)
    assert hint


def test_the_first_missing_part_in_the_listed_order_is_the_one_advice():
    assert completeness({"outcome": "Better reporting"})[:2] == (0, "outcome")
    assert completeness({"evidence": {"text": "", "link": "https://x.slack.com/p1"}})[:2] == (
        1,
        "outcome",
    )


@pytest.mark.parametrize(
    ("text", "reason"),
    [("a bulk import button", "feature_request"), ("add SSO", "feature_request"),
     ("better reporting", "too_short"), ("They want much better reporting for the team", "no_measure"),
     ("Onboard a new store in one day instead of two weeks", None),
     ("Cut denied claims by 30%", None), ("Die Abrechnungsfehler um die Hälfte senken", None),
     ("Die Durchlaufzeit in der Fertigung deutlich senken", None), ("eine bessere Übersicht für alle", "no_measure")],
)  # fmt: skip
def test_thin_answers_say_why(text, reason):
    assert thin_answer(text) == reason


def test_the_challenge_teaches_value_language():
    assert challenge("no_measure") == "What would that change for them — in time, money or risk?"
    assert "feature" in challenge("feature_request")


def test_a_gap_is_challenged_on_what_it_costs_not_what_it_would_change():
    assert challenge("no_measure", "gap").startswith("What does it cost them today")
    assert challenge("no_measure", "outcome") == challenge("no_measure")
