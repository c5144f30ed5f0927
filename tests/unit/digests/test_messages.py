"""Digest messages: user text inert, links safe, every message within Block Kit limits."""

from __future__ import annotations

import re
from decimal import Decimal
from zoneinfo import ZoneInfo

from bot.digests.compose import coach_report, route_report, scout_report
from bot.digests.messages import (
    coach_messages,
    cut_line,
    pack,
    period,
    route_messages,
    scout_messages,
    split_text,
)
from bot.digests.model import OPEN_COUNTED, Message, Week
from bot.domain.money import current_money
from bot.domain.themes import ValueNetwork
from bot.emulator.blockkit import check_message
from storage.queries.digest_figures import ThemeGroup
from storage.queries.digest_trends import LoopTiming
from tests.unit.digests.factories import (
    coach_figures,
    line,
    loop,
    quiet_route_figures,
    route_figures,
    scout_news,
)

BERLIN = ZoneInfo("Europe/Berlin")
NETWORK = ValueNetwork(())
HOSTILE = "<!channel> <@U123> <#C0SALES> <https://evil.example|click> & " * 20
BAD_LINKS = ("javascript:alert(1)", "https://evil.example/a|<!channel>", "ftp://x.example")
# The only <…> the app may send: mentions of ids it stored, and http(s) links it built.
APP_MARKUP = re.compile(r"<@U[0-9A-Z]+>|<https?://[^|<>\s]+\|[^<>]+>")


def _all(messages: list[Message]) -> str:
    return "\n".join(
        block["text"]["text"] for m in messages for block in m.blocks if "text" in block
    )


def _assert_valid(messages: list[Message]) -> None:
    for message in messages:
        check_message({"text": message.text, "blocks": message.blocks})  # raises what Slack would


def _hostile_week():
    themes = tuple(
        ThemeGroup(f"t{n}", 500, 400, tuple(line(i, HOSTILE, HOSTILE) for i in range(5)),
                   tuple(HOSTILE for _ in range(5)))
        for n in range(30)
    )  # fmt: skip
    closed = tuple(loop(n, note=HOSTILE, link=BAD_LINKS[n % 3], account=HOSTILE) for n in range(10))
    return route_figures(
        themes=themes, largest=tuple(line(n, HOSTILE, HOSTILE, value_band="over_1m") for n in range(5)),
        open_count=9000, open_oldest=tuple(line(n, HOSTILE, HOSTILE) for n in range(5)),
        closed_count=900, closed=closed, logged=15000,
    )  # fmt: skip


def test_a_huge_hostile_week_stays_within_limits_and_mentions_nobody():
    parent, thread = route_messages(route_report(_hostile_week(), NETWORK), zone=BERLIN)
    messages = [parent, *thread]

    _assert_valid(messages)
    text = _all(messages)
    assert "&lt;!channel&gt;" in text and "&amp;" in text
    assert "<" not in APP_MARKUP.sub("", text)
    assert "javascript:" not in text and "ftp://" not in text
    assert "evil.example/a%7C%3C!channel%3E|evil.example>" in text  # a link the app built, inert


def test_the_parent_is_short_and_the_details_are_in_the_thread():
    parent, thread = route_messages(route_report(route_figures(), NETWORK), zone=BERLIN)

    assert len(parent.blocks) == 1
    assert "*3* new discoveries (2 the week before)" in parent.blocks[0]["text"]["text"]
    said = parent.text + _all([parent]).replace("*", "")
    assert "Sales's own answers: 1 acknowledged" in said  # per-route figures say so
    assert "1 waiting for Sales over 3 working days" in said
    details = _all(list(thread))
    for heading in ("by theme", "Largest by value", "recur across accounts", "Open loops",
                    "Loops closed", "Thanks"):  # fmt: skip
        assert heading in details
    assert "EUR 50,000" in details
    assert "since 16 Nov 2026" in details


def test_largest_by_value_says_its_currency_and_marks_bands_approximate():
    money = current_money()
    largest = (line(1, "Acme", value_amount=Decimal("50000"), value_currency="EUR",
                    value_base=money.value(band=None, amount=Decimal(50000), currency="EUR")),
               line(2, "Globex", value_band="10k_100k",
                    value_base=money.value(band="10k_100k", amount=None, currency=None)),
               line(3, "Initech", value_amount=Decimal("20000"), value_currency="USD",
                    value_base=Decimal("20000")))  # fmt: skip
    _, thread = route_messages(route_report(route_figures(largest=largest), NETWORK), zone=BERLIN)

    details = _all(list(thread))
    assert "Largest by value* (in USD: amounts converted at the rates of 30 Nov 2026" in details
    assert "*Acme*: $53k (EUR 50,000)" in details
    assert "*Globex*: ≈ $55k (10k–100k)" in details
    assert "*Initech*: $20k, " in details  # already in the base currency: said once


