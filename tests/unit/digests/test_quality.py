"""Quality per scout and each scout's one tip, worked out from hand-built rows of a week."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from bot.digests.compose import coach_report, scout_report
from bot.digests.messages import coach_messages, scout_messages
from bot.digests.quality import ScoutRow, redacted, scout_quality, tips, top_and_bottom
from bot.domain.opener.quality import completeness_parts
from bot.domain.themes import load_network
from tests.unit.digests.factories import coach_figures, scout_news

MONDAY = datetime(2026, 11, 16, 9, tzinfo=UTC)
NETWORK = load_network()
HOUR = 3600.0
# Every part: a measured outcome, a value, an event, who cares, the customer's own words.
FULL = {
    "outcome": "Cut onboarding from 3 weeks to 2 days", "value_amount": Decimal("40000"),
    "value_base": Decimal("42400"), "event_date": date(2027, 3, 31),
    "event_pressure": "Renewal at Globex in March", "who_cares": "executive",
    "evidence": '"Globex loses a store a month to slow onboarding," their COO said',
}  # fmt: skip
BARE = {"outcome": "Better onboarding"}  # nothing measured, nothing else


def row(n: int, scout: str, *, answered: float | None = None, actioned: bool = False, **kw: Any):
    """Discovery n by `scout`, at Globex; `kw` sets what was filled in."""
    fields = {"account": "Globex", "outcome": "x"} | kw
    return ScoutRow(
        id=n, scout_user_id=scout, created_at=MONDAY + timedelta(hours=n),
        answer_seconds=answered, actioned=actioned, **fields,
    )  # fmt: skip


def test_each_scout_is_counted_per_discovery_with_rates_and_a_median():
    rows = [
        row(1, "U0ANA", answered=HOUR, actioned=True, **FULL),
        row(2, "U0ANA", answered=3 * HOUR, **FULL),
        row(3, "U0ANA", **BARE),
        row(4, "U0BEN", **BARE, value_band="unknown", evidence="  "),
    ]

    ana, ben = scout_quality(rows)

    assert (ana.user_id, ana.discoveries, ana.completeness) == ("U0ANA", 3, 10 / 3)
    assert (ana.with_evidence, ana.valued, ana.acknowledged, ana.actioned) == (2, 2, 2, 1)
    assert ana.median_seconds == 2 * HOUR
    assert ana.missing == dict.fromkeys(["outcome", "value", "event", "who_cares", "evidence"], 1)
    assert (ben.discoveries, ben.completeness, ben.with_evidence, ben.valued) == (1, 0, 0, 0)
    assert (ben.acknowledged, ben.median_seconds) == (0, None)


def test_top_and_bottom_five_never_name_a_scout_twice():
    rows = [row(n, f"U{n:03d}", **(FULL if n % 2 else BARE)) for n in range(12)]
    qualities = scout_quality(rows)

    top, bottom = top_and_bottom(qualities)
    assert len(top) == len(bottom) == 5 and not {q.user_id for q in top} & {
        q.user_id for q in bottom
    }
    assert all(q.completeness == 5 for q in top) and all(q.completeness == 0 for q in bottom)
    few_top, few_bottom = top_and_bottom(qualities[:7])  # the better half on top
    assert len(few_top) == 4 and few_bottom == (qualities[6], qualities[5], qualities[4])
    assert top_and_bottom(qualities[:1]) == ((qualities[0],), ())


def test_the_tip_is_the_part_left_out_most_often_with_a_colleagues_example():
    rows = [
        row(1, "U0ANA", **(FULL | {"value_amount": None, "value_base": None})),
        row(2, "U0ANA", **(FULL | {"value_amount": None, "value_base": None, "who_cares": None})),
        row(3, "U0BEN", **FULL),
        row(4, "U0ANA", **FULL),  # Ana's own full one is never her example
        row(5, "U0CAT", **FULL),
    ]

    advice = tips(rows, completeness_parts())

    ana = advice["U0ANA"]
    assert (ana.part, ana.missing, ana.of) == ("value", 2, 3)
    assert ana.example is not None and ana.example.scout_user_id == "U0CAT"  # latest full one
    assert "U0BEN" not in advice and "U0CAT" not in advice  # nothing left out: no tip


def test_a_tip_ties_in_the_order_of_the_prompts_and_may_have_no_example():
    rows = [row(1, "U0ANA", **BARE)]

    [(user, tip)] = tips(rows, completeness_parts()).items()

    assert (user, tip.part, tip.example) == ("U0ANA", completeness_parts()[0], None)


def test_an_example_names_no_account():
    assert redacted("GLOBEX loses stores; globex's COO", "Globex", "the customer") == (
        "the customer loses stores; the customer's COO"
    )


def test_the_coach_digest_shows_the_top_and_bottom_and_the_decline_reasons():
    rows = [row(n, f"U{n:03d}", answered=HOUR, **(FULL if n < 6 else BARE)) for n in range(12)]
    figures = coach_figures(
        scouts=tuple(scout_quality(rows)), declines={"not_now": 2, "other": 1, "covered": 3}
    )

    report = coach_report(figures, NETWORK)
    _parent, thread = coach_messages(report)
    text = "\n".join(b["text"]["text"] for m in thread for b in m.blocks)

    assert report.declines == (("Already covered", 3), ("Not now", 2), ("Other", 1))
    assert "*Quality per scout*" in text and "(12 scouts;" in text
    assert "• <@U000>: 1 discovery · completeness *5.0*/5 · evidence 100% · value 100%" in text
    assert "_Who could use a hand_\n• <@U011>: 1 discovery · completeness *0.0*/5" in text
    assert "/scout coach" in text
    assert (
        "*Decline reasons* this week (6 declines): Already covered 3 · Not now 2 · Other 1." in text
    )


def test_the_scouts_dm_carries_their_tip_with_the_account_taken_out():
    rows = [row(1, "U001", **BARE), row(2, "U0CAT", **FULL)]
    tip = tips(rows, completeness_parts())["U001"]

    _first, *_rest = messages = scout_messages(scout_report(scout_news(tip=tip)))
    text = "\n".join(
        b["text"]["text"] for m in [messages[0], *messages[1]] for b in m.blocks if "text" in b
    )

    assert "*One thing for your next discovery:* Put the outcome in their measurable terms" in text
    assert "(1 of your 1 this week was without it.)" in text
    assert "A colleague's, for example: _Cut onboarding from 3 weeks to 2 days_" in text
    assert "Globex" not in text


def test_the_tip_says_was_for_one_left_out_of_several():
    # U001 left the measurable outcome out of one of three: "1 of your 3 … was without it".
    rows = [row(1, "U001", **BARE), row(2, "U001", **FULL), row(3, "U001", **FULL)]
    rows.append(row(4, "U0CAT", **FULL))
    tip = tips(rows, completeness_parts())["U001"]

    parent, thread = scout_messages(scout_report(scout_news(tip=tip)))
    text = "\n".join(b["text"]["text"] for m in [parent, *thread] for b in m.blocks if "text" in b)

    assert "(1 of your 3 this week was without it.)" in text
