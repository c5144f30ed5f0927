"""build_digests: one digest per mapped channel and per scout with news, every message valid."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.digests.build import build_digests
from bot.digests.model import DigestKind, Week
from bot.domain.themes import load_network
from bot.emulator.blockkit import check_message
from tests.integration.digests.conftest import BERLIN, TEAM

WEEK = Week.parse("2026-W47")
CHANNELS = {"sales": "C0SALES", "marketing": "C0MKT", "product": "C0PROD", "coach": "C0COACH"}


def _build(session, **kw):
    values = {
        "session": session, "team_id": TEAM, "week": WEEK, "zone": BERLIN, "now": datetime(2027, 1, 1, tzinfo=UTC),
        "channels": CHANNELS, "network": load_network(), "open_after_working_days": 3,
    } | kw  # fmt: skip
    return build_digests(**values)


def test_a_week_builds_route_coach_and_scout_digests(session, hand_made_week):
    digests = _build(session)

    assert [(d.kind, d.name, d.channel_id) for d in digests] == [
        (DigestKind.ROUTE, "route:sales", "C0SALES"),
        (DigestKind.ROUTE, "route:marketing", "C0MKT"),
        (DigestKind.ROUTE, "route:product", "C0PROD"),
        (DigestKind.COACH, "coach", "C0COACH"),
        *[(DigestKind.SCOUT, "scout", user) for user in ("U1", "U2", "U4", "U5")],
    ]
    assert all(d.period == "2026-W47" for d in digests)
    for digest in digests:
        for message in (digest.parent, *digest.thread):
            check_message({"text": message.text, "blocks": message.blocks})


def test_the_coach_digest_carries_the_trend_chart(session, hand_made_week):
    (coach,) = _build(session, only="coach")

    assert coach.chart is not None
    assert coach.chart.png.startswith(b"\x89PNG")
    assert coach.chart.filename == "value-scout-trend-2026-W47.png"
    # The headline figures of the week, in words, for those who cannot see the four panels.
    for words in ("Sales 3", "value 50%", "acknowledged 25%", "actioned 25%", "after 26 h"):
        assert words in coach.chart.alt_text


def test_unmapped_channels_get_no_digest_and_only_filters(session, hand_made_week):
    digests = _build(session, channels={"product": "C0PROD"})

    assert [d.name for d in digests] == ["route:product"] + ["scout"] * 4
    assert [d.name for d in _build(session, only="sales")] == ["route:sales"]
    assert {d.kind for d in _build(session, only="scout")} == {DigestKind.SCOUT}
    with pytest.raises(ValueError, match="unknown digest"):
        _build(session, only="finance")


def test_scouts_who_turned_digests_off_get_none(session, hand_made_week):
    digests = _build(session, only="scout", skip_scouts=frozenset({"U1", "U5"}))

    assert [d.channel_id for d in digests] == ["U2", "U4"]


def test_an_empty_database_gives_quiet_one_line_digests_and_no_chart(session):
    digests = _build(session)

    assert [d.name for d in digests] == ["route:sales", "route:marketing", "route:product", "coach"]
    assert all(d.thread == () and len(d.parent.blocks) == 1 for d in digests)
    assert digests[-1].chart is None