def test_a_quiet_week_is_one_line_and_no_thread():
    parent, thread = route_messages(route_report(quiet_route_figures(), NETWORK), zone=BERLIN)

    assert thread == ()
    assert len(parent.blocks) == 1
    assert "\n" not in parent.blocks[0]["text"]["text"]
    assert "quiet week" in parent.text


def test_the_coach_digest_shows_the_trend_table_and_recognises_outcomes():
    parent, thread = coach_messages(coach_report(coach_figures(), NETWORK))
    _assert_valid([parent, *thread])
    details = _all(list(thread))

    assert "2026-W47" in details and "Sales" in details
    assert "<@U1> (2)" in details
    assert "50% with a value" in details
    assert "*25%* of recent loops closed" in _all([parent])


def test_a_scout_digest_ends_with_the_switch_to_stop_it():
    parent, thread = scout_messages(scout_report(scout_news(user_id="U0SCOUT")))

    _assert_valid([parent, *thread])
    button = parent.blocks[-1]["elements"][0]
    assert (button["action_id"], button["value"]) == ("digest_scout_off", "U0SCOUT")
    assert "Made a deck" in _all([parent])
    assert "*1* update on them this week. You logged *2*: thank you!" in _all([parent])


def test_a_huge_scout_digest_keeps_the_switch_in_its_first_message():
    news = scout_news(
        logged=tuple(line(n, HOSTILE, HOSTILE) for n in range(10)), logged_count=400,
        answered=tuple(loop(n, note=HOSTILE, account=HOSTILE) for n in range(10)),
    )  # fmt: skip
    parent, thread = scout_messages(scout_report(news))

    _assert_valid([parent, *thread])
    assert parent.blocks[-1]["type"] == "actions"


def test_packing_splits_into_messages_of_at_most_fifty_blocks():
    messages = pack(["x" * 2900] * 130 + ["y\n" * 2000], fallback="Digest")

    assert len(messages) > 2
    assert all(len(m.blocks) <= 50 for m in messages)
    assert messages[0].text == f"Digest (1/{len(messages)})"
    _assert_valid(messages)


def test_a_line_too_long_is_cut_outside_entities_and_links():
    assert cut_line("a" * 10 + "&amp;", 12) == "a" * 10 + "…"
    assert cut_line("ab <https://x.example|x> " + "c" * 20, 10) == "ab …"
    assert all(len(chunk) <= 3000 for chunk in split_text("z" * 7000 + "\nshort"))


def test_periods_read_naturally_across_months_and_years():
    assert period(Week.parse("2026-W47")) == "16–22 Nov 2026"
    assert period(Week.parse("2026-W49")) == "30 Nov – 6 Dec 2026"
    assert period(Week.parse("2026-W53")) == "28 Dec 2026 – 3 Jan 2027"


def test_open_loops_counted_only_so_far_say_so():
    figures = route_figures(open_count=OPEN_COUNTED + 1, open_oldest=(line(1),) * 5)

    parent, thread = route_messages(route_report(figures, NETWORK), zone=BERLIN)

    assert "*1,000+* waiting" in _all([parent])
    assert "*Open loops:* 1,000+ discoveries" in _all(thread)
    assert "and 995+ more" in _all(thread)


def test_counts_in_the_coach_digest_agree_in_number():
    one = coach_figures(timing=LoopTiming(cohort=1, closed=1, answered=1, median_seconds=60))
    many = coach_figures(timing=LoopTiming(cohort=2, closed=1, answered=2, median_seconds=60))

    assert "(the 1 discovery logged in the 4 weeks before" in _coach_text(one)
    assert "(the 2 discoveries logged in the 4 weeks before" in _coach_text(many)
    assert "the 1 discoveries" not in _coach_text(one)


def _coach_text(figures) -> str:
    parent, thread = coach_messages(coach_report(figures, NETWORK))
    return _all([parent, *thread])


def test_sections_and_the_switch_are_what_slack_sdk_makes_of_them():
    from slack_sdk.models.blocks import (
        ActionsBlock,
        ButtonElement,
        MarkdownTextObject,
        SectionBlock,
    )

    from bot.digests.messages import _off_switch, _section
    from bot.rendering.ids import ActionId

    text = "*Bold* & <@U1> " * 100
    assert _section(text) == SectionBlock(text=MarkdownTextObject(text=text)).to_dict()
    button = ButtonElement(text="Stop", action_id=ActionId.DIGEST_SCOUT_OFF, value="U0SCOUT")
    assert _off_switch("Stop", "U0SCOUT") == ActionsBlock(elements=[button]).to_dict()
    assert (
        _off_switch("Stop", "U1")["elements"][0]["text"]
        is not _off_switch("Stop", "U2")["elements"][0]["text"]
    )
