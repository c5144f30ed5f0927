"""Two workspaces in one database: each one's digests count, list and thank its own rows only."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.digests.build import build_digests
from bot.digests.model import Week
from bot.domain.themes import load_network
from tests.integration.digests.conftest import BERLIN, TEAM, make_week

WEEK = Week.parse("2026-W47")
CHANNELS = {"sales": "C0SALES", "marketing": "C0MKT", "product": "C0PROD", "coach": "C0COACH"}
OTHER, MARK = "T0OTHER", "Zz"  # the other workspace; the end of its accounts' and scouts' ids


def _seen(session, team_id: str) -> list[tuple]:
    """Every digest of the week as its users see it: where it goes and what it says."""
    digests = build_digests(
        session=session, team_id=team_id, week=WEEK, zone=BERLIN,
        now=datetime(2027, 1, 1, tzinfo=UTC), channels=CHANNELS, network=load_network(),
        open_after_working_days=3,
    )  # fmt: skip
    return [(d.kind, d.name, d.channel_id, d.parent, d.thread, _alt(d)) for d in digests]


def _alt(digest) -> str | None:
    return None if digest.chart is None else digest.chart.alt_text


def test_another_workspaces_rows_never_reach_a_digest(session):
    make_week(session)
    alone = _seen(session, TEAM)
    make_week(session, team_id=OTHER, mark=MARK)  # the same week again, in another workspace

    assert _seen(session, TEAM) == alone  # nothing counted, listed, thanked or charted twice
    assert MARK not in repr(alone)
    theirs = _seen(session, OTHER)
    assert MARK in repr(theirs)
    # Theirs is the same week under other names: the same digests, to the same places.
    assert [(k, n, c.replace(MARK, "")) for k, n, c, *_ in theirs] == [d[:3] for d in alone]
    assert [_ours(d) for d in theirs] == [[]] * len(theirs)


def _ours(seen: tuple) -> list[str]:
    """Our accounts named in one of their digests (those with no MARK after them)."""
    text = repr(seen)
    names = ("Acme", "Globex", "Hooli", "Umbrella", "Vandelay", "Stark")
    return [n for n in names if n in text.replace(n + MARK, "")]
